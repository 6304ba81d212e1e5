"""Someone removed detection content (a detection, a data model, a helper, ...)
from the console: the first step of blinding the security tool."""

from panther_audit_helpers import action_input, actor_description, ids_in_fields

# actionName -> (singular, plural) of what was deleted, as shown in the title.
DELETED_KINDS = {
    "DELETE_DETECTION": ("Detection", "Detections"),
    "DELETE_DATA_MODEL": ("Data model", "Data models"),
    "DELETE_GLOBAL_HELPER": ("Global helper", "Global helpers"),
    "DELETE_LOOKUP_TABLE": ("Lookup table", "Lookup tables"),
    "DELETE_SAVED_DATA_LAKE_QUERY": ("Saved query", "Saved queries"),
    "DELETE_DETECTION_PACK_SOURCE": ("Detection pack source", "Detection pack sources"),
}

# Input fields that carry the deleted items, most specific first. Each holds
# an id, a list of ids, or items like {"id": ...} / {"name": ...}.
ID_FIELDS = ("detections", "ids", "id", "names", "name")

TITLE_IDS_SHOWN = 5


def deleted_ids(event):
    return ids_in_fields(action_input(event), ID_FIELDS)


def rule(event):
    return event.get("actionName") in DELETED_KINDS and event.get("actionResult") == "SUCCEEDED"


def title(event):
    singular, plural = DELETED_KINDS.get(event.get("actionName"), ("Detection", "Detections"))
    ids = deleted_ids(event)
    by = f"deleted by {actor_description(event)}"
    if not ids:
        what = "Detection content" if singular == "Detection" else singular
        return f"{what} {by}"
    shown = ", ".join(f"'{item}'" for item in ids[:TITLE_IDS_SHOWN])
    more = f" and {len(ids) - TITLE_IDS_SHOWN} more" if len(ids) > TITLE_IDS_SHOWN else ""
    kind = singular if len(ids) == 1 else plural
    return f"{kind} {shown}{more} {by}"


def dedup(event):
    # One alert per actor: a purge of many detections is one incident.
    actor_id = event.deep_get("actor", "id")
    return f"actor:{actor_id}" if actor_id else f"actor:{actor_identity(event)}"


def alert_context(event):
    return {
        "action": event.get("actionName"),
        "deleted_ids": deleted_ids(event),
        "actor_id": event.deep_get("actor", "id"),
        "actor_type": event.deep_get("actor", "type"),
        "actor_name": event.deep_get("actor", "name"),
        "actor_email": event.deep_get("actor", "attributes", "email"),
        "source_ip": event.get("sourceIP"),
        "user_agent": event.get("userAgent"),
    }
