"""An API token created or changed with a permission that modifies something:
tokens outlive the people who made them."""

from bench_audit_helpers import action_input, actor_label, audit_context, permissions_in, succeeded

TOKEN_EVENTS = ("api_token_created", "api_token_modified")


def _write_permissions(event):
    return sorted({p for p in permissions_in(event) if isinstance(p, str) and p.endswith("Modify")})


def rule(event):
    return event.udm("event_type") in TOKEN_EVENTS and succeeded(event) and bool(_write_permissions(event))


def title(event):
    name = action_input(event).get("name", "<unnamed token>")
    return f"API token {name!r} granted {', '.join(_write_permissions(event))} by {actor_label(event)}"


def dedup(event):
    return f"token:{action_input(event).get('name', '')}"


def alert_context(event):
    return audit_context(event, token=action_input(event).get("name"), write_permissions=_write_permissions(event))
