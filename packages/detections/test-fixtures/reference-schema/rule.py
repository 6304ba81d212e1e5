def rule(event):
    return event.get("action") == "go"
LIMIT = 1
