"""Proactive messaging: store conversations and reach them again outside their turns."""

from ._builders import ConversationBuilder, ConversationReferenceBuilder
from ._conversation import Conversation, CreateConversationOptions, ProactiveOptions
from ._proactive import Proactive

__all__ = [
    "Conversation",
    "ConversationBuilder",
    "ConversationReferenceBuilder",
    "CreateConversationOptions",
    "Proactive",
    "ProactiveOptions",
]
