def rule(event):
    return event.get("deletes", 0) > 10
