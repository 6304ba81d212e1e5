"""panther_core.traversal's module functions behave as the deep_get and
deep_walk that content ships in its global helpers: they walk the immutable
views, so keys match in any case. The expected values are what those helpers
give for this test's log."""

from panther_core.immutable import ImmutableList
from panther_core.traversal import deep_get, deep_walk


def rule(event):
    if not __debug__:
        raise RuntimeError("assert statements are disabled: the checks would prove nothing")
    assert deep_walk(event, "records", "id") == [1, 2]
    assert deep_walk(event, "RECORDS", "ID", return_val="first") == 1
    assert deep_walk(event, "records", "id", return_val="last") == 2
    # A path that ends on a list gives the list itself.
    single = deep_walk(event, "single")
    assert isinstance(single, ImmutableList) and single == ["x"]
    assert deep_walk(event, "nullable", default="d") == "d"
    # Unlike PantherEvent.deep_walk, a missing key ends the walk with the default.
    assert deep_walk(event, "missing", "k", default={"k": 1}) == {"k": 1}
    assert deep_walk(event) is event
    assert deep_get(event, "records", default="d") == [{"Id": 1}, {"id": 2}, {"Id": 1}]
    # deep_get goes on from the default.
    assert deep_get(event, "missing", "k", default={"k": 1}) == 1
    return True
