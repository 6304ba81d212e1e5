"""Reading Panther.Audit events the same way in every rule of this pack.

The console writes an action's input either as actionParams.dynamic.input
(newer) or as actionParams.input (older); Caracal's own API trail writes the
newer shape. Every rule goes through action_input() so that neither shape is
ever a special case, and never raises on the one it did not expect."""

import re
import time
from calendar import timegm
from collections.abc import Mapping, Sequence

INPUT_PATHS = (("actionParams", "dynamic", "input"), ("actionParams", "input"))

# Panther writes changes made by its own automation with these actors: SCIM
# provisioning and the "System" user (for example, role sync on SAML login).
SCIM_ACTOR = "scim"
SYSTEM_ACTOR_ID = "00000000-0000-4000-8000-000000000000"

ACTOR_KINDS = {"USER": "user", "TOKEN": "token"}

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def succeeded(event):
    return event.get("actionResult") == "SUCCEEDED"


def action_input(event):
    """The action's input in either shape, or None when the event has none."""
    for path in INPUT_PATHS:
        value = event.deep_get(*path)
        if value is not None:
            return value
    return None


def input_field(event, *names, default=None):
    """The first of `names` present in the action's input mapping."""
    params = action_input(event)
    if not isinstance(params, Mapping):
        return default
    for name in names:
        value = params.get(name)
        if value is not None:
            return value
    return default


def input_mappings(event):
    """The input and the mappings nested one level inside it: settings are
    written flat by some clients and as {"samlSettings": {...}} by others."""
    params = action_input(event)
    if not isinstance(params, Mapping):
        return []
    found = [params]
    for value in params.values():
        if isinstance(value, Mapping):
            found.append(value)
    return found


def ids_in(value, keys=("id", "name")):
    """Ids out of an id, a list of ids, or items like {"id": ...}; de-duplicated."""
    found = []

    def walk(item):
        if isinstance(item, bool) or item is None:
            return
        if isinstance(item, (str, int)):
            text = str(item).strip()
            if text and text not in found:
                found.append(text)
        elif isinstance(item, Mapping):
            for key in keys:
                if item.get(key) is not None:
                    walk(item.get(key))
                    return
        elif is_list(item):
            for entry in item:
                walk(entry)

    walk(value)
    return found


def ids_in_fields(params, fields):
    """Ids out of the first of `fields` of an input mapping that names any (or
    out of the input itself when it is not a mapping)."""
    if not isinstance(params, Mapping):
        return ids_in(params)
    for field in fields:
        ids = ids_in(params.get(field))
        if ids:
            return ids
    return []


def as_number(value):
    """A count or size that may be written as a number or a numeric string."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def actor_identity(event):
    for path in (("actor", "attributes", "email"), ("actor", "name"), ("actor", "id")):
        value = event.deep_get(*path)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "unknown"


def actor_key(event):
    """A stable key for the actor: its id, which survives a change of name or email."""
    actor_id = event.deep_get("actor", "id")
    if isinstance(actor_id, str) and actor_id.strip():
        return actor_id.strip()
    return actor_identity(event)


def actor_description(event):
    actor_type = event.deep_get("actor", "type", default="")
    kind = ACTOR_KINDS.get(str(actor_type).upper(), "actor")
    return f"{kind} {actor_identity(event)}"


def is_automation(event):
    """SCIM or Panther's own system user, not a person or a customer's token."""
    actor_id = str(event.deep_get("actor", "id", default="") or "")
    actor_name = str(event.deep_get("actor", "name", default="") or "")
    if actor_id == SYSTEM_ACTOR_ID:
        return True
    return SCIM_ACTOR in (actor_id.lower(), actor_name.lower())


def event_epoch(event):
    """The event's time in epoch seconds (p_event_time, else timestamp), else now."""
    for field in ("p_event_time", "timestamp"):
        value = event.get(field)
        if not isinstance(value, str):
            continue
        match = _TIMESTAMP.match(value.strip())
        if not match:
            continue
        year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
        epoch = timegm((year, month, day, hour, minute, second, 0, 0, 0))
        offset = match.group(7)
        if offset and offset != "Z":
            sign = 1 if offset[0] == "+" else -1
            digits = offset[1:].replace(":", "")
            epoch -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
        return epoch
    return int(time.time())


def actor_context(event):
    """The fields every alert of this pack carries about who did what from where."""
    return {
        "action": event.get("actionName"),
        "action_result": event.get("actionResult"),
        "actor_id": event.deep_get("actor", "id"),
        "actor_type": event.deep_get("actor", "type"),
        "actor_name": event.deep_get("actor", "name"),
        "actor_email": event.deep_get("actor", "attributes", "email"),
        "actor_role": event.deep_get("actor", "attributes", "roleName"),
        "source_ip": event.get("sourceIP"),
        "user_agent": event.get("userAgent"),
    }


def hour_window(event, seconds=3600):
    """(start, end) epoch seconds of the fixed window the event falls in.

    Counters in the shared cache are keyed by this window instead of relying
    on key expiry: the reference cache resets a counter's expiry on every
    increment, so expiry cannot bound a window there."""
    start = int(event_epoch(event)) // seconds * seconds
    return start, start + seconds
