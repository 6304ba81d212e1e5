def rule(event):
    check = event.get("check")
    if check == "role":
        return event.udm("role_name") == "admin"
    if check == "count":
        # "7" converts to 7 for the comparison and stays the text it was; "x" does not convert and is skipped.
        return event.udm("big_count") == "7"
    if check == "path":
        return event.udm_path("role_name") == "events.[0].parameters.[1].value"
    if check == "both":
        return event.udm("admin_role") == "admin"
    if check == "string_index":
        # An index into text gives a character, as in Panther's JSONPath.
        return event.udm("first_letter") == "X"
    if check == "self":
        # `@` alone is the element itself; two matches make udm() raise.
        try:
            event.udm("a_tags")
        except Exception:  # pylint: disable=broad-except
            return True
        return False
    return False
