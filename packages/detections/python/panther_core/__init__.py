"""What helpers written against Panther's detection core expect to import."""

from panther_core.data_model import DataModel, DataModelError
from panther_core.enriched_event import PantherEvent
from panther_core.immutable import ImmutableCaseInsensitiveDict, ImmutableList

__all__ = ["DataModel", "DataModelError", "ImmutableCaseInsensitiveDict", "ImmutableList", "PantherEvent"]
