from panther_base_helpers import deep_get  # not part of this content


def rule(event):
    return True
