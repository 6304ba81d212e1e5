from cli_helpers import is_admin


def rule(event):
    return is_admin(event.get("user"))
