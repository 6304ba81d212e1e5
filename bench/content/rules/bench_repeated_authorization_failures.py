"""Actions refused for lack of permission: someone probing what their
credentials may do."""

from bench_audit_helpers import actor_label, audit_context

REFUSED = ("not authorized", "permission denied", "access denied", "forbidden")


def _refusals(event):
    messages = event.deep_walk("errors", "message", default=[])
    messages = [messages] if isinstance(messages, str) else messages
    return [m for m in messages if isinstance(m, str) and any(r in m.lower() for r in REFUSED)]


def rule(event):
    return event.get("actionResult") in ("FAILED", "PARTIALLY_FAILED") and bool(_refusals(event))


def title(event):
    return f"{actor_label(event)} was refused {event.get('actionName', 'an action').lower()}"


def dedup(event):
    return actor_label(event)


def alert_context(event):
    return audit_context(event, refusals=_refusals(event)[:5])
