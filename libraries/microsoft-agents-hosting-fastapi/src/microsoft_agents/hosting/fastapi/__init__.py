"""Serve agents from FastAPI, Starlette or any ASGI server.

A thin host over the framework-neutral HTTP core of ``microsoft_agents.hosting.core``, with
the same behaviour as the aiohttp host: :class:`CloudAdapter` (``process(request, agent)``),
:func:`start_agent_process`, :class:`JwtAuthorizationMiddleware` (plain ASGI middleware) and
:func:`jwt_authorization_decorator`, the agent-to-agent :func:`channel_service_route_table`,
and :func:`create_app` / :func:`start_server` (uvicorn or hypercorn) for a ready-made
application. The runtime code needs only Starlette.
"""

from microsoft_agents.hosting.core import Citation, CitationUtil, StreamingResponse

from ._server import create_app, start_server
from ._start_agent_process import start_agent_process
from .agent_http_adapter import AgentHttpAdapter
from .channel_service_route_table import channel_service_route_table
from .cloud_adapter import CloudAdapter
from .jwt_authorization_middleware import JwtAuthorizationMiddleware, jwt_authorization_decorator

__all__ = [
    "AgentHttpAdapter",
    "Citation",
    "CitationUtil",
    "CloudAdapter",
    "JwtAuthorizationMiddleware",
    "StreamingResponse",
    "channel_service_route_table",
    "create_app",
    "jwt_authorization_decorator",
    "start_agent_process",
    "start_server",
]
