# Helpers shared by the scripts that fetch tools: a bounded command, and
# Debian packages downloaded (not installed) and unpacked into the cache
# (scripts/bwrap.sh, redis.sh, shells.sh). Sourced, never run; the sourcing
# script defines log and die.

# Runs "$@" for at most $1 seconds where coreutils' timeout exists.
bounded() {
  local seconds="$1"
  shift
  if command -v timeout >/dev/null 2>&1; then timeout "$seconds" "$@"; else "$@"; fi
}

# download_debian_packages DIR TIMEOUT PACKAGE...: the packages' .deb files
# into DIR (emptied first). The sandbox user _apt cannot write into a
# root-owned cache dir; the download is only a file copy, so it runs as the
# caller. Without package lists (a fresh image) apt knows no candidate, and
# with old ones it asks for a version the mirror has replaced: both are fixed
# by refreshing the lists, which needs root.
download_debian_packages() {
  local dir="$1" timeout="$2" out
  shift 2
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found (needed once to download $* from Debian)"
  command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found (needed once to unpack $*)"
  rm -rf "$dir"
  mkdir -p "$dir"
  log "downloading $* from Debian into $dir"
  if ! out="$(cd "$dir" && bounded "$timeout" apt-get download -q -o APT::Sandbox::User="$(id -un)" "$@" 2>&1)"; then
    printf '%s\n' "$out" | tail -n 5 >&2
    (( EUID == 0 )) || die "apt-get download failed and refreshing the package lists needs root: run \`apt-get update\` as root, then retry"
    log "download failed; refreshing the package lists (apt-get update) and retrying"
    bounded "$timeout" apt-get update -q >&2 || die "apt-get update failed"
    rm -f "$dir"/*.deb
    if ! out="$(cd "$dir" && bounded "$timeout" apt-get download -q -o APT::Sandbox::User="$(id -un)" "$@" 2>&1)"; then
      printf '%s\n' "$out" | tail -n 20 >&2
      die "apt-get download $* failed"
    fi
  fi
}

# unpack_debian_packages DIR ROOT: every .deb of DIR unpacked into ROOT.
unpack_debian_packages() {
  local deb
  mkdir -p "$2"
  for deb in "$1"/*.deb; do dpkg-deb -x "$deb" "$2" || die "dpkg-deb could not unpack $deb"; done
}
