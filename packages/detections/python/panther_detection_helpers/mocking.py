"""Telling a test's mock from the real function."""

from unittest.mock import MagicMock


def is_mock(func):
    """True when `func` is a mock a rule test installed (the Mocks of a test
    replace functions with MagicMock objects)."""
    return isinstance(func, MagicMock)


__all__ = ["is_mock"]
