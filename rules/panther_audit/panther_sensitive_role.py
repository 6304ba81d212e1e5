"""A user role was created or changed so that it grants the rights that let
its holders take over the console: managing users, managing API tokens or
changing the general settings."""

from panther_audit_helpers import (
    actor_context,
    actor_description,
    ids_in,
    input_field,
    is_list,
    succeeded,
)

ROLE_ACTIONS = {"CREATE_USER_ROLE": "created", "UPDATE_USER_ROLE": "updated"}

# Whoever holds one of these can make themselves or a token an admin. Reading
# the token list (OrganizationAPITokenRead) shows no secrets, so it is left out.
SENSITIVE_PERMISSIONS = ("UserModify", "OrganizationAPITokenModify", "GeneralSettingsModify")


def granted_permissions(event):
    # Both input shapes; an input without a permission list (or with a
    # malformed one) grants nothing this rule can see, and must not raise.
    permissions = input_field(event, "permissions")
    if not is_list(permissions):
        return []
    return [item for item in permissions if isinstance(item, str)]


def sensitive_permissions(event):
    granted = set(granted_permissions(event))
    return [name for name in SENSITIVE_PERMISSIONS if name in granted]


def role_name(event):
    name = input_field(event, "name", "roleName")
    if isinstance(name, str) and name.strip():
        return name.strip()
    ids = ids_in(input_field(event, "id", "roleId"))
    return ids[0] if ids else "<unknown role>"


def rule(event):
    return (
        event.get("actionName") in ROLE_ACTIONS
        and succeeded(event)
        and bool(sensitive_permissions(event))
    )


def title(event):
    verb = ROLE_ACTIONS.get(event.get("actionName"), "changed")
    return (
        f"Role '{role_name(event)}' {verb} with {', '.join(sensitive_permissions(event))} "
        f"by {actor_description(event)}"
    )


def dedup(event):
    # Edits of one role in a session are one review for the responder.
    return f"role:{role_name(event)}"


def alert_context(event):
    context = actor_context(event)
    context["role_name"] = role_name(event)
    context["sensitive_permissions"] = sensitive_permissions(event)
    context["permissions"] = granted_permissions(event)
    return context
