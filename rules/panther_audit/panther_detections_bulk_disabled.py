"""Many detections switched off or deleted by one actor in a short time:
blinding the security tool before (or while) acting."""

from collections.abc import Mapping

from panther_detection_helpers.caching import increment_counter, set_key_expiration

from panther_audit_helpers import (
    action_input,
    actor_context,
    actor_description,
    actor_key,
    as_number,
    hour_window,
    ids_in,
    ids_in_fields,
    input_field,
    is_list,
    succeeded,
)

# Five detections in a clock hour: tuning touches one or two at a time.
BULK_DETECTIONS = 5
WINDOW_SECONDS = 3600
# A pack holds many detections: disabling one counts as a bulk action by itself.
PACK_WEIGHT = BULK_DETECTIONS
ID_FIELDS = ("detections", "ids", "id")


def disabled_ids(event):
    """Ids of the detections this action switched off (an id per detection)."""
    params = action_input(event)
    if not isinstance(params, Mapping):
        return []
    if params.get("enabled") is False:
        return ids_in_fields(params, ID_FIELDS)
    # Per-item states: {"detections": [{"id": ..., "enabled": false}, ...]}.
    items = params.get("detections")
    if is_list(items):
        return ids_in([item for item in items if isinstance(item, Mapping) and item.get("enabled") is False])
    return []


def deleted_ids(event):
    return ids_in_fields(action_input(event), ID_FIELDS)


def weight(event):
    """How many detections this action took out of service (0 for none)."""
    action = event.get("actionName")
    if action == "DELETE_DETECTION":
        return max(len(deleted_ids(event)), 1)
    if action == "UPDATE_DETECTION_STATE":
        return len(disabled_ids(event))
    if action == "UPDATE_DETECTION_PACK_STATE":
        return PACK_WEIGHT if input_field(event, "enabled") is False else 0
    if action in ("UPDATE_RULE", "UPDATE_POLICY"):
        return 1 if input_field(event, "enabled") is False else 0
    return 0


def rule(event):
    if not succeeded(event):
        return False
    count = weight(event)
    if count <= 0:
        return False
    start, end = hour_window(event, WINDOW_SECONDS)
    key = f"Panther.Detections.Bulk.Disabled:{actor_key(event)}:{start}"
    total = as_number(increment_counter(key, count)) or 0
    if total == count:
        set_key_expiration(key, end + WINDOW_SECONDS)
    return total >= BULK_DETECTIONS


def title(event):
    return f"Detections disabled or deleted in bulk by {actor_description(event)}"


def dedup(event):
    return f"actor:{actor_key(event)}"


def alert_context(event):
    context = actor_context(event)
    context["detections_in_this_action"] = (
        deleted_ids(event) if event.get("actionName") == "DELETE_DETECTION" else disabled_ids(event)
    )
    context["weight_of_this_action"] = weight(event)
    return context
