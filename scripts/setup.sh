#!/usr/bin/env bash
# Installs everything Bifrost's build, demo and tests need on a Debian machine:
# Debian packages (real Modbus peers, a serial-line emulator, Wireshark's decoder,
# Chromium, code-server's build prerequisites), the npm dependencies, and
# code-server (a real VS Code host). Idempotent: a second run only checks.
#
#   bash scripts/setup.sh            everything
#   bash scripts/setup.sh --no-code-server   skip code-server (unit/integration only)
set -euo pipefail
cd "$(dirname "$0")/.."

want_code_server=1
[[ "${1:-}" == "--no-code-server" ]] && want_code_server=0

DEBIAN_PACKAGES=(
  mbpoll socat tshark unzip                         # peers and tools the tests drive
  python3-pymodbus python3-serial-asyncio           # pymodbus 3.0 only *recommends* the serial module its server imports
  chromium                                          # the browser the E2E tests drive
  gcc                                               # npm run bench: its C reference client and relay
  ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev make g++ python3   # code-server
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci when the lock changed since the last install (or there is none yet).
stamp=node_modules/.bifrost-lock-stamp
if [[ ! -f "$stamp" ]] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

if ((want_code_server)); then
  bash scripts/install-code-server.sh >/dev/null
fi
echo "setup: ready"
