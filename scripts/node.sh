#!/usr/bin/env bash
# The Node.js that Caracal runs on: Node 26. Set-up, tests, benches and the
# CLI all go through this script, so a machine that only has an older Node
# (the npm that fetches the dependencies still runs there) ends up on 26.
#
#   scripts/node.sh path          print the node binary to use (fetched if needed)
#   scripts/node.sh bin-dir       print its folder, to put first on PATH
#   scripts/node.sh exec ARGS...  run `node ARGS...` with that folder first on PATH
#   scripts/node.sh fetch         fetch the pinned Node (cached, idempotent); print its path
#
# A `node` already on PATH is used when it is Node >= 26; otherwise the
# pinned release is fetched once into the cache. The binaries come from the
# npm registry, the one place besides Debian's archive that this project's
# machines (dev and CI) can download from: the platform packages
# `node-<os>-<arch>` that the `node` package installs from carry the official
# build as bin/node. `npm pack` fetches the tarball; its sha512 must equal both
# the integrity pinned below and the registry's dist.integrity before anything
# is unpacked, and the unpacked binary must report the pinned version.
#
# stdout carries only the path (path, bin-dir, fetch); progress and errors go
# to stderr.
#
# Environment:
#   CARACAL_CACHE_DIR          cache root (default <repo>/.cache)
#   CARACAL_NODE_VIA           auto | system | pinned (default auto: a node >= 26
#                              on PATH, else the pinned one)
#   CARACAL_NODE_FETCH_TIMEOUT seconds `npm pack` may take (default 600)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# Bump together: the version, and for each platform package the `dist.integrity`
# that `npm view node-<os>-<arch>@<version> dist.integrity` prints. Node 26
# binaries are on the registry for these two; on other platforms (macOS: the
# darwin packages lag behind or stop at older majors) install Node >= 26
# yourself and this script uses it.
NODE_VERSION=26.12.1
MIN_MAJOR=26
PINNED_PLATFORMS="linux-x64 linux-arm64"
# A case rather than an associative array: macOS still ships bash 3.2.
pinned_integrity() {
  case "$1" in
    linux-x64) echo 'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==' ;;
    linux-arm64) echo 'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==' ;;
  esac
}

VIA="${CARACAL_NODE_VIA:-auto}"
FETCH_TIMEOUT="${CARACAL_NODE_FETCH_TIMEOUT:-600}"
CACHE_DIR="${CARACAL_CACHE_DIR:-$REPO_ROOT/.cache}"

log() { echo "node.sh: $*" >&2; }
die() { echo "node.sh: error: $*" >&2; exit 1; }

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

# shellcheck source=scripts/lib/debian-packages.sh
source "$SCRIPT_DIR/lib/debian-packages.sh"

# os-arch in the names of the npm platform packages.
platform() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) os="$(uname -s | tr '[:upper:]' '[:lower:]')" ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) arch="$(uname -m)" ;;
  esac
  echo "$os-$arch"
}

PLATFORM="$(platform)"
PACKAGE="node-$PLATFORM"
NODE_ROOT="$CACHE_DIR/node"
INSTALL_DIR="$NODE_ROOT/v$NODE_VERSION-$PLATFORM"
PINNED_BIN="$INSTALL_DIR/bin/node"
MARKER="$INSTALL_DIR/.complete"
# A fixed name for the installed release, for packages/cli/bin/caracal.js to
# find when it is started by an older node (`npx caracal`).
CURRENT_LINK="$NODE_ROOT/current"

# Major version of the node binary $1, or nothing if it does not run.
major_of() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true
}

# sha512 integrity string (as in dist.integrity) of file $1. The node that runs
# npm computes it, so nothing beyond npm is needed.
integrity_of() {
  node -e '
    const data = require("fs").readFileSync(process.argv[1]);
    process.stdout.write("sha512-" + require("crypto").createHash("sha512").update(data).digest("base64"));
  ' "$1"
}

pinned_ok() {
  local want="$1"
  [[ -f $MARKER && "$(cat "$MARKER")" == "$want" && -x $PINNED_BIN ]] || return 1
  [[ "$("$PINNED_BIN" --version 2>/dev/null)" == "v$NODE_VERSION" ]]
}

fetch_pinned() {
  local integrity
  integrity="$(pinned_integrity "$PLATFORM")"
  [[ -n $integrity ]] || die "no Node $NODE_VERSION is pinned for $PLATFORM (only $PINNED_PLATFORMS); install Node.js >= $MIN_MAJOR and put it on PATH"
  local want="$PACKAGE@$NODE_VERSION $integrity"
  mkdir -p "$NODE_ROOT"
  if ! pinned_ok "$want"; then
    # Parallel set-ups share one download: one fetches, the others wait.
    exec 9>"$NODE_ROOT/.lock"
    if command -v flock >/dev/null 2>&1; then
      flock -w "$((FETCH_TIMEOUT + 60))" 9 || die "timed out waiting for $NODE_ROOT/.lock (another node.sh is fetching)"
    fi
    if ! pinned_ok "$want"; then
      download "$integrity" "$want"
    fi
    exec 9>&-
  fi
  # Rewritten only when it points elsewhere: ln -sfn unlinks first, and a
  # caracal.js starting meanwhile would find no link.
  if [[ "$(readlink "$CURRENT_LINK" 2>/dev/null)" != "$(basename "$INSTALL_DIR")" ]]; then
    ln -sfn "$(basename "$INSTALL_DIR")" "$CURRENT_LINK"
  fi
  echo "$PINNED_BIN"
}

download() {
  local integrity="$1" want="$2"
  command -v npm >/dev/null 2>&1 || die "npm not found (needed once to fetch $PACKAGE@$NODE_VERSION from the npm registry)"
  local registry
  registry="$(bounded 120 npm view "$PACKAGE@$NODE_VERSION" dist.integrity 2>/dev/null)" \
    || die "npm view $PACKAGE@$NODE_VERSION failed (is the npm registry reachable?)"
  [[ $registry == "$integrity" ]] \
    || die "the registry's dist.integrity of $PACKAGE@$NODE_VERSION is \"$registry\", pinned is \"$integrity\"; refusing it"

  log "fetching $PACKAGE@$NODE_VERSION from the npm registry (once, ~60 MB)"
  local stage
  stage="$(mktemp -d "$NODE_ROOT/.partial.XXXXXX")"
  # Removed on any exit, so an interrupted fetch never leaves a tree that
  # looks usable; the install dir only appears by the final rename.
  # shellcheck disable=SC2064  # expand $stage now
  trap "rm -rf '$stage'" EXIT
  local tgz
  if ! tgz="$(cd "$stage" && bounded "$FETCH_TIMEOUT" npm pack "$PACKAGE@$NODE_VERSION" --silent --ignore-scripts 2>"$stage/pack.log" | tail -n 1)"; then
    tail -n 20 "$stage/pack.log" >&2 || true
    die "npm pack $PACKAGE@$NODE_VERSION failed"
  fi
  [[ -f $stage/$tgz ]] || die "npm pack $PACKAGE@$NODE_VERSION produced no tarball"
  local actual
  actual="$(integrity_of "$stage/$tgz")"
  [[ $actual == "$integrity" ]] || die "$tgz has integrity $actual, pinned is $integrity; refusing it"

  tar -xzf "$stage/$tgz" -C "$stage" package/bin/node package/LICENSE || die "could not unpack $tgz"
  local version
  version="$("$stage/package/bin/node" --version 2>&1)" \
    || die "the fetched node does not run on this machine (too old a glibc?): $version"
  [[ $version == "v$NODE_VERSION" ]] || die "the fetched node reports $version, expected v$NODE_VERSION"

  rm -rf "$INSTALL_DIR"
  printf '%s\n' "$want" >"$stage/package/.complete"
  mv "$stage/package" "$INSTALL_DIR"
  rm -rf "$stage"
  trap - EXIT
  log "installed Node $version at $PINNED_BIN"
}

# The node to run Caracal on.
resolve() {
  local system major
  case "$VIA" in
    auto|system)
      if system="$(command -v node 2>/dev/null)"; then
        major="$(major_of "$system")"
        if [[ $major =~ ^[0-9]+$ ]] && (( major >= MIN_MAJOR )); then
          echo "$system"
          return 0
        fi
      fi
      if [[ $VIA == system ]]; then
        local found="no node"
        [[ -n ${system:-} ]] && found="$system $("$system" --version 2>/dev/null || echo '(does not run)')"
        die "CARACAL_NODE_VIA=system but PATH has $found; Node.js >= $MIN_MAJOR is needed"
      fi
      fetch_pinned ;;
    pinned) fetch_pinned ;;
    *) die "CARACAL_NODE_VIA must be auto, system or pinned, got \"$VIA\"" ;;
  esac
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  path) resolve ;;
  # Through a variable, so a failed resolve fails the command (set -e does not
  # see a failure inside an argument's substitution).
  bin-dir) bin="$(resolve)"; dirname "$bin" ;;
  exec)
    bin="$(resolve)"
    PATH="$(dirname "$bin"):$PATH"
    export PATH
    exec "$bin" "$@" ;;
  fetch) fetch_pinned ;;
  -h|--help|help) usage 0 ;;
  *) usage ;;
esac
