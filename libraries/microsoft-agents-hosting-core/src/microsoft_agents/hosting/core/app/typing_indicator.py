"""Import path kept for code written against the published module layout."""

from ._typing import TypingChannelStrategy, TypingIndicator, TypingOptions

__all__ = ["TypingChannelStrategy", "TypingIndicator", "TypingOptions"]
