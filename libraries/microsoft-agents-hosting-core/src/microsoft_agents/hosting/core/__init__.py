"""The turn engine of agents: context, adapters, application routing, state and storage.

Every public name of the distribution is importable from here, except the proactive classes,
the typing options and ``AsyncStorageBase`` (import those from their sub-packages), and the
in-process test adapter, which lives in ``microsoft_agents.hosting.core.testing``.
"""

from ._activity_handler import ActivityHandler
from ._channel_adapter import ChannelAdapter
from ._factories import CardFactory, MessageFactory
from ._middleware import Agent, Middleware, MiddlewareSet
from ._turn_context import TurnContext
from .app import (
    AgentApplication,
    AgenticUserAuthorization,
    ApplicationOptions,
    AuthHandler,
    Authorization,
    ConversationState,
    InputFile,
    InputFileDownloader,
    Query,
    RouteHandler,
    RouteRank,
    RouteSelector,
    StatePropertyAccessor,
    StateT,
    TempState,
    TurnState,
    TypingIndicator,
)
from .app.adaptive_card import AdaptiveCard
from .app.oauth import ConnectorUserAuthorization
from .app.streaming import Citation, CitationUtil, StreamingResponse
from .authorization import AuthenticationConstants, AuthTypes, ClaimsIdentity
from .errors import (
    ApplicationError,
    ErrorMessage,
    ErrorResources,
    HostingError,
    StorageConflictError,
    StorageError,
    error_resources,
)
from .state import AgentState, UserState
from .storage import (
    ETAG_ANY,
    ETAG_CREATE_ONLY,
    MemoryStorage,
    Storage,
    StoreItem,
    ignore_error,
    is_status_code_error,
)

__all__ = [
    "ETAG_ANY",
    "ETAG_CREATE_ONLY",
    "ActivityHandler",
    "AdaptiveCard",
    "Agent",
    "AgentApplication",
    "AgentState",
    "AgenticUserAuthorization",
    "ApplicationError",
    "ApplicationOptions",
    "AuthHandler",
    "AuthTypes",
    "AuthenticationConstants",
    "Authorization",
    "CardFactory",
    "ChannelAdapter",
    "Citation",
    "CitationUtil",
    "ClaimsIdentity",
    "ConnectorUserAuthorization",
    "ConversationState",
    "ErrorMessage",
    "ErrorResources",
    "HostingError",
    "InputFile",
    "InputFileDownloader",
    "MemoryStorage",
    "MessageFactory",
    "Middleware",
    "MiddlewareSet",
    "Query",
    "RouteHandler",
    "RouteRank",
    "RouteSelector",
    "StatePropertyAccessor",
    "StateT",
    "Storage",
    "StorageConflictError",
    "StorageError",
    "StoreItem",
    "StreamingResponse",
    "TempState",
    "TurnContext",
    "TurnState",
    "TypingIndicator",
    "UserState",
    "error_resources",
    "ignore_error",
    "is_status_code_error",
]
