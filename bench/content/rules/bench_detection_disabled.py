"""Detections switched off without being deleted: quieter than a deletion."""

from bench_audit_helpers import action_input, actor_label, audit_context, succeeded

STATE_ACTIONS = frozenset({"UPDATE_DETECTION_STATE", "UPDATE_RULE", "UPDATE_POLICY", "UPDATE_DETECTION_PACK_STATE"})


def _disabled_ids(event):
    change = action_input(event)
    if change.get("enabled") is not False:
        return []
    ids = change.get("ids") or change.get("id") or []
    return [ids] if isinstance(ids, str) else [str(i) for i in ids]


def rule(event):
    return event.get("actionName") in STATE_ACTIONS and succeeded(event) and bool(_disabled_ids(event))


def title(event):
    ids = _disabled_ids(event)
    shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    return f"{len(ids)} detection(s) disabled by {actor_label(event)}: {shown}"


def dedup(event):
    return actor_label(event)


def alert_context(event):
    return audit_context(event, disabled=_disabled_ids(event))
