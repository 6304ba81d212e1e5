#!/usr/bin/env bash
# S3-compatible server on loopback for tests and local development: moto's
# server (in-memory; any access key and secret are accepted), the bucket
# behind the S3 pull sources' tests.
#
#   scripts/s3.sh fetch            install moto[server] into a venv (cached, idempotent)
#   scripts/s3.sh start [--fresh]  start in the background and wait until it answers
#   scripts/s3.sh stop             SIGTERM, then SIGKILL after 10 s
#   scripts/s3.sh status           exit 0 and print the endpoint if healthy
#
# moto comes from PyPI (pip into a venv under the cache), because PyPI is one
# of the registries this project's machines can download from and it needs
# nothing but the python3 they already have; decision 0029 has the
# alternatives (s3rver, MinIO) and why not them. It keeps everything in
# memory, so every start is fresh.
#
# stdout carries only machine-readable output (`CARACAL_S3_ENDPOINT=http://...`
# from start/status); progress and errors go to stderr.
#
# Environment:
#   CARACAL_CACHE_DIR           cache root (default <repo>/.cache)
#   CARACAL_S3_PORT             listener port (default 19900)
#   CARACAL_S3_START_TIMEOUT    seconds to wait for an answer (default 30)
#   CARACAL_S3_FETCH_TIMEOUT    seconds the pip install may take (default 600)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# Pinned so that every machine runs the same server; a change here reinstalls.
MOTO_REQUIREMENT="moto[server]==5.2.6"

PORT="${CARACAL_S3_PORT:-19900}"
START_TIMEOUT="${CARACAL_S3_START_TIMEOUT:-30}"
FETCH_TIMEOUT="${CARACAL_S3_FETCH_TIMEOUT:-600}"
STOP_TIMEOUT=10
HOST="127.0.0.1"
ENDPOINT="http://$HOST:$PORT"

[[ $PORT =~ ^[0-9]+$ ]] && (( PORT > 0 && PORT < 65536 )) || {
  echo "s3.sh: error: CARACAL_S3_PORT must be a port number, got \"$PORT\"" >&2
  exit 1
}

CACHE_DIR="${CARACAL_CACHE_DIR:-$REPO_ROOT/.cache}"
mkdir -p "$CACHE_DIR/s3"
# The server runs detached with these paths on its command line, so they must
# not depend on the caller's cwd.
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"
VENV_DIR="$CACHE_DIR/s3/venv"
MARKER="$VENV_DIR/.complete"
MOTO_BIN="$VENV_DIR/bin/moto_server"
RUN_DIR="$CACHE_DIR/s3/run-$PORT"
# local-server.sh finds a server whose pid file was lost by this text in its
# command line; moto has no config file, so it is the program's path.
CONFIG="$MOTO_BIN"
PID_FILE="$RUN_DIR/s3.pid"
LOG_FILE="$RUN_DIR/s3.log"
LOCK_FILE="$CACHE_DIR/s3/.lock"

# Settings and callbacks of scripts/lib/local-server.sh.
SCRIPT_NAME="s3.sh"
SERVER_NOUN="s3 server"
LOCK_WAIT=120
STOP_POLL=0.1
KILL_WAIT=5
READY_POLL=0.2
EXEC_WAIT=5
EXEC_POLL=0.02
LOG_TAIL_LINES=30
LOG_TAIL_FILES=("$LOG_FILE")
READY_LINE="CARACAL_S3_ENDPOINT=$ENDPOINT"
MSG_READY="s3 server (moto) ready on $HOST:$PORT (pid %s, waited %ss)"
MSG_EXITED="moto_server (pid %s) exited during startup"
MSG_UNREADY_STOP="stopping the server that did not answer"
MSG_UNREADY="moto_server not answering on $HOST:$PORT within ${START_TIMEOUT}s"
MSG_NOT_ANSWERING="s3 server process %s is running but not answering on $HOST:$PORT"
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

# The marker holds the requirement, so a warm fetch is a file check (no pip,
# no network) and a changed pin in this script triggers a reinstall.
fetch() {
  if [[ -f $MARKER && "$(cat "$MARKER")" == "$MOTO_REQUIREMENT" && -x $MOTO_BIN ]]; then
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || die "python3 not found (needed once to install $MOTO_REQUIREMENT into $VENV_DIR)"
  log "installing $MOTO_REQUIREMENT from PyPI into $VENV_DIR"
  # Installed beside the old venv and swapped in whole, so that an interrupted
  # install never leaves a half-filled venv that looks usable.
  local stage="$CACHE_DIR/s3/venv.partial"
  rm -rf "$stage"
  python3 -m venv "$stage" >&2 || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  bounded "$FETCH_TIMEOUT" "$stage/bin/python" -m pip install --disable-pip-version-check --no-input --quiet "$MOTO_REQUIREMENT" >&2 \
    || die "pip install $MOTO_REQUIREMENT failed"
  rm -rf "$VENV_DIR"
  mv "$stage" "$VENV_DIR"
  # A venv's scripts name its python by absolute path: rewrite them for the final folder.
  "$VENV_DIR/bin/python" - "$stage" "$VENV_DIR" <<'PY'
import os, sys
old, new = sys.argv[1].encode(), sys.argv[2].encode()
bin_dir = os.path.join(sys.argv[2], "bin")
for name in os.listdir(bin_dir):
    path = os.path.join(bin_dir, name)
    if os.path.islink(path) or not os.path.isfile(path):
        continue
    with open(path, "rb") as f:
        data = f.read()
    if old in data:
        with open(path, "wb") as f:
            f.write(data.replace(old, new))
PY
  [[ -x $MOTO_BIN ]] || die "the install holds no $MOTO_BIN"
  printf '%s\n' "$MOTO_REQUIREMENT" >"$MARKER"
  log "installed $("$VENV_DIR/bin/python" -m pip show moto 2>/dev/null | sed -n 's/^Version: /moto /p')"
}

is_our_server() {
  local cmd
  cmd="$(process_cmdline "$1")" || return 1
  [[ $cmd == *"$MOTO_BIN -H $HOST -p $PORT"* ]]
}

healthy() {
  # Listing the buckets is what an S3 client does first.
  bounded 5 "$VENV_DIR/bin/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=3).read()" "$ENDPOINT/" >/dev/null 2>&1
}

setup_start() {
  port_open "$PORT" && die "port $HOST:$PORT is already in use by a process not started by this script (set CARACAL_S3_PORT)"
  # Everything is in memory: a start is always fresh, and --fresh has nothing more to clear.
  mkdir -p "$RUN_DIR"
  log "starting moto_server on $HOST:$PORT"
}

launch() {
  if [[ -f $LOG_FILE ]]; then mv -f "$LOG_FILE" "$LOG_FILE.1"; fi
  launch_detached "$LOG_FILE" "$VENV_DIR/bin/python" "$MOTO_BIN" -H "$HOST" -p "$PORT"
}

run_command "$@"
