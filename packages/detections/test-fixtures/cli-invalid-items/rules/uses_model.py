def rule(event):
    return event.udm("actor") == "admin"
