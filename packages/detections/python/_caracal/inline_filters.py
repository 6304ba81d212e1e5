"""A rule's InlineFilters: match expressions that must all hold for the rule to
see an event at all. An event they exclude is not a match and rule() is not
called, on the stream and in tests alike (both run through run_detection)."""

from _caracal.match_expression import compile_all


def compile_filters(specs):
    """A function event -> bool, or None when the rule has no filters (the common
    case, kept free of any per-event cost)."""
    if not specs:
        return None
    return compile_all(specs)
