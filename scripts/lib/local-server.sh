# Process management shared by scripts/kafka.sh and scripts/redis.sh: one
# detached server per run dir, found again through its pid file or its
# command line, started and stopped under a lock. Sourced, never run.
#
# The sourcing script sets, before calling anything here:
#   SCRIPT_NAME      prefix of every message (kafka.sh, redis.sh)
#   SERVER_NOUN      what the messages call the server (broker, redis)
#   HOST RUN_DIR CONFIG PID_FILE LOCK_FILE START_TIMEOUT STOP_TIMEOUT
#   LOCK_WAIT        seconds to wait for the lock
#   STOP_POLL KILL_WAIT   poll interval while stopping, wait after SIGKILL
#   READY_POLL       poll interval while waiting for readiness
#   EXEC_WAIT EXEC_POLL   bound and interval of the wait for launch's exec
#   LOG_TAIL_LINES LOG_TAIL_FILES (array)   shown when a start fails
#   READY_LINE       the machine-readable stdout line of start/status
#   MSG_READY MSG_EXITED MSG_UNREADY_STOP MSG_UNREADY MSG_NOT_ANSWERING
#                    printf formats; %s is the pid (MSG_READY: pid, seconds)
# and these callbacks (names of its functions):
#   IS_OUR_PROCESS PID   true if PID is our live server
#   IS_HEALTHY           true if the server answers
#   PREPARE_START        fetch and check tools before a start
#   SETUP_START FRESH    port checks, configs, data dir; FRESH is 0 or 1
#   LAUNCH               start the server detached (see launch_detached)
# and defines fetch and usage, which run_command calls by name.

log() { echo "$SCRIPT_NAME: $*" >&2; }
die() { echo "$SCRIPT_NAME: error: $*" >&2; exit 1; }

# Serialises fetch/start/stop so parallel callers share one server instead of
# racing to launch two. fd 9 must not leak into the server (see
# launch_detached), or the lock would be held for its lifetime.
take_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$LOCK_FILE"
  flock -w "$LOCK_WAIT" 9 || die "timed out waiting for $LOCK_FILE (another $SCRIPT_NAME is running)"
}

# Command line of pid $1, for IS_OUR_PROCESS to match against: comparing it
# guards against a stale pid file whose pid was reused, and a zombie (empty
# cmdline) matches nothing.
process_cmdline() {
  local pid="$1"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null
  else
    ps -o args= -p "$pid" 2>/dev/null
  fi
}

# Pid of our running server, from the pid file or, if that was lost, from a
# scan for a process with exactly our config path.
running_pid() {
  local pid
  if [[ -f $PID_FILE ]]; then
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if "$IS_OUR_PROCESS" "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  if [[ -d /proc ]]; then
    local f
    # One grep narrows the scan to candidates before the exact check.
    for f in $(grep -lsF -- "$CONFIG" /proc/[0-9]*/cmdline 2>/dev/null || true); do
      pid="${f#/proc/}"
      pid="${pid%/cmdline}"
      if "$IS_OUR_PROCESS" "$pid"; then
        [[ -d $RUN_DIR ]] && echo "$pid" >"$PID_FILE"
        echo "$pid"
        return 0
      fi
    done
  fi
  return 1
}

port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

print_log_tail() {
  local f
  for f in "${LOG_TAIL_FILES[@]}"; do
    if [[ -s $f ]]; then
      echo "----- last $LOG_TAIL_LINES lines of $f -----" >&2
      tail -n "$LOG_TAIL_LINES" "$f" >&2 || true
    fi
  done
}

wait_ready() {
  local pid="$1" started=$SECONDS
  local deadline=$((SECONDS + START_TIMEOUT))
  while (( SECONDS < deadline )); do
    if ! "$IS_OUR_PROCESS" "$pid"; then
      print_log_tail
      rm -f "$PID_FILE"
      # shellcheck disable=SC2059  # the formats are the caller's messages
      die "$(printf "$MSG_EXITED" "$pid")"
    fi
    if "$IS_HEALTHY"; then
      # shellcheck disable=SC2059
      log "$(printf "$MSG_READY" "$pid" "$((SECONDS - started))")"
      return 0
    fi
    sleep "$READY_POLL"
  done
  print_log_tail
  log "$MSG_UNREADY_STOP"
  stop_local_server
  die "$MSG_UNREADY"
}

# Runs "${@:2}" as the server, detached, appending its output to $1.
# setsid: own session, so a Ctrl-C or the end of the calling test runner's
# process group does not take the server down; the redirections keep it from
# holding the caller's pipes (e.g. `$(redis.sh start)`) open; 9>&- keeps the
# lock fd out of it. The cd keeps droppings (hs_err files) out of the
# caller's cwd; exec keeps $! the server's pid.
launch_detached() {
  local out="$1"
  shift
  (
    cd "$RUN_DIR"
    exec nohup setsid "$@"
  ) </dev/null >>"$out" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  # Until nohup/setsid exec the server, $pid still shows this script's
  # command line; wait for the exec so the liveness checks don't misread
  # that window as "the server exited".
  local deadline=$((SECONDS + EXEC_WAIT))
  while ! "$IS_OUR_PROCESS" "$pid" && kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do
    sleep "$EXEC_POLL"
  done
}

start_local_server() {
  local fresh=0 arg
  for arg in "$@"; do
    case "$arg" in
      --fresh) fresh=1 ;;
      *) die "unknown option for start: $arg" ;;
    esac
  done
  "$PREPARE_START"

  local pid
  if pid="$(running_pid)"; then
    if (( fresh )); then
      stop_local_server
    else
      # Possibly still starting (an earlier start was interrupted); give it
      # the normal startup window before declaring it broken.
      log "$SERVER_NOUN already running (pid $pid)"
      wait_ready "$pid"
      echo "$READY_LINE"
      return 0
    fi
  fi
  rm -f "$PID_FILE"
  "$SETUP_START" "$fresh"
  "$LAUNCH"
  wait_ready "$(cat "$PID_FILE")"
  echo "$READY_LINE"
}

stop_local_server() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "no $SERVER_NOUN running"
    return 0
  fi
  log "stopping $SERVER_NOUN (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while "$IS_OUR_PROCESS" "$pid" && (( SECONDS < deadline )); do
    sleep "$STOP_POLL"
  done
  if "$IS_OUR_PROCESS" "$pid"; then
    log "$SERVER_NOUN did not exit within ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + KILL_WAIT))
    while "$IS_OUR_PROCESS" "$pid" && (( SECONDS < deadline )); do
      sleep "$STOP_POLL"
    done
    "$IS_OUR_PROCESS" "$pid" && die "$SERVER_NOUN (pid $pid) survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  log "$SERVER_NOUN stopped"
}

status_local_server() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    return 1
  fi
  if "$IS_HEALTHY"; then
    echo "$READY_LINE"
    return 0
  fi
  # shellcheck disable=SC2059
  log "$(printf "$MSG_NOT_ANSWERING" "$pid")"
  return 1
}

# The commands both scripts have; a script dispatches its own extras first.
run_command() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    fetch)  take_lock; fetch ;;
    start)  take_lock; start_local_server "$@" ;;
    stop)   take_lock; stop_local_server ;;
    status) status_local_server ;;
    -h|--help|help) usage 0 ;;
    "") usage ;;
    *) echo "$SCRIPT_NAME: error: unknown command: $cmd" >&2; usage ;;
  esac
}
