"""Failed console sign-ins: guessing or spraying passwords. One failure is a
typo; the rule's Threshold turns a run of them into an alert."""

from panther_audit_helpers import actor_context, actor_identity, actor_key


def source_address(event):
    address = event.get("sourceIP")
    return address if isinstance(address, str) and address else "unknown address"


def rule(event):
    return event.get("actionName") == "SIGN_IN" and event.get("actionResult") == "FAILED"


def title(event):
    return f"Repeated failed sign-ins as {actor_identity(event)} from {source_address(event)}"


def dedup(event):
    # Threshold counts per dedup key: one key per account and address, so a
    # person mistyping on the office network does not add to a guesser's count.
    return f"actor:{actor_key(event)}|ip:{source_address(event)}"


def alert_context(event):
    context = actor_context(event)
    context["x_forwarded_for"] = event.get("XForwardedFor")
    context["errors"] = [
        item.get("message") for item in event.get("errors") or [] if hasattr(item, "get")
    ]
    return context
