"""Lets the host stop one detection run without stopping the interpreter.

The host thread cannot interrupt Python directly; it writes a signal number into
Pyodide's interrupt buffer and Python runs `_on_signal` at the next bytecode
boundary (also inside long C loops such as `re`, which check for signals).

Which run is going lives in `WHERE`, a word of wasm memory the host reads
directly when it looks (every tick, and when it has to name a run that broke
the interpreter): a run costs one store when it begins and one when it ends,
not a call into the host, which cost more than many rules do.

Outside Pyodide (the native benchmark) nothing is installed and the stores are
all there is."""

import signal
from array import array

# SIGUSR1: ignored by default in Pyodide, so a late signal is harmless.
SUPERVISION_SIGNAL = signal.SIGUSR1

# WHERE[0]: 0 between runs, else run_token(unit, rule). The host decodes it
# the same way (supervision-clock.ts); 'q' so that any unit fits.
WHERE = array("q", [0])
RULE_SPAN = 1 << 24

# What the host's verdict() answers in the signal handler.
VERDICT_NONE = 0
VERDICT_TIMEOUT = 1
VERDICT_MEMORY = 2


class DetectionTimeout(BaseException):
    """A BaseException so that `except Exception` in customer code cannot swallow it."""


class MemoryLimitExceeded(BaseException):
    pass


_verdict = None
_time_limit_ms = 0
_memory_limit_mb = 0


def run_token(unit_index, rule_index):
    # Units start at LOAD_UNIT (-1); 0 stays free for "no run".
    return (unit_index + 2) * RULE_SPAN + rule_index + 1


def _on_signal(signum, frame):
    if not WHERE[0]:
        return
    verdict = _verdict()
    if verdict == VERDICT_TIMEOUT:
        raise DetectionTimeout(f"stopped after exceeding the time limit of {_time_limit_ms} ms")
    if verdict == VERDICT_MEMORY:
        raise MemoryLimitExceeded(f"stopped: the interpreter's memory grew past the limit of {_memory_limit_mb} MB")


def install(verdict, time_limit_ms, memory_limit_mb):
    """verdict(): whether the run in WHERE must stop (VERDICT_*), asked on
    each supervision signal. Returns WHERE, for the host to find its address."""
    global _verdict, _time_limit_ms, _memory_limit_mb
    _verdict = verdict
    _time_limit_ms = time_limit_ms
    _memory_limit_mb = memory_limit_mb
    signal.signal(SUPERVISION_SIGNAL, _on_signal)
    return WHERE


def begin(unit_index, rule_index):
    WHERE[0] = (unit_index + 2) * RULE_SPAN + rule_index + 1


def end():
    WHERE[0] = 0
