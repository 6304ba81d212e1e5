def rule(event):
    return True


def title(event):
    return "t" * 1500


def destinations(event):
    return ["pager", "slack"]
