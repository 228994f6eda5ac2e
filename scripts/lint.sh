#!/usr/bin/env bash
# The rules kept by tools: ESLint (eslint.config.mjs: the extension samples' rules and
# type-aware promise checks) and dependency-cruiser (.dependency-cruiser.cjs: the
# rooms' import rules, each violation printed with its rule's name). Both run, so one
# run shows every violation; exits non-zero if either found any.
#
# The tools live in tools/lint with their own TypeScript (see its package.json);
# scripts/setup.sh installs them.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=tools/lint/node_modules/.bin
if [[ ! -x "$bin/eslint" || ! -x "$bin/depcruise" ]]; then
  echo "lint: the lint tools are not installed; fix: bash scripts/setup.sh (or npm ci --prefix tools/lint)"
  exit 1
fi

status=0
echo "lint: eslint"
"$bin/eslint" --max-warnings 0 . || status=1
echo "lint: dependency-cruiser"
"$bin/depcruise" gateway extension webviews test scripts --config .dependency-cruiser.cjs --output-type err || status=1
((status == 0)) && echo "lint: clean"
exit "$status"
