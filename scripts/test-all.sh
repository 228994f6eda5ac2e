#!/usr/bin/env bash
# Every Bifrost test, in one command (the README's, and what .ci/run calls):
# installs what is missing, builds, typechecks, lints (ESLint and the rooms' import
# rules), runs the unit suite, packages the .vsix,
# runs the integration suite against the minified gateway that .vsix ships, runs the
# webview logic in Chromium, then the extension-host suite and the browser E2E in a
# real VS Code (code-server) driven through Debian's Chromium.
#
# Ends with one line "N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

total_passed=0
total_failed=0
failed_phases=()

# Runs one phase, echoing its output, then adds its counts from mocha's
# "N passing / N failing" or our runners' "N passed, N failed" lines.
phase() {
  local name="$1"; shift
  local log="test-results/${name}.log"
  echo
  echo "━━━ ${name}: $*"
  local started=$SECONDS
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local passed failed
  passed=$( (grep -Eo '^ *[0-9]+ passing' "$log" | grep -Eo '[0-9]+'; grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | grep -Eo '^[0-9]+') | awk '{s+=$1} END {print s+0}')
  failed=$( (grep -Eo '^ *[0-9]+ failing' "$log" | grep -Eo '[0-9]+'; grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+') | awk '{s+=$1} END {print s+0}')
  if ((status != 0 && failed == 0)); then failed=1; fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  ((status != 0)) && failed_phases+=("$name")
  echo "━━━ ${name}: exit ${status}, ${passed} passed, ${failed} failed, $((SECONDS - started)) s"
}

phase build npm run --silent build
phase typecheck npx tsc -p . --noEmit
phase lint bash scripts/lint.sh
phase unit npx mocha --config test/.mocharc.unit.json
# Package first: the integration suite runs the minified gateway the .vsix ships.
phase package npm run --silent package
phase integration npx mocha --config test/.mocharc.integration.json
phase webviews npx tsx test/webviews/runWebviewTests.ts --no-build
phase exthost npx tsx test/realhost/runExtensionTests.ts
phase e2e npx tsx test/e2e/runE2E.ts

echo
if ((${#failed_phases[@]} > 0)); then
  echo "failed phases: ${failed_phases[*]}"
fi
echo "${total_passed} passed, ${total_failed} failed"
((total_failed == 0 && ${#failed_phases[@]} == 0))
