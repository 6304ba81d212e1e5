"""Metrics around helper calls. Panther sends timings to Datadog when its
deployment asks for it; detections here never report metrics of their own
(the engine measures every run), so the decorator only passes calls through."""

import functools

DD_ENV = ""
USE_DETECTION_HELPER_MONITORING = False
USE_MONITORING = False


def wrap(name, tags=None):
    """Decorator factory: `@wrap(name="op")` leaves the function's behaviour,
    name and docstring as they are."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)

        return wrapper

    return decorator


__all__ = ["DD_ENV", "USE_DETECTION_HELPER_MONITORING", "USE_MONITORING", "wrap"]
