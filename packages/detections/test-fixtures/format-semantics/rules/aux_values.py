"""Every auxiliary function returns what the event's field of its name holds,
so one rule shows each default, cut and refusal."""


def rule(event):
    return event.get("action") == "aux"


def title(event):
    return event.get("title")


def dedup(event):
    return event.get("dedup")


def severity(event):
    return event.get("severity")


def alert_context(event):
    size = event.get("context_bytes")
    if size is not None:
        # {"blob":"..."} serialises to the blob plus 11 bytes.
        return {"blob": "x" * (size - 11)}
    return event.get("alert_context")


def description(event):
    return event.get("description")


def reference(event):
    return event.get("reference")


def runbook(event):
    return event.get("runbook")


def destinations(event):
    return event.get("destinations")
