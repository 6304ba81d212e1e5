#!/usr/bin/env bash
# Single Prometheus server on loopback for tests and local development: it
# scrapes running Caracal processes' /metrics, so that the dashboards'
# PromQL can be checked and rendered with real series (decision 0032).
#
#   scripts/prometheus.sh fetch            download prometheus (cached, idempotent)
#   scripts/prometheus.sh start [--fresh]  start in the background and wait for /-/ready
#   scripts/prometheus.sh stop             SIGTERM, then SIGKILL after 10 s
#   scripts/prometheus.sh status           exit 0 and print the URL if healthy
#
# The binary comes from Debian's package (`apt-get download`, unpacked with
# `dpkg-deb -x` into the cache) like Redis's (scripts/redis.sh): Debian's
# archive is the only place besides the language registries that this
# project's machines can download from. The package's web assets are not
# needed: only the HTTP API is used.
#
# Targets: the static ones in CARACAL_PROMETHEUS_TARGETS, plus any file
# <run dir>/targets/*.json in Prometheus's file_sd format, re-read every
# second, so that a test can add the ops port of a Caracal it started without
# restarting the server. start and status print that folder too.
#
# stdout carries only machine-readable output (`CARACAL_PROMETHEUS_URL=http://...`
# and `CARACAL_PROMETHEUS_TARGETS_DIR=...` from start/status); progress and
# errors go to stderr.
#
# Environment:
#   CARACAL_CACHE_DIR                     cache root (default <repo>/.cache)
#   CARACAL_PROMETHEUS_PORT               listener port (default 19090)
#   CARACAL_PROMETHEUS_TARGETS            host:port list, comma-separated (default 127.0.0.1:9464)
#   CARACAL_PROMETHEUS_SCRAPE_INTERVAL    scrape interval (default 2s)
#   CARACAL_PROMETHEUS_START_TIMEOUT      seconds to wait for /-/ready (default 30)
#   CARACAL_PROMETHEUS_FETCH_TIMEOUT      seconds one apt-get may take (default 300)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# A static Go binary: it needs nothing besides libc (fetch checks).
PACKAGES=(prometheus)

PORT="${CARACAL_PROMETHEUS_PORT:-19090}"
TARGETS="${CARACAL_PROMETHEUS_TARGETS:-127.0.0.1:9464}"
SCRAPE_INTERVAL="${CARACAL_PROMETHEUS_SCRAPE_INTERVAL:-2s}"
START_TIMEOUT="${CARACAL_PROMETHEUS_START_TIMEOUT:-30}"
FETCH_TIMEOUT="${CARACAL_PROMETHEUS_FETCH_TIMEOUT:-300}"
STOP_TIMEOUT=10
HOST="127.0.0.1"
URL="http://$HOST:$PORT"

[[ $PORT =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || {
  echo "prometheus.sh: error: CARACAL_PROMETHEUS_PORT must be a port number, got \"$PORT\"" >&2
  exit 1
}
[[ $SCRAPE_INTERVAL =~ ^[0-9]+(ms|s|m)$ ]] || {
  echo "prometheus.sh: error: CARACAL_PROMETHEUS_SCRAPE_INTERVAL must be a duration like 2s, got \"$SCRAPE_INTERVAL\"" >&2
  exit 1
}
[[ $TARGETS =~ ^[A-Za-z0-9.:_-]+(,[A-Za-z0-9.:_-]+)*$ ]] || {
  echo "prometheus.sh: error: CARACAL_PROMETHEUS_TARGETS must be host:port[,host:port...], got \"$TARGETS\"" >&2
  exit 1
}

CACHE_DIR="${CARACAL_CACHE_DIR:-$REPO_ROOT/.cache}"
mkdir -p "$CACHE_DIR/prometheus"
# The server runs detached with these paths in its config, so they must not
# depend on the caller's cwd.
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
PROM_ROOT="$CACHE_DIR/prometheus/root"
DEBS_DIR="$CACHE_DIR/prometheus/debs"
MARKER="$PROM_ROOT/.complete"
SERVER_BIN="$PROM_ROOT/usr/bin/prometheus"
RUN_DIR="$CACHE_DIR/prometheus/run-$PORT"
DATA_DIR="$RUN_DIR/data"
TARGETS_DIR="$RUN_DIR/targets"
CONFIG="$RUN_DIR/prometheus.yml"
PID_FILE="$RUN_DIR/prometheus.pid"
LOG_FILE="$RUN_DIR/prometheus.log"
LOCK_FILE="$CACHE_DIR/prometheus/.lock"

# Settings and callbacks of scripts/lib/local-server.sh.
SCRIPT_NAME="prometheus.sh"
SERVER_NOUN="prometheus"
LOCK_WAIT=120
STOP_POLL=0.1
KILL_WAIT=5
READY_POLL=0.2
EXEC_WAIT=5
EXEC_POLL=0.02
LOG_TAIL_LINES=30
LOG_TAIL_FILES=("$LOG_FILE")
READY_LINE="CARACAL_PROMETHEUS_URL=$URL
CARACAL_PROMETHEUS_TARGETS_DIR=$TARGETS_DIR"
MSG_READY="prometheus ready on $HOST:$PORT (pid %s, waited %ss)"
MSG_EXITED="prometheus (pid %s) exited during startup"
MSG_UNREADY_STOP="stopping the server that did not become ready"
MSG_UNREADY="prometheus not ready on $HOST:$PORT within ${START_TIMEOUT}s"
MSG_NOT_ANSWERING="prometheus process %s is running but not ready on $HOST:$PORT"
IS_OUR_PROCESS=is_our_server
IS_HEALTHY=healthy
PREPARE_START=fetch
SETUP_START=setup_start
LAUNCH=launch
# shellcheck source=lib/local-server.sh
source "$SCRIPT_DIR/lib/local-server.sh"

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

# shellcheck source=scripts/lib/debian-packages.sh
source "$SCRIPT_DIR/lib/debian-packages.sh"

# The marker holds the package list, so a warm fetch is a file check.
fetch() {
  local want
  want="${PACKAGES[*]}"
  if [[ -f $MARKER && "$(cat "$MARKER")" == "$want" && -x $SERVER_BIN ]]; then
    return 0
  fi
  download_debian_packages "$DEBS_DIR" "$FETCH_TIMEOUT" "${PACKAGES[@]}"

  # Unpacked beside and renamed, so an interrupted fetch never looks usable.
  local stage="$CACHE_DIR/prometheus/root.partial"
  rm -rf "$stage"
  unpack_debian_packages "$DEBS_DIR" "$stage"
  [[ -x $stage/usr/bin/prometheus ]] || die "the package holds no usr/bin/prometheus (see $stage)"
  local missing
  missing="$(ldd "$stage/usr/bin/prometheus" 2>/dev/null | awk '/not found/ {print $1}' | sort -u)"
  [[ -z $missing ]] || die "prometheus needs libraries this machine lacks: $(tr '\n' ' ' <<<"$missing")"

  rm -rf "$PROM_ROOT"
  mv "$stage" "$PROM_ROOT"
  rm -rf "$DEBS_DIR"
  printf '%s\n' "$want" >"$MARKER"
  log "fetched $("$SERVER_BIN" --version 2>&1 | head -n 1) ($(du -sh "$PROM_ROOT" | cut -f1))"
}

write_config() {
  mkdir -p "$DATA_DIR" "$TARGETS_DIR"
  local quoted
  quoted="$(sed 's/[^,]*/"&"/g; s/,/, /g' <<<"$TARGETS")"
  cat >"$CONFIG" <<YAML
# Generated by scripts/prometheus.sh on every start; edits are overwritten.
global:
  scrape_interval: $SCRAPE_INTERVAL
  evaluation_interval: $SCRAPE_INTERVAL
scrape_configs:
  - job_name: caracal
    static_configs:
      - targets: [$quoted]
    file_sd_configs:
      - files: ["$TARGETS_DIR/*.json"]
        refresh_interval: 1s
YAML
}

is_our_server() {
  local cmd
  cmd="$(process_cmdline "$1")" || return 1
  [[ $cmd == "$SERVER_BIN --config.file=$CONFIG"* ]]
}

healthy() {
  bounded 5 curl -fsS -o /dev/null "$URL/-/ready" 2>/dev/null
}

setup_start() {
  local fresh="$1"
  port_open "$PORT" && die "port $HOST:$PORT is already in use by a process not started by this script (set CARACAL_PROMETHEUS_PORT)"
  mkdir -p "$RUN_DIR"
  if (( fresh )); then rm -rf "$DATA_DIR" "$TARGETS_DIR"; fi
  write_config
  log "starting prometheus on $HOST:$PORT"
}

launch() {
  if [[ -f $LOG_FILE ]]; then mv -f "$LOG_FILE" "$LOG_FILE.1"; fi
  # Series of a test run are worth nothing a day later; the lifecycle API
  # stays off, the admin API too.
  launch_detached "$LOG_FILE" \
    "$SERVER_BIN" --config.file="$CONFIG" \
    --web.listen-address="$HOST:$PORT" \
    --storage.tsdb.path="$DATA_DIR" \
    --storage.tsdb.retention.time=1d \
    --web.console.templates="$PROM_ROOT/usr/share/prometheus/consoles" \
    --web.console.libraries="$PROM_ROOT/usr/share/prometheus/console_libraries"
}

run_command "$@"
