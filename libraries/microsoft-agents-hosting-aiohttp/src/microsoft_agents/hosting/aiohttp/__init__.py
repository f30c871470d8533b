"""Serve agents over HTTP with aiohttp.

A thin host over the framework-neutral HTTP core of ``microsoft_agents.hosting.core``:
:class:`CloudAdapter` (``process(request, agent)``), :func:`start_agent_process`, the JWT
:func:`jwt_authorization_middleware` / :func:`jwt_authorization_decorator`, the agent-to-agent
:func:`channel_service_route_table`, and :func:`start_server` / :func:`create_app` for a
ready-made application.

Importing the package lets applications store the documented string keys
(``"agent_configuration"``, ``"agent_app"``, ``"adapter"``) without aiohttp's
``NotAppKeyWarning``; other string keys still warn (see ``_app_keys``).
"""

from microsoft_agents.hosting.core import Citation, CitationUtil, StreamingResponse

from ._app_keys import keep_published_app_keys_quiet
from ._server import create_app, start_server
from ._start_agent_process import start_agent_process
from .agent_http_adapter import AgentHttpAdapter
from .channel_service_route_table import channel_service_route_table
from .cloud_adapter import CloudAdapter
from .jwt_authorization_middleware import (
    jwt_authorization_decorator,
    jwt_authorization_middleware,
)

__all__ = [
    "AgentHttpAdapter",
    "Citation",
    "CitationUtil",
    "CloudAdapter",
    "StreamingResponse",
    "channel_service_route_table",
    "create_app",
    "jwt_authorization_decorator",
    "jwt_authorization_middleware",
    "start_agent_process",
    "start_server",
]

keep_published_app_keys_quiet()
