def rule(event):
    action = event.get("action")
    if action == "raise":
        raise ValueError(f"boom on {action}")
    if action == "notbool":
        return "yes"
    if action == "ambiguous_udm":
        return event.udm("every_ip") is not None
    return False
