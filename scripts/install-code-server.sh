#!/usr/bin/env bash
# Idempotent installer for code-server (the real VS Code host used by the real-host tests).
# Follows docs/testing-in-code-server.md: code-server's own install scripts download
# ripgrep from GitHub and refuse to run as root, so we install with scripts off and do
# their steps by hand. The result is cached in a folder keyed by version; a marker file is
# written only after every step succeeded, so an interrupted install is redone next time.
#
# Usage: bash scripts/install-code-server.sh      -> prints the code-server binary path last
# Env:   BIFROST_TOOLS_DIR   cache root (default ~/.cache/bifrost-tools)
#        CODE_SERVER_VERSION (default 4.100.3: the last release that runs on Node 20)
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
TOOLS_DIR="${BIFROST_TOOLS_DIR:-$HOME/.cache/bifrost-tools}"
DEST="$TOOLS_DIR/code-server-$VERSION"
PKG="$DEST/node_modules/code-server"
BIN="$PKG/out/node/entry.js"
MARKER="$DEST/.bifrost-install-complete"

log() { echo "[install-code-server] $*" >&2; }

if [[ -f "$MARKER" && -f "$BIN" ]]; then
  echo "$DEST/node_modules/.bin/code-server"
  exit 0
fi

mkdir -p "$DEST"
# Two test runners may start at once on a cold cache: serialise them.
exec 9>"$DEST.lock"
flock 9
if [[ -f "$MARKER" && -f "$BIN" ]]; then
  echo "$DEST/node_modules/.bin/code-server"
  exit 0
fi
START=$SECONDS

# --- 1. Debian packages (headers for the native modules, ripgrep, the browser) -------------
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
APT_PKGS=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev ripgrep chromium make g++ python3)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Lock timeout: another apt may be running (e.g. a CI setup step); wait instead of failing.
  APT=($SUDO apt-get -o DPkg::Lock::Timeout=900 -y -q --no-install-recommends)
  # Only refresh the package lists when the install cannot proceed with the ones we have.
  if ! "${APT[@]}" install "${missing[@]}" >&2; then
    log "install failed with current lists; running apt-get update"
    $SUDO apt-get -o DPkg::Lock::Timeout=900 -q update >&2
    "${APT[@]}" install "${missing[@]}" >&2
  fi
fi

# node-gyp must build against the local Node headers (nodejs.org is not reachable). We call
# node-gyp directly, which reads only npm_config_* env vars, not .npmrc: export it.
if [[ -z "${npm_config_nodedir:-}" ]]; then
  nd="$(npm config get nodedir 2>/dev/null || true)"
  [[ "$nd" != undefined && -f "$nd/include/node/node.h" ]] || nd=""
  for d in /usr /usr/local "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"; do
    [[ -z "$nd" && -f "$d/include/node/node.h" ]] && nd="$d"
  done
  [[ -n "$nd" ]] && export npm_config_nodedir="$nd"
fi

# --- 2. code-server itself, scripts off ---------------------------------------------------
cd "$DEST"
[[ -f package.json ]] || echo '{"name":"bifrost-code-server-cache","private":true}' > package.json
log "npm install code-server@$VERSION (ignore-scripts)"
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$VERSION" >&2

# --- 3. argon2 (code-server's password hashing; it ships prebuilds, rebuild picks them) ---
log "npm rebuild argon2"
npm rebuild argon2 --loglevel=error >&2

# --- 4. VS Code's own dependencies, and its built-in extensions' ----------------------------
cd "$PKG/lib/vscode"
log "lib/vscode: npm install --omit=dev"
npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2
(cd extensions && log "lib/vscode/extensions: npm install --omit=dev" &&
  npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)

# --- 5. native modules, two builds at a time (2 cores; each build is mostly one big TU) ----
NATIVE=(kerberos @parcel/watcher @vscode/spdlog native-watchdog node-pty @vscode/deviceid)
NODE_GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[[ -f "$NODE_GYP" ]] || NODE_GYP=""
build_one() {
  local dir="$1" logf="$2" rc=0
  if [[ -n "$NODE_GYP" ]]; then (cd "$dir" && node "$NODE_GYP" rebuild) >"$logf" 2>&1 || rc=$?
  else (cd "$dir" && npx --yes node-gyp rebuild) >"$logf" 2>&1 || rc=$?; fi
  echo "$rc" >"$logf.rc"   # exit status via a file: `wait -n` below would otherwise eat it
}
for m in "${NATIVE[@]}"; do
  dir="$PKG/lib/vscode/node_modules/$m"
  [[ -f "$dir/binding.gyp" ]] || { log "missing native module dir $dir"; exit 1; }
  logf="$DEST/build-${m//\//_}.log"
  rm -f "$logf.rc"
  while (($(jobs -rp | wc -l) >= 2)); do wait -n || true; done   # two builds at a time
  log "node-gyp rebuild $m"
  build_one "$dir" "$logf" &
done
wait
fail=0
for m in "${NATIVE[@]}"; do
  logf="$DEST/build-${m//\//_}.log"
  if [[ "$(cat "$logf.rc" 2>/dev/null)" != 0 ]]; then
    log "node-gyp rebuild $m FAILED; tail of $logf:"; tail -30 "$logf" >&2; fail=1
  fi
done
((fail == 0)) || exit 1

# --- 6. the steps the skipped postinstall scripts would have done --------------------------
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)

# Sanity check before declaring success: the binary must at least start.
# (XDG_CONFIG_HOME: keep the default config.yaml it writes out of the user's ~/.config.)
XDG_CONFIG_HOME="$DEST/.config" "$DEST/node_modules/.bin/code-server" --version >&2

echo "$VERSION $(date -u +%FT%TZ) $((SECONDS - START))s" > "$MARKER"
log "done in $((SECONDS - START))s"
echo "$DEST/node_modules/.bin/code-server"
