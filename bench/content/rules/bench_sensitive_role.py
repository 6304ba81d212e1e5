"""A role created or changed so that it may manage users, API tokens or the
general settings: the way to hand out admin rights quietly."""

from bench_audit_helpers import action_input, actor_label, audit_context, permissions_in, succeeded

SENSITIVE = frozenset({"UserModify", "OrganizationAPITokenModify", "GeneralSettingsModify"})
ROLE_EVENTS = ("role_created", "role_modified")


def _granted(event):
    return sorted(SENSITIVE.intersection(permissions_in(event)))


def rule(event):
    return event.udm("event_type") in ROLE_EVENTS and succeeded(event) and bool(_granted(event))


def title(event):
    role = action_input(event).get("name", "<unnamed role>")
    verb = "created" if event.udm("event_type") == "role_created" else "updated"
    return f"Role {role!r} {verb} with {', '.join(_granted(event))} by {actor_label(event)}"


def dedup(event):
    return f"role:{action_input(event).get('name', '')}"


def alert_context(event):
    return audit_context(event, role=action_input(event).get("name"), sensitive_permissions=_granted(event))
