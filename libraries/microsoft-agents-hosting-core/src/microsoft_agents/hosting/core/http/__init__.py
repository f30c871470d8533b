"""The framework-neutral HTTP core shared by every web host.

A host adapts its framework to :class:`HttpRequestProtocol` and back from
:class:`HttpResponse`; the core does the rest:

* ``HttpAdapterBase.process_request`` (in ``microsoft_agents.hosting.core``) answers the
  messaging endpoint (``POST /api/messages``);
* :func:`run_agent_process` is the body of every host's ``start_agent_process``;
* :class:`ChannelServiceRoutes` answers the channel-service API; hosts mount
  :data:`CHANNEL_SERVICE_ROUTES` in order and forward to :meth:`ChannelServiceRoutes.handle`.

Request bodies are read with a size limit and parsed here (:func:`read_json_body`,
:func:`parse_activity`), so bad input gets the same 4xx JSON answer on every host.
"""

from ._agent_process import AgentRequestProcessor, run_agent_process
from ._body import (
    ACTIVITY_REQUIRED_FIELDS_MESSAGE,
    DEFAULT_MAX_BODY_BYTES,
    INVALID_JSON_MESSAGE,
    BadRequestBody,
    is_json_media_type,
    parse_activity,
    parse_model,
    read_json_body,
)
from ._channel_service_routes import (
    CHANNEL_SERVICE_ROUTES,
    ChannelServiceRoute,
    ChannelServiceRoutes,
    RouteResult,
)
from ._messages import (
    INVALID_TOKEN_MESSAGE,
    JSON_CONTENT_TYPE,
    HttpRequestProtocol,
    HttpResponse,
    HttpResponseFactory,
    check_authorization_header,
    get_header,
)

__all__ = [
    "ACTIVITY_REQUIRED_FIELDS_MESSAGE",
    "CHANNEL_SERVICE_ROUTES",
    "DEFAULT_MAX_BODY_BYTES",
    "INVALID_JSON_MESSAGE",
    "INVALID_TOKEN_MESSAGE",
    "JSON_CONTENT_TYPE",
    "AgentRequestProcessor",
    "BadRequestBody",
    "ChannelServiceRoute",
    "ChannelServiceRoutes",
    "HttpRequestProtocol",
    "HttpResponse",
    "HttpResponseFactory",
    "RouteResult",
    "check_authorization_header",
    "get_header",
    "is_json_media_type",
    "parse_activity",
    "parse_model",
    "read_json_body",
    "run_agent_process",
]
