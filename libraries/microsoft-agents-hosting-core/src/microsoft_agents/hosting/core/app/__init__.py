"""Agent applications: routes, turn pipeline, sign-in configuration and proactive messaging.

``AgentApplication[TurnState](storage=MemoryStorage(), **config)`` is the usual entry point;
register handlers with its decorators (``@app.message("hi")``, ``@app.activity("message")``,
``@app.conversation_update("membersAdded")``, ``@app.error``, ...).
"""

from ..errors import ApplicationError
from ._application import AgentApplication
from ._input_file import InputFile, InputFileDownloader
from ._options import ApplicationOptions, RouteRank
from ._routes import Route, RouteHandler, RouteSelector, StateT
from ._typing import TypingChannelStrategy, TypingIndicator, TypingOptions
from .adaptive_card.models import Query
from .oauth import AgenticUserAuthorization, AuthHandler, Authorization
from .proactive import (
    Conversation,
    ConversationBuilder,
    ConversationReferenceBuilder,
    CreateConversationOptions,
    Proactive,
    ProactiveOptions,
)
from .state import (
    ConversationState,
    State,
    StatePropertyAccessor,
    TempState,
    TurnState,
    state,  # the @state decorator: the sub-package `state` is imported by its path
)

__all__ = [
    "AgentApplication",
    "AgenticUserAuthorization",
    "ApplicationError",
    "ApplicationOptions",
    "AuthHandler",
    "Authorization",
    "Conversation",
    "ConversationBuilder",
    "ConversationReferenceBuilder",
    "ConversationState",
    "CreateConversationOptions",
    "InputFile",
    "InputFileDownloader",
    "Proactive",
    "ProactiveOptions",
    "Query",
    "Route",
    "RouteHandler",
    "RouteRank",
    "RouteSelector",
    "State",
    "StatePropertyAccessor",
    "StateT",
    "TempState",
    "TurnState",
    "TypingChannelStrategy",
    "TypingIndicator",
    "TypingOptions",
    "state",
]
