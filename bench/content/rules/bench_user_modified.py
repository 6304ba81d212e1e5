"""A console user changed (role, email, name): only a problem when a person
did it, since SCIM provisioning does it all day."""

from bench_audit_helpers import action_input, actor_label, audit_context, is_machine_actor, succeeded


def rule(event):
    return event.udm("event_type") == "user_modified" and succeeded(event)


def severity(event):
    return "INFO" if is_machine_actor(event) else "DEFAULT"


def title(event):
    target = action_input(event).get("email") or action_input(event).get("id") or "a user"
    return f"User {target} modified by {actor_label(event)}"


def dedup(event):
    return f"{actor_label(event).lower()}:{action_input(event).get('email', '')}"


def alert_context(event):
    changes = action_input(event)
    return audit_context(event, target=changes.get("email"), new_role=changes.get("role"))
