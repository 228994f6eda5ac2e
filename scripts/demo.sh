#!/usr/bin/env bash
# Runs Bifrost on its built-in demo device in a real VS Code: builds and packages the
# .vsix, then installs it into your `code` if you have one, otherwise into a local
# code-server (installed by scripts/setup.sh) and prints the URL to open.
#
#   npm run demo                      (BIFROST_DEMO_PORT=8080 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if command -v code >/dev/null 2>&1 && [[ -z "${BIFROST_DEMO_USE_CODE_SERVER:-}" ]]; then
  bash scripts/setup.sh --no-code-server
else
  bash scripts/setup.sh
fi
npm run --silent package
vsix=$(ls -t "$root"/bifrost-*.vsix | head -1)

workspace="$root/.cache/demo-workspace"
mkdir -p "$workspace"
[[ -f "$workspace/README.md" ]] || cat > "$workspace/README.md" <<'TXT'
# Bifrost demo workspace

Open the Bifrost view in the activity bar: the Demo device is the gateway's built-in
simulator, its values move. Run "Bifrost: Create bifrost.json" to start your own config.
TXT

if command -v code >/dev/null 2>&1 && [[ -z "${BIFROST_DEMO_USE_CODE_SERVER:-}" ]]; then
  code --install-extension "$vsix" --force
  code "$workspace"
  echo "Opened $workspace in VS Code: click the Bifrost icon in the activity bar."
  exit 0
fi

code_server=$(bash scripts/install-code-server.sh | tail -1)
port="${BIFROST_DEMO_PORT:-8080}"
state="$root/.cache/demo-code-server"
mkdir -p "$state/user/User" "$state/extensions"
[[ -f "$state/user/User/settings.json" ]] || cat > "$state/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": false
}
JSON
"$code_server" --user-data-dir "$state/user" --extensions-dir "$state/extensions" \
  --install-extension "$vsix" --force >/dev/null
echo
echo "Bifrost demo: open http://127.0.0.1:${port}/?folder=${workspace}"
echo "(code-server on 127.0.0.1 only; Ctrl-C stops it)"
echo
exec "$code_server" --auth none --bind-addr "127.0.0.1:${port}" \
  --user-data-dir "$state/user" --extensions-dir "$state/extensions" \
  --disable-telemetry --disable-update-check --disable-workspace-trust "$workspace"
