"""Lets the host stop one detection run without stopping the interpreter.

The host thread cannot interrupt Python directly; it writes a signal number into
Pyodide's interrupt buffer and Python runs `_on_signal` at the next bytecode
boundary (also inside long C loops such as `re`, which check for signals). Each
run reports (unit, rule) to the host before it starts and gets a sequence number
back, so the host knows which run is overdue and names it if it has to kill the
worker anyway.

Outside Pyodide (the native benchmark) nothing is installed and every call here
is a cheap no-op."""

import signal

# SIGUSR1: ignored by default in Pyodide, so a late signal is harmless.
SUPERVISION_SIGNAL = signal.SIGUSR1


class DetectionTimeout(BaseException):
    """A BaseException so that `except Exception` in customer code cannot swallow it."""


class MemoryLimitExceeded(BaseException):
    pass


_report_progress = None
_overdue_seq = None
_memory_exceeded = None
# The host's sequence number of the current run; 0 between runs.
_running = 0
_time_limit_ms = 0
_memory_limit_mb = 0


def _on_signal(signum, frame):
    if not _running:
        return
    if _overdue_seq() == _running:
        raise DetectionTimeout(f"stopped after exceeding the time limit of {_time_limit_ms} ms")
    if _memory_exceeded():
        raise MemoryLimitExceeded(f"stopped: the interpreter's memory grew past the limit of {_memory_limit_mb} MB")


def install(report_progress, overdue_seq, memory_exceeded, time_limit_ms, memory_limit_mb):
    global _report_progress, _overdue_seq, _memory_exceeded, _time_limit_ms, _memory_limit_mb
    _report_progress = report_progress
    _overdue_seq = overdue_seq
    _memory_exceeded = memory_exceeded
    _time_limit_ms = time_limit_ms
    _memory_limit_mb = memory_limit_mb
    signal.signal(SUPERVISION_SIGNAL, _on_signal)


def begin(unit_index, rule_index):
    global _running
    if _report_progress is not None:
        _running = _report_progress(unit_index, rule_index)


def end():
    global _running
    _running = 0
