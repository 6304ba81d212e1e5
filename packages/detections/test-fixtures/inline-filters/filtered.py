def rule(event):
    # Only events the InlineFilters let through may arrive here.
    if not str(event.get("env", "")).startswith("prod"):
        raise AssertionError("rule() ran on an event the filters exclude")
    return event.get("action") == "delete"
