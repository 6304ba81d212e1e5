#!/usr/bin/env bash
# zsh and fish, for the test of the CLI's completion scripts (issue 21).
#
#   scripts/shells.sh fetch   print a folder holding zsh and fish (cached, idempotent)
#
# Shells already on PATH are used as they are. Otherwise they come from
# Debian's packages (`apt-get download`, unpacked with `dpkg-deb -x` into the
# cache) as scripts/bwrap.sh does for bubblewrap: nothing is installed
# system-wide.
#
# Environment:
#   CARACAL_CACHE_DIR            cache root (default <repo>/.cache)
#   CARACAL_SHELLS_FETCH_TIMEOUT seconds one apt-get may take (default 300)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
CACHE_DIR="${CARACAL_CACHE_DIR:-$REPO_ROOT/.cache}"
FETCH_TIMEOUT="${CARACAL_SHELLS_FETCH_TIMEOUT:-300}"
HOME_DIR="$CACHE_DIR/shells"
BIN_DIR="$HOME_DIR/bin"
# fish-common holds fish's own functions, without which it starts with errors.
PACKAGES=(zsh zsh-common fish fish-common)

log() { echo "shells.sh: $*" >&2; }
die() { echo "shells.sh: error: $*" >&2; exit 1; }
# shellcheck source=scripts/lib/debian-packages.sh
source "$SCRIPT_DIR/lib/debian-packages.sh"

# A wrapper that points the unpacked shell at its unpacked data (functions, completions).
write_wrappers() {
  local root="$1"
  mkdir -p "$BIN_DIR"
  cat >"$BIN_DIR/zsh" <<ZSH
#!/bin/sh
export FPATH="\$(find "$root/usr/share/zsh" -type d -name 'functions' -o -type d -path '*/functions/*' 2>/dev/null | tr '\n' ':')"
exec "$root/bin/zsh" "\$@"
ZSH
  cat >"$BIN_DIR/fish" <<FISH
#!/bin/sh
exec "$root/usr/bin/fish" --init-command "set -g __fish_data_dir $root/usr/share/fish" "\$@"
FISH
  chmod +x "$BIN_DIR/zsh" "$BIN_DIR/fish"
}

fetch() {
  if command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1; then
    dirname "$(command -v zsh)"
    return 0
  fi
  if [[ -x $BIN_DIR/zsh && -x $BIN_DIR/fish ]]; then echo "$BIN_DIR"; return 0; fi
  local debs="$HOME_DIR/debs" root="$HOME_DIR/root"
  rm -rf "$root" "$BIN_DIR"
  download_debian_packages "$debs" "$FETCH_TIMEOUT" "${PACKAGES[@]}"
  unpack_debian_packages "$debs" "$root"
  [[ -x $root/bin/zsh && -x $root/usr/bin/fish ]] || die "the packages hold no bin/zsh or usr/bin/fish (see $root)"
  write_wrappers "$root"
  rm -rf "$debs"
  log "fetched zsh $("$BIN_DIR/zsh" --version | awk '{print $2}'), $("$BIN_DIR/fish" --version)"
  echo "$BIN_DIR"
}

case "${1:-}" in
  fetch) fetch ;;
  *) sed -n '2,4p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
