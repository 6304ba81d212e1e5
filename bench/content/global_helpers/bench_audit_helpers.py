"""What the bench rules share about Panther.Audit events."""

import re

SUCCEEDED = "SUCCEEDED"
# SCIM provisioning and the console's own jobs change users all day; a person does not.
MACHINE_ACTOR = re.compile(r"^(scim|system|panther)([-_ .]|$)", re.IGNORECASE)


def action_input(event):
    """The action's input: newer events nest it under actionParams.dynamic, older ones not."""
    found = event.deep_get("actionParams", "dynamic", "input")
    if found is None:
        found = event.deep_get("actionParams", "input")
    return found if found is not None else {}


def succeeded(event):
    return event.get("actionResult") == SUCCEEDED


def actor_label(event):
    for name in ("actor_email", "actor_user", "actor_id"):
        value = event.udm(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "unknown actor"


def is_machine_actor(event):
    if event.deep_get("actor", "type") == "TOKEN":
        return False
    return bool(MACHINE_ACTOR.match(event.udm("actor_user") or ""))


def permissions_in(event):
    """Permissions named in the input, whichever list field the action uses."""
    found = event.deep_walk("actionParams", "dynamic", "input", "permissions", default=[])
    if not found:
        found = event.deep_walk("actionParams", "input", "permissions", default=[])
    return [found] if isinstance(found, str) else list(found)


def audit_context(event, **extra):
    context = {
        "action": event.get("actionName"),
        "result": event.get("actionResult"),
        "actor": actor_label(event),
        "actor_type": event.deep_get("actor", "type"),
        "actor_role": event.deep_get("actor", "attributes", "roleName"),
        "source_ip": event.udm("source_ip"),
        "forwarded_for": event.deep_walk("XForwardedFor", default=[], return_val="all"),
        "user_agent": event.udm("user_agent"),
        "panther_version": event.get("pantherVersion"),
    }
    context.update(extra)
    return context
