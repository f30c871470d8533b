"""``ConversationState`` (module path kept for code written against the published SDK)."""

from ._scopes import ConversationState

__all__ = ["ConversationState"]
