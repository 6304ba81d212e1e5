#!/usr/bin/env bash
# Single Redis server on loopback for tests, CI and local development: the
# shared store behind panther_detection_helpers.caching in kafka mode.
#
#   scripts/redis.sh fetch            download redis-server (cached, idempotent)
#   scripts/redis.sh start [--fresh]  start in the background and wait for PING
#   scripts/redis.sh stop             SIGTERM, then SIGKILL after 10 s
#   scripts/redis.sh status           exit 0 and print the URL if healthy
#
# The binaries come from Debian's packages (`apt-get download`, unpacked with
# `dpkg-deb -x` into the cache), because Debian's archive is the only place
# besides the language registries that this project's machines (dev and CI)
# can download from, and nothing is installed system-wide.
#
# stdout carries only machine-readable output (`CARACAL_REDIS_URL=redis://...`
# from start/status); progress and errors go to stderr.
#
# Environment:
#   CARACAL_CACHE_DIR              cache root (default <repo>/.cache)
#   CARACAL_REDIS_PORT             listener port (default 16379)
#   CARACAL_REDIS_START_TIMEOUT    seconds to wait for PING (default 20)
#   CARACAL_REDIS_FETCH_TIMEOUT    seconds one apt-get may take (default 300)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# redis-server only holds the redis-server symlink; the binary is in
# redis-tools. The base image lacks the two libraries after them (found with
# ldd); fetch checks that nothing else is missing.
PACKAGES=(redis-server redis-tools libjemalloc2 liblzf1)

PORT="${CARACAL_REDIS_PORT:-16379}"
START_TIMEOUT="${CARACAL_REDIS_START_TIMEOUT:-20}"
FETCH_TIMEOUT="${CARACAL_REDIS_FETCH_TIMEOUT:-300}"
STOP_TIMEOUT=10
HOST="127.0.0.1"
URL="redis://$HOST:$PORT"

[[ $PORT =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || {
  echo "redis.sh: error: CARACAL_REDIS_PORT must be a port number, got \"$PORT\"" >&2
  exit 1
}

CACHE_DIR="${CARACAL_CACHE_DIR:-$REPO_ROOT/.cache}"
mkdir -p "$CACHE_DIR/redis"
# The server runs detached with these paths in its config, so they must not
# depend on the caller's cwd.
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
REDIS_ROOT="$CACHE_DIR/redis/root"       # the unpacked packages
DEBS_DIR="$CACHE_DIR/redis/debs"
MARKER="$REDIS_ROOT/.complete"
SERVER_BIN="$REDIS_ROOT/usr/bin/redis-server"
CLI_BIN="$REDIS_ROOT/usr/bin/redis-cli"
# One run dir per port, so a second server on another port (an override) has
# its own pid file and config.
RUN_DIR="$CACHE_DIR/redis/run-$PORT"
DATA_DIR="$RUN_DIR/data"
CONFIG="$RUN_DIR/redis.conf"
PID_FILE="$RUN_DIR/redis.pid"
LOG_FILE="$RUN_DIR/redis.log"
LOCK_FILE="$CACHE_DIR/redis/.lock"

# Settings and callbacks of scripts/lib/local-server.sh.
SCRIPT_NAME="redis.sh"
SERVER_NOUN="redis"
LOCK_WAIT=120
STOP_POLL=0.1
KILL_WAIT=5
READY_POLL=0.1
EXEC_WAIT=5
EXEC_POLL=0.02
LOG_TAIL_LINES=30
LOG_TAIL_FILES=("$LOG_FILE")
READY_LINE="CARACAL_REDIS_URL=$URL"
MSG_READY="redis ready on $HOST:$PORT (pid %s, waited %ss)"
MSG_EXITED="redis-server (pid %s) exited during startup"
MSG_UNREADY_STOP="stopping the server that did not answer PING"
MSG_UNREADY="redis-server not answering PING on $HOST:$PORT within ${START_TIMEOUT}s"
MSG_NOT_ANSWERING="redis process %s is running but not answering PING on $HOST:$PORT"
IS_OUR_PROCESS=is_our_server
IS_HEALTHY=healthy
PREPARE_START=fetch
SETUP_START=setup_start
LAUNCH=launch
# shellcheck source=lib/local-server.sh
source "$SCRIPT_DIR/lib/local-server.sh"

usage() {
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

# shellcheck source=scripts/lib/debian-packages.sh
source "$SCRIPT_DIR/lib/debian-packages.sh"

# The unpacked libraries' folders under $1 (usr/lib/<multiarch triplet>),
# joined for LD_LIBRARY_PATH.
lib_path() {
  local dirs=("$1"/usr/lib/*-linux-gnu*)
  local IFS=:
  echo "${dirs[*]}"
}

with_libs() {
  env LD_LIBRARY_PATH="$(lib_path "$REDIS_ROOT")" "$@"
}


# The marker holds the package list, so a warm fetch is a file check (no apt,
# no network) and a changed list in this script triggers a refetch.
fetch() {
  local want
  want="${PACKAGES[*]}"
  if [[ -f $MARKER && "$(cat "$MARKER")" == "$want" && -x $SERVER_BIN ]]; then
    return 0
  fi
  download_debian_packages "$DEBS_DIR" "$FETCH_TIMEOUT" "${PACKAGES[@]}"

  # Unpack into a staging dir and rename, so an interrupted fetch never leaves
  # a half-filled tree that looks usable.
  local stage="$CACHE_DIR/redis/root.partial"
  rm -rf "$stage"
  mkdir -p "$stage"
  unpack_debian_packages "$DEBS_DIR" "$stage"
  [[ -x $stage/usr/bin/redis-server ]] || die "the packages hold no usr/bin/redis-server (see $stage)"
  local missing
  missing="$(LD_LIBRARY_PATH="$(lib_path "$stage")" ldd "$stage/usr/bin/redis-server" "$stage/usr/bin/redis-cli" | awk '/not found/ {print $1}' | sort -u)"
  [[ -z $missing ]] || die "redis-server needs libraries this machine lacks: $(tr '\n' ' ' <<<"$missing")(add their Debian packages to PACKAGES in $0)"

  rm -rf "$REDIS_ROOT"
  mv "$stage" "$REDIS_ROOT"
  rm -rf "$DEBS_DIR"
  printf '%s\n' "$want" >"$MARKER"
  log "fetched $(with_libs "$SERVER_BIN" --version | head -n 1) ($(du -sh "$REDIS_ROOT" | cut -f1))"
}

write_config() {
  mkdir -p "$DATA_DIR"
  cat >"$CONFIG" <<EOF
# Generated by scripts/redis.sh on every start; edits are overwritten.
bind $HOST
port $PORT
protected-mode yes
daemonize no
# Keeps the command line (and so this file's path) in /proc, which is how
# this script recognises its own server.
set-proc-title no
dir $DATA_DIR
logfile $LOG_FILE
loglevel notice
# A cache for tests: nothing is written to disk.
save ""
appendonly no
EOF
}

is_our_server() {
  local cmd
  cmd="$(process_cmdline "$1")" || return 1
  [[ $cmd == "$SERVER_BIN $CONFIG"* ]]
}

healthy() {
  local reply
  reply="$(bounded 5 env LD_LIBRARY_PATH="$(lib_path "$REDIS_ROOT")" "$CLI_BIN" -h "$HOST" -p "$PORT" ping 2>/dev/null)" || return 1
  [[ $reply == PONG ]]
}

setup_start() {
  local fresh="$1"
  port_open "$PORT" && die "port $HOST:$PORT is already in use by a process not started by this script (set CARACAL_REDIS_PORT)"

  mkdir -p "$RUN_DIR"
  # Nothing is persisted, but a --fresh start must not even find old files.
  if (( fresh )); then rm -rf "$DATA_DIR"; fi
  write_config
  log "starting redis-server on $HOST:$PORT"
}

launch() {
  if [[ -f $LOG_FILE ]]; then mv -f "$LOG_FILE" "$LOG_FILE.1"; fi
  launch_detached "$RUN_DIR/redis.out" \
    env LD_LIBRARY_PATH="$(lib_path "$REDIS_ROOT")" "$SERVER_BIN" "$CONFIG"
}

run_command "$@"
