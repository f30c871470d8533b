"""The turn engine of agents: context, adapters, application routing, state and storage.

Every public name of the distribution is importable from here, except the proactive classes,
the typing options and ``AsyncStorageBase`` (import those from their sub-packages), and the
in-process test adapter, which lives in ``microsoft_agents.hosting.core.testing``.
"""

from ._activity_handler import ActivityHandler
from ._channel_adapter import ChannelAdapter
from ._channel_api_handler import ChannelApiHandlerProtocol
from ._channel_service_adapter import ChannelServiceAdapter
from ._factories import CardFactory, MessageFactory
from ._host_validator import OutboundHostValidator
from ._http_adapter_base import HttpAdapterBase
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
from .authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    AuthenticationConstants,
    AuthTypes,
    ClaimsIdentity,
    ConnectionManager,
    Connections,
    JwtTokenValidator,
)
from .connector import (
    ChannelServiceClientFactoryBase,
    ConnectorClient,
    ConnectorClientBase,
    RestChannelServiceClientFactory,
    RetryPolicy,
    TeamsConnectorClient,
    UserTokenClient,
    UserTokenClientBase,
    get_product_info,
)
from .errors import (
    ApplicationError,
    ErrorMessage,
    ErrorResources,
    HostingError,
    StorageConflictError,
    StorageError,
    error_resources,
)
from .http import ChannelServiceRoutes, HttpRequestProtocol, HttpResponse, HttpResponseFactory
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
    "AccessTokenProviderBase",
    "ActivityHandler",
    "AdaptiveCard",
    "Agent",
    "AgentApplication",
    "AgentAuthConfiguration",
    "AgentState",
    "AgenticUserAuthorization",
    "AnonymousTokenProvider",
    "ApplicationError",
    "ApplicationOptions",
    "AuthHandler",
    "AuthTypes",
    "AuthenticationConstants",
    "Authorization",
    "CardFactory",
    "ChannelAdapter",
    "ChannelApiHandlerProtocol",
    "ChannelServiceAdapter",
    "ChannelServiceClientFactoryBase",
    "ChannelServiceRoutes",
    "Citation",
    "CitationUtil",
    "ClaimsIdentity",
    "ConnectionManager",
    "Connections",
    "ConnectorClient",
    "ConnectorClientBase",
    "ConnectorUserAuthorization",
    "ConversationState",
    "ErrorMessage",
    "ErrorResources",
    "HostingError",
    "HttpAdapterBase",
    "HttpRequestProtocol",
    "HttpResponse",
    "HttpResponseFactory",
    "InputFile",
    "InputFileDownloader",
    "JwtTokenValidator",
    "MemoryStorage",
    "MessageFactory",
    "Middleware",
    "MiddlewareSet",
    "OutboundHostValidator",
    "Query",
    "RestChannelServiceClientFactory",
    "RetryPolicy",
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
    "TeamsConnectorClient",
    "TempState",
    "TurnContext",
    "TurnState",
    "TypingIndicator",
    "UserState",
    "UserTokenClient",
    "UserTokenClientBase",
    "error_resources",
    "get_product_info",
    "ignore_error",
    "is_status_code_error",
]
