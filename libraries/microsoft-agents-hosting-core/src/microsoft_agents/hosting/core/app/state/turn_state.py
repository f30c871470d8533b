"""``TurnState`` (module path kept for code written against the published SDK)."""

from ._turn_state import TurnState

__all__ = ["TurnState"]
