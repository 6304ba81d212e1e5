#!/usr/bin/env bash
# bubblewrap, the OS sandbox around detection processes (decision 0013).
#
#   scripts/bwrap.sh fetch   download and unpack bwrap (cached, idempotent); prints its path
#
# A bwrap already on PATH (a host that installed Debian's bubblewrap) is used
# as it is. Otherwise the binary comes from Debian's packages (`apt-get
# download`, unpacked with `dpkg-deb -x` into the cache) as scripts/redis.sh
# does for Redis: nothing is installed system-wide.
#
# Environment:
#   CARACAL_CACHE_DIR            cache root (default <repo>/.cache)
#   CARACAL_BWRAP_FETCH_TIMEOUT  seconds one apt-get may take (default 300)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CACHE_DIR="${CARACAL_CACHE_DIR:-$REPO_ROOT/.cache}"
FETCH_TIMEOUT="${CARACAL_BWRAP_FETCH_TIMEOUT:-300}"
ROOT="$CACHE_DIR/bubblewrap/root"
BIN="$ROOT/usr/bin/bwrap"
PACKAGES=(bubblewrap)

log() { echo "bwrap.sh: $*" >&2; }
die() { echo "bwrap.sh: error: $*" >&2; exit 1; }

# shellcheck source=scripts/lib/debian-packages.sh
source "$SCRIPT_DIR/lib/debian-packages.sh"

fetch() {
  if [[ -x $BIN ]]; then echo "$BIN"; return 0; fi
  if command -v bwrap >/dev/null 2>&1; then command -v bwrap; return 0; fi
  [[ $(uname -s) == Linux ]] || die "bubblewrap exists only on Linux; set CARACAL_DETECTION_SANDBOX=process"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install bubblewrap, or set CARACAL_DETECTION_SANDBOX=process where the pod or VM is the boundary"
  local debs="$CACHE_DIR/bubblewrap/debs" stage="$CACHE_DIR/bubblewrap/root.partial"
  rm -rf "$stage"
  download_debian_packages "$debs" "$FETCH_TIMEOUT" "${PACKAGES[@]}"
  unpack_debian_packages "$debs" "$stage"
  [[ -x $stage/usr/bin/bwrap ]] || die "the package holds no usr/bin/bwrap (see $stage)"
  local missing
  missing="$(ldd "$stage/usr/bin/bwrap" | awk '/not found/ {print $1}' | sort -u)"
  [[ -z $missing ]] || die "bwrap needs libraries this machine lacks: $(tr '\n' ' ' <<<"$missing")"
  rm -rf "$ROOT"
  mv "$stage" "$ROOT"
  rm -rf "$debs"
  log "fetched $("$BIN" --version)"
  echo "$BIN"
}

case "${1:-}" in
  fetch) fetch ;;
  *) sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
