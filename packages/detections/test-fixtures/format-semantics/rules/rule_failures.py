def rule(event):
    action = event.get("action")
    if action == "returns":
        # Truthy, but not a bool.
        return event.get("value")
    if action == "raises":
        raise ValueError("rule broke")
    if action == "ambiguous":
        return event.udm("resource_arn") is not None
    if action == "unmodelled":
        return event.udm("source_ip") is not None
    return False
