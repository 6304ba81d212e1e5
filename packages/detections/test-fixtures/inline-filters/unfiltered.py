def rule(event):
    return event.get("action") == "delete"
