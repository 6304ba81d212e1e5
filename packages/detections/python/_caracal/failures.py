"""How an exception from customer code is reported: type, message, short traceback.
Each part is bounded here, before it crosses into JavaScript: a rule can raise
an exception of any size, and what it says ends up in logs, Kafka messages,
the lake and API answers."""

import os
import traceback

_HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))
# In UTF-8 bytes, as the host counts them.
MAX_TYPE_BYTES = 256
MAX_MESSAGE_BYTES = 4096
MAX_TRACEBACK_BYTES = 8192
MAX_FRAMES = 8


def _marker(size, with_size=True):
    # The same words the host's truncateUtf8 (packages/core) uses.
    return f"\u2026 [truncated, {size} bytes]" if with_size else "\u2026 [truncated]"


def _utf8(text):
    # surrogatepass: a lone surrogate is counted, not an error (the host writes it as 3 bytes too).
    return text.encode("utf-8", "surrogatepass")


def _whole(data, end):
    """The first `end` bytes of UTF-8 `data`, moved back to a character boundary."""
    end = max(0, min(end, len(data)))
    while end > 0 and end < len(data) and (data[end] & 0xC0) == 0x80:
        end -= 1
    return data[:end].decode("utf-8", "surrogatepass")


def bounded(text, max_bytes, with_size=True):
    """`text` when it fits in `max_bytes` of UTF-8; else its start and a marker
    naming its size, together within `max_bytes`, never splitting a character."""
    if len(text) * 4 <= max_bytes:
        return text
    data = _utf8(text)
    if len(data) <= max_bytes:
        return text
    marker = _marker(len(data), with_size)
    return _whole(data, max_bytes - len(_utf8(marker))) + marker


def bounded_tail(text, max_bytes):
    """As `bounded`, keeping the end (where a traceback names the failing line)."""
    if len(text) * 4 <= max_bytes:
        return text
    data = _utf8(text)
    if len(data) <= max_bytes:
        return text
    head = _marker(len(data)) + "\n"
    start = len(data) - (max_bytes - len(_utf8(head)))
    while start < len(data) and (data[start] & 0xC0) == 0x80:
        start += 1
    return head + data[start:].decode("utf-8", "surrogatepass")


def _str(exc):
    # A customer exception's __str__ is customer code too, and may raise.
    try:
        return str(exc)
    except Exception:
        return f"<str() of the {type(exc).__name__} raised>"


def _customer_frames(tb):
    # The harness frames say nothing to the rule author; keep only theirs (and helpers').
    summary = traceback.extract_tb(tb)
    return traceback.StackSummary.from_list(
        [frame for frame in summary if not frame.filename.startswith(_HARNESS_DIR)][-MAX_FRAMES:]
    )


def describe(exc):
    error_type = bounded(type(exc).__name__, MAX_TYPE_BYTES)
    message = bounded(_str(exc), MAX_MESSAGE_BYTES)
    lines = ["Traceback (most recent call last):\n"]
    lines.extend(_customer_frames(exc.__traceback__).format())
    # The last line repeats the message: bounded like it, before the whole is.
    lines.append(bounded("".join(traceback.format_exception_only(type(exc), exc)), MAX_MESSAGE_BYTES + MAX_TYPE_BYTES))
    text = bounded_tail("".join(lines), MAX_TRACEBACK_BYTES)
    return {"errorType": error_type, "message": message, "traceback": text}


def one_line(exc):
    message = _str(exc)
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return bounded(text, MAX_MESSAGE_BYTES)
