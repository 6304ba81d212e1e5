"""The error type detections may catch from the event API."""


class PantherError(Exception):
    """Raised by PantherEvent for a use of the data model API that cannot be
    answered (udm_path on an event whose log type has no data model). Its
    arguments are a category, then details; its text joins them, so content
    that prints the error sees "<category>: <details>"."""

    def __str__(self):
        if not self.args:
            return ""
        category, *details = self.args
        if not details:
            return str(category)
        return f"{category}: {', '.join(str(detail) for detail in details)}"


__all__ = ["PantherError"]
