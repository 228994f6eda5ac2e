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
  prometheus                                        # promtool: the metrics tests check the exposition with it
  mosquitto                                         # the MQTT tests' and bench's broker (each starts its own, never the service)
  openssl                                           # the TLS tests make their certificates with it (remote channel, MQTT over TLS)
  systemd                                           # systemd-analyze verify checks deploy/bifrost-gateway.service (no systemd needs to run)
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
# The lint tools have their own package (a TypeScript with the JavaScript API they need).
lint_stamp=tools/lint/node_modules/.bifrost-lock-stamp
if [[ ! -f "$lint_stamp" ]] || ! cmp -s tools/lint/package-lock.json "$lint_stamp"; then
  echo "setup: npm ci (tools/lint)"
  npm ci --prefix tools/lint --no-audit --no-fund --loglevel=error
  cp tools/lint/package-lock.json "$lint_stamp"
fi

if ((want_code_server)); then
  bash scripts/install-code-server.sh >/dev/null
fi

# Check every tool the way the tests and the demo use it, so that no test is the first
# to find one missing. Each failure names the one command that fixes it.
problems=()
check() {
  local what="$1" fix="$2"; shift 2
  local output
  if ! output=$("$@" 2>&1); then
    problems+=("$what: \`$*\` failed (${output##*$'\n'}); fix: $fix")
  fi
}
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || problems+=("Node.js $(node -v) is too old: Bifrost needs Node.js 20 or newer (Debian 12's nodejs is 18; install Node 20 from nodejs.org or your distribution's backports)")
check "pymodbus (the Python peer)" "apt-get install python3-pymodbus python3-serial-asyncio" \
  /usr/bin/python3 -c 'import pymodbus.server, pymodbus.client, pymodbus.datastore, serial_asyncio'
check "mbpoll" "apt-get install mbpoll" mbpoll -h
check "tshark (Wireshark's decoder)" "apt-get install tshark" tshark -v
check "socat (serial-line pairs)" "apt-get install socat" socat -V
check "unzip (the .vsix self-check)" "apt-get install unzip" unzip -v
check "cc (the bench's C references)" "apt-get install gcc" cc --version
check "promtool (Prometheus' metrics checker)" "apt-get install prometheus" promtool --version
# `mosquitto -h` prints its usage and exits 3: that exit code says the binary is there and runs.
check "mosquitto (the MQTT broker the tests start)" "apt-get install mosquitto" \
  bash -c '/usr/sbin/mosquitto -h >/dev/null 2>&1; [[ $? -eq 3 ]]'
check "openssl (test certificates)" "apt-get install openssl" openssl version
check "systemd-analyze (checks the service unit)" "apt-get install systemd" systemd-analyze --version
browser_profile=$(mktemp -d)
check "Chromium, headless (webview and E2E tests)" "apt-get install chromium" \
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$browser_profile" --dump-dom about:blank
rm -rf "$browser_profile"
check "serialport's native binding" "rm -rf node_modules && npm ci" \
  node -e 'require("@serialport/bindings-cpp/dist/serialport-bindings.js").binding.open || process.exit(1)'
if ((want_code_server)); then
  check "code-server (the real VS Code host)" "rm -rf ~/.cache/bifrost-tools && bash scripts/install-code-server.sh" \
    "$(bash scripts/install-code-server.sh 2>/dev/null | tail -1)" --version
fi
if ((${#problems[@]} > 0)); then
  printf 'setup: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "setup: ready"
