#!/usr/bin/env bash
# Runs the README's two commands on a truly fresh Debian 12, the way a new user would:
#
#   1. builds a minimal Debian 12 (bookworm) root with debootstrap, from Debian's packages;
#   2. copies in this machine's Node.js 20 with its headers (Debian 12's own nodejs is 18),
#      its CA certificates and its npm and apt settings, so the root reaches the same
#      package registries; adds git, which a user who cloned the repo has;
#   3. binds /proc, /sys, /dev, /dev/pts and /dev/shm, and clones this repository's
#      committed HEAD into it;
#   4. runs `npm run demo` until the demo's URL answers, then stops it;
#   5. runs `npm test` and prints its closing lines.
#
# Nothing else from this machine goes in: every Debian package, npm package and
# code-server build the project needs must come from its own scripts. Slow (a cold
# root installs Chromium, tshark and code-server's build tools), so it is not part of
# `npm test`.
#
#   sudo bash scripts/fresh-check.sh             a new root under /var/tmp/bifrost-fresh
#   FRESH_ROOT=/srv/fresh bash scripts/fresh-check.sh
#   bash scripts/fresh-check.sh --keep           leave the root for a look afterwards
#
# The pristine root (before anything of the project's is installed) is cached as a
# tarball in ~/.cache/bifrost-tools/ so a second run skips debootstrap; delete it to
# start from the mirror again. Exit status: npm test's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

keep=0
[[ "${1:-}" == "--keep" ]] && keep=1
[[ $(id -u) -eq 0 ]] || { echo "fresh-check: run as root (debootstrap, chroot and bind mounts need it)" >&2; exit 2; }

ROOT="${FRESH_ROOT:-/var/tmp/bifrost-fresh}"
CACHE="${BIFROST_TOOLS_DIR:-$HOME/.cache/bifrost-tools}"
BASE_TARBALL="$CACHE/debian12-minbase.tar"
SUITE=bookworm
MIRROR="${FRESH_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
DEMO_PORT="${FRESH_DEMO_PORT:-18080}"
log() { echo "[fresh-check $(date +%H:%M:%S)] $*"; }

# --- tear down whatever a previous run left ------------------------------------------------
processes_in_root() {
  local pid
  for pid in /proc/[0-9]*; do
    [[ "$(readlink "$pid/root" 2>/dev/null)" == "$ROOT" ]] && echo "${pid#/proc/}"
  done
  return 0
}
unmount_all() {
  local pids
  pids=$(processes_in_root)
  [[ -n "$pids" ]] && kill -9 $pids 2>/dev/null
  local mount
  for mount in dev/shm dev/pts dev sys proc src; do
    mountpoint -q "$ROOT/$mount" 2>/dev/null && umount -l "$ROOT/$mount"
  done
  return 0
}
cleanup() {
  unmount_all
  if ((keep)); then log "root kept at $ROOT"; else rm -rf "$ROOT"; fi
}
unmount_all
rm -rf "$ROOT"
trap cleanup EXIT

# --- 1. a minimal Debian 12 ------------------------------------------------------------------
if [[ ! -f "$BASE_TARBALL" ]]; then
  command -v debootstrap >/dev/null || { log "installing debootstrap"; apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  log "debootstrap --variant=minbase $SUITE from $MIRROR"
  mkdir -p "$CACHE" "$ROOT"
  debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -20 "$CACHE/debootstrap.log"; exit 1; }
  tar -C "$ROOT" -cf "$BASE_TARBALL.part" . && mv "$BASE_TARBALL.part" "$BASE_TARBALL"
else
  log "pristine Debian 12 root from $BASE_TARBALL"
  mkdir -p "$ROOT"
  tar -C "$ROOT" -xf "$BASE_TARBALL"
fi

# --- 2. Node.js 20, CA certificates, npm and apt settings from this machine ----------------
log "copying in Node.js $(node -v) with its headers, CA certificates, npm and apt settings"
node_bin=$(readlink -f "$(command -v node)")
node_prefix=$(dirname "$(dirname "$node_bin")")
install -D -m 755 "$node_bin" "$ROOT/usr/bin/node"
mkdir -p "$ROOT/usr/lib/node_modules" "$ROOT/usr/include"
cp -a "$node_prefix/lib/node_modules/npm" "$ROOT/usr/lib/node_modules/"
cp -a "$node_prefix/include/node" "$ROOT/usr/include/"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/bin/npx"
install -D -m 644 /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt"
# Also where update-ca-certificates picks it up, should a package rebuild the bundle.
install -D -m 644 /etc/ssl/certs/ca-certificates.crt "$ROOT/usr/local/share/ca-certificates/host-bundle.crt"
for npmrc in /etc/npmrc /usr/etc/npmrc "$HOME/.npmrc"; do
  [[ -f "$npmrc" ]] || continue
  target="$ROOT${npmrc/#$HOME//root}"
  install -D -m 644 "$npmrc" "$target"
done
if [[ -d /etc/apt/sources.list.d ]] && ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
  rm -f "$ROOT/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/*.sources "$ROOT/etc/apt/sources.list.d/"
fi
for conf in /etc/apt/apt.conf.d/99*; do [[ -f "$conf" ]] && cp "$conf" "$ROOT/etc/apt/apt.conf.d/"; done
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

# --- 3. bind mounts, git, the clone --------------------------------------------------------
mkdir -p "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" "$ROOT/src"
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$ROOT/dev/shm"
mount --bind -o ro "$repo" "$ROOT/src"

in_root() {
  chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
log "apt-get install git (a user who cloned the repo has it)"
in_root bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null'
log "git clone of $(git -C "$repo" rev-parse --short HEAD) ($(git -C "$repo" log -1 --format=%s | cut -c1-60))"
in_root git clone -q /src /root/bifrost
umount "$ROOT/src"

# --- 4. npm run demo, until its URL answers -------------------------------------------------
log "npm run demo (BIFROST_DEMO_PORT=$DEMO_PORT)"
demo_log="$ROOT/root/demo.log"
in_root bash -c "cd /root/bifrost && BIFROST_DEMO_PORT=$DEMO_PORT exec npm run demo" >"$demo_log" 2>&1 &
demo_pid=$!
url=""
for _ in $(seq 1 1200); do
  url=$(grep -o "http://127.0.0.1:$DEMO_PORT/[^ ]*" "$demo_log" | head -1 || true)
  [[ -n "$url" ]] && curl -fsS -o /dev/null "$url" 2>/dev/null && break
  kill -0 "$demo_pid" 2>/dev/null || { tail -30 "$demo_log"; log "npm run demo exited before its URL answered"; exit 1; }
  url=""
  sleep 1
done
[[ -n "$url" ]] || { tail -30 "$demo_log"; log "the demo's URL did not answer within 20 minutes"; exit 1; }
page=$(curl -fsS "$url")
grep -q 'vscode' <<<"$page" || { log "the demo's URL answered, but not with VS Code's workbench"; exit 1; }
log "demo answers: $url (HTTP 200, VS Code's workbench page)"
kill "$demo_pid" 2>/dev/null || true
for pid in $(processes_in_root); do kill "$pid" 2>/dev/null || true; done
wait "$demo_pid" 2>/dev/null || true

# --- 5. npm test ----------------------------------------------------------------------------
log "npm test"
set +e
in_root bash -c 'cd /root/bifrost && CI=true npm test' >"$ROOT/root/test.log" 2>&1
status=$?
set -e
grep -E '^━━━ .*: exit' "$ROOT/root/test.log" || true
tail -3 "$ROOT/root/test.log"
cp "$ROOT/root/test.log" "$repo/test-results/fresh-check.log" 2>/dev/null || true
log "npm test exited $status (whole log: test-results/fresh-check.log)"
exit "$status"
