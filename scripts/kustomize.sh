#!/usr/bin/env bash
# Renders a kustomization the way `kubectl apply -k` would, on machines with
# or without kubectl.
#
#   scripts/kustomize.sh build <dir>   print the rendered manifests on stdout
#   scripts/kustomize.sh which         print which kustomize would be used
#   scripts/kustomize.sh fetch         build the pinned kustomize with Go (cached)
#
# kubectl carries kustomize inside it, so it is used when present. Otherwise
# the pinned kustomize is built from source with `go install` through the Go
# module proxy: that is the one source of it these machines (dev and CI) can
# reach, since GitHub release downloads are blocked. The binary is cached
# under .cache/, so only the first run pays for the build.
#
# Environment:
#   CARACAL_CACHE_DIR        cache root (default <repo>/.cache)
#   CARACAL_KUSTOMIZE_VIA    kubectl | go | auto (default auto: kubectl if on PATH)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# The version kubectl 1.32 embeds, so both paths render our manifests alike.
KUSTOMIZE_VERSION=v5.5.0
CACHE_DIR="${CARACAL_CACHE_DIR:-$REPO_ROOT/.cache}"
BIN_DIR="$CACHE_DIR/kustomize/$KUSTOMIZE_VERSION"
BIN="$BIN_DIR/kustomize"
VIA="${CARACAL_KUSTOMIZE_VIA:-auto}"

die() {
  echo "kustomize.sh: error: $*" >&2
  exit 1
}

fetch() {
  [ -x "$BIN" ] && return 0
  command -v go >/dev/null 2>&1 || die "neither kubectl nor go is on PATH; install one of them"
  mkdir -p "$BIN_DIR"
  # Parallel test runs may all find the binary missing; one builds, the others wait.
  exec 9>"$BIN_DIR.lock"
  flock 9
  if [ ! -x "$BIN" ]; then
    echo "kustomize.sh: building kustomize $KUSTOMIZE_VERSION with $(go version | awk '{print $3}') (once)" >&2
    # Built into a scratch folder and moved, so an interrupted build never
    # leaves a half-written binary that later runs would trust.
    local tmp
    tmp="$(mktemp -d "$BIN_DIR.build.XXXXXX")"
    if ! GOBIN="$tmp" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >&2; then
      rm -rf "$tmp"
      die "go install sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION failed"
    fi
    mv "$tmp/kustomize" "$BIN"
    rm -rf "$tmp"
  fi
  flock -u 9
}

choose() {
  case "$VIA" in
    kubectl)
      command -v kubectl >/dev/null 2>&1 || die "CARACAL_KUSTOMIZE_VIA=kubectl but kubectl is not on PATH"
      echo kubectl ;;
    go) echo go ;;
    auto)
      if command -v kubectl >/dev/null 2>&1; then echo kubectl; else echo go; fi ;;
    *) die "CARACAL_KUSTOMIZE_VIA must be kubectl, go or auto, got \"$VIA\"" ;;
  esac
}

cmd="${1:-}"
case "$cmd" in
  build)
    [ $# -eq 2 ] || die "usage: scripts/kustomize.sh build <dir>"
    [ -d "$2" ] || die "no such directory: $2"
    if [ "$(choose)" = kubectl ]; then
      exec kubectl kustomize "$2"
    fi
    fetch
    exec "$BIN" build "$2"
    ;;
  which)
    if [ "$(choose)" = kubectl ]; then
      echo "kubectl kustomize ($(kubectl version --client 2>/dev/null | awk '/Kustomize/ {print $3}'))"
    else
      echo "$BIN ($KUSTOMIZE_VERSION)"
    fi
    ;;
  fetch) fetch ;;
  *) die "usage: scripts/kustomize.sh build <dir> | which | fetch" ;;
esac
