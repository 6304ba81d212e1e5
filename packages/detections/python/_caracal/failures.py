"""How an exception from customer code is reported: type, message, short traceback."""

import os
import traceback

_HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))
MAX_TRACEBACK_CHARS = 4000
MAX_FRAMES = 8


def _customer_frames(tb):
    # The harness frames say nothing to the rule author; keep only theirs (and helpers').
    summary = traceback.extract_tb(tb)
    return traceback.StackSummary.from_list(
        [frame for frame in summary if not frame.filename.startswith(_HARNESS_DIR)][-MAX_FRAMES:]
    )


def describe(exc):
    error_type = type(exc).__name__
    message = str(exc)
    lines = ["Traceback (most recent call last):\n"]
    lines.extend(_customer_frames(exc.__traceback__).format())
    lines.extend(traceback.format_exception_only(type(exc), exc))
    text = "".join(lines)
    if len(text) > MAX_TRACEBACK_CHARS:
        text = "...\n" + text[-MAX_TRACEBACK_CHARS:]
    return {"errorType": error_type, "message": message, "traceback": text}


def one_line(exc):
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
