"""``TempState`` (module path kept for code written against the published SDK)."""

from ._scopes import TempState

__all__ = ["TempState"]
