def rule(event):
    return event.get("action") == "no_aux"
