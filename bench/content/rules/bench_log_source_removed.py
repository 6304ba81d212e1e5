"""A log source or cloud account removed (or switched off): logs stop arriving
and nothing alerts on their absence."""

from bench_audit_helpers import action_input, actor_label, audit_context, succeeded

REMOVALS = {"DELETE_LOG_SOURCE": "deleted", "DELETE_CLOUD_ACCOUNT": "deleted"}


def _verb(event):
    action = event.get("actionName")
    if action in REMOVALS:
        return REMOVALS[action]
    if action == "UPDATE_LOG_SOURCE" and action_input(event).get("enabled") is False:
        return "disabled"
    return None


def rule(event):
    return succeeded(event) and _verb(event) is not None


def title(event):
    source = action_input(event)
    label = source.get("label") or source.get("name") or source.get("id") or "a log source"
    return f"Log source {label} {_verb(event)} by {actor_label(event)}"


def alert_context(event):
    source = action_input(event)
    return audit_context(event, source_id=source.get("id"), source_label=source.get("label"), change=_verb(event))
