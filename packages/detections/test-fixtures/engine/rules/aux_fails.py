def rule(event):
    return event.get("action") == "aux"


def title(event):
    raise KeyError("no title today")


def severity(event):
    return "SEVERE"


def alert_context(event):
    return {"blob": "x" * (300 * 1024)}


def description(event):
    return "d" * 5000


def destinations(event):
    return "slack"
