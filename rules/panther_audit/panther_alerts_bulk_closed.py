"""One actor closing or resolving many alerts in a short time: clearing the
queue so that real alerts are never looked at."""

from panther_detection_helpers.caching import increment_counter, set_key_expiration

from panther_audit_helpers import (
    actor_context,
    actor_description,
    actor_key,
    as_number,
    hour_window,
    ids_in,
    input_field,
    succeeded,
)

CLOSING_STATUSES = {"CLOSED", "RESOLVED"}
# 20 alerts in a clock hour: a busy analyst triages fewer by hand; a UI bulk
# action or a script clearing the queue goes over it at once.
BULK_ALERTS = 20
WINDOW_SECONDS = 3600


def new_status(event):
    status = input_field(event, "status")
    if not isinstance(status, str):
        return None
    # Caracal's API writes its enum name (ALERT_STATUS_CLOSED).
    status = status.strip().upper()
    return status[len("ALERT_STATUS_"):] if status.startswith("ALERT_STATUS_") else status


def closed_alert_ids(event):
    return ids_in(input_field(event, "alertIds", "ids")) or ids_in(input_field(event, "alertId", "id"))


def rule(event):
    if event.get("actionName") != "UPDATE_ALERT_STATUS" or not succeeded(event):
        return False
    # Caracal writes alert comments as UPDATE_ALERT_STATUS too, without a status.
    if new_status(event) not in CLOSING_STATUSES:
        return False
    closed = max(len(closed_alert_ids(event)), 1)
    start, end = hour_window(event, WINDOW_SECONDS)
    key = f"Panther.Alerts.Bulk.Closed:{actor_key(event)}:{start}"
    total = as_number(increment_counter(key, closed)) or 0
    if total == closed:
        # First closure of this window: let the cache drop the key after it.
        set_key_expiration(key, end + WINDOW_SECONDS)
    return total >= BULK_ALERTS


def title(event):
    return f"Alerts closed in bulk by {actor_description(event)}"


def dedup(event):
    return f"actor:{actor_key(event)}"


def alert_context(event):
    context = actor_context(event)
    context["new_status"] = new_status(event)
    context["alert_ids_in_this_action"] = closed_alert_ids(event)
    return context
