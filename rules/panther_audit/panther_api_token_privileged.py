"""An API token was created (or changed) with rights to change things, not
only read them. Tokens outlive the people who make them and skip SSO and MFA,
so a write or admin token is a durable way back in."""

from panther_audit_helpers import actor_context, actor_description, ids_in, input_field, is_list, succeeded

TOKEN_ACTIONS = {"CREATE_API_TOKEN": "created", "UPDATE_API_TOKEN": "updated"}

# Panther permissions that let a token make more users, tokens or settings.
ADMIN_PERMISSIONS = ("UserModify", "OrganizationAPITokenModify", "GeneralSettingsModify")
# Caracal's API writes a token's role (proto enum name, e.g. ROLE_ADMIN) instead
# of permissions: admin manages tokens and sources, analyst changes detections
# and alerts, read-only reads.
ADMIN_ROLES = {"admin"}
WRITE_ROLES = {"analyst"}


def permissions(event):
    value = input_field(event, "permissions")
    return [item for item in value if isinstance(item, str)] if is_list(value) else []


def caracal_role(event):
    role = input_field(event, "role")
    if not isinstance(role, str):
        return None
    role = role.strip().lower().replace("_", "-")
    return role[len("role-"):] if role.startswith("role-") else role


def write_permissions(event):
    # Panther names every write right *Modify; BulkUpload replaces detections.
    return [p for p in permissions(event) if p.endswith("Modify") or p == "BulkUpload"]


def level(event):
    """'admin', 'write' or None for a token that can only read."""
    role = caracal_role(event)
    granted = permissions(event)
    if role in ADMIN_ROLES or any(p in ADMIN_PERMISSIONS for p in granted):
        return "admin"
    if role in WRITE_ROLES or write_permissions(event):
        return "write"
    return None


def token_name(event):
    name = input_field(event, "name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    ids = ids_in(event.deep_get("actionDetails", "tokenId")) or ids_in(input_field(event, "id", "tokenId"))
    return ids[0] if ids else "<unnamed>"


def rule(event):
    return event.get("actionName") in TOKEN_ACTIONS and succeeded(event) and level(event) is not None


def severity(event):
    # A token that can mint users or tokens is a full takeover; one that can
    # change detections or alerts is serious but contained.
    return "DEFAULT" if level(event) == "admin" else "MEDIUM"


def title(event):
    verb = TOKEN_ACTIONS.get(event.get("actionName"), "changed")
    return f"API token '{token_name(event)}' {verb} with {level(event)} rights by {actor_description(event)}"


def dedup(event):
    return f"token:{token_name(event)}"


def alert_context(event):
    context = actor_context(event)
    context["token_name"] = token_name(event)
    context["token_id"] = event.deep_get("actionDetails", "tokenId")
    context["level"] = level(event)
    context["role"] = caracal_role(event)
    context["write_permissions"] = write_permissions(event)
    context["allowed_cidrs"] = input_field(event, "allowedCIDRBlocks")
    return context
