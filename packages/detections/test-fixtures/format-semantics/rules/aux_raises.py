"""Each auxiliary function raises when the event's `raise` field names it."""


def _maybe_raise(event, name):
    if event.get("raise") == name:
        raise RuntimeError(f"{name} broke")


def rule(event):
    return event.get("action") == "aux_raise"


def title(event):
    _maybe_raise(event, "title")
    return "raising title"


def dedup(event):
    _maybe_raise(event, "dedup")
    return "raising dedup"


def severity(event):
    _maybe_raise(event, "severity")
    return "CRITICAL"


def alert_context(event):
    _maybe_raise(event, "alert_context")
    return {"ok": True}


def description(event):
    _maybe_raise(event, "description")
    return "raising description"


def reference(event):
    _maybe_raise(event, "reference")
    return "raising reference"


def runbook(event):
    _maybe_raise(event, "runbook")
    return "raising runbook"


def destinations(event):
    _maybe_raise(event, "destinations")
    return ["pager"]
