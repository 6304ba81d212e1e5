"""A console user was changed: their email, name or role. A changed role or
email is how an attacker promotes an account or takes it over."""

from collections.abc import Mapping

from panther_audit_helpers import (
    action_input,
    actor_context,
    actor_description,
    ids_in,
    input_field,
    is_automation,
    succeeded,
)

# Fields of the input that name the change rather than the user changed.
TARGET_FIELDS = ("email", "id")


def target_user(event):
    for field in TARGET_FIELDS:
        ids = ids_in(input_field(event, field))
        if ids:
            return ids[0]
    return "<unknown user>"


def rule(event):
    return event.get("actionName") == "UPDATE_USER" and succeeded(event)


def severity(event):
    # SCIM provisioning and Panther's own role sync change users all day, as
    # the identity provider says: a record, not a page.
    return "INFO" if is_automation(event) else "DEFAULT"


def title(event):
    return f"User {target_user(event)} modified by {actor_description(event)}"


def dedup(event):
    return f"user:{target_user(event)}"


def alert_context(event):
    context = actor_context(event)
    params = action_input(event)
    context["target_user"] = target_user(event)
    context["fields_sent"] = sorted(str(key) for key in params) if isinstance(params, Mapping) else []
    context["by_automation"] = is_automation(event)
    return context
