"""``CloudAdapter``: the ASGI face of the framework-neutral ``HttpAdapterBase``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from microsoft_agents.hosting.core import Agent, HttpAdapterBase
from microsoft_agents.hosting.core.errors import error_resources

from ._http import StarletteRequest, to_starlette_response
from .agent_http_adapter import AgentHttpAdapter

__all__ = ["CloudAdapter"]


class CloudAdapter(HttpAdapterBase, AgentHttpAdapter):
    """Processes agent requests arriving through FastAPI or Starlette.

    Same keyword arguments as the aiohttp host's adapter (those of ``HttpAdapterBase``);
    without a connection manager or client factory it runs in anonymous mode.
    """

    async def process(self, request: Request, agent: Agent) -> Response:
        """Answer ``request`` (normally ``POST /api/messages``) by running ``agent``."""
        if request is None:
            raise TypeError(str(error_resources.RequestRequired))
        answer = await self.process_request(StarletteRequest(request), agent)
        return to_starlette_response(answer)
