"""``CloudAdapter``: the aiohttp face of the framework-neutral ``HttpAdapterBase``."""

from __future__ import annotations

from aiohttp import web
from microsoft_agents.hosting.core import Agent, HttpAdapterBase
from microsoft_agents.hosting.core.errors import error_resources

from ._http import AiohttpRequest, to_web_response
from .agent_http_adapter import AgentHttpAdapter

__all__ = ["CloudAdapter"]


class CloudAdapter(HttpAdapterBase, AgentHttpAdapter):
    """Processes agent requests arriving through aiohttp.

    Takes the keyword arguments of ``HttpAdapterBase``. With no ``connection_manager`` and no
    ``channel_service_client_factory`` it runs in anonymous mode (replies carry no token).
    """

    async def process(self, request: web.Request, agent: Agent) -> web.Response:
        """Answer ``request`` (normally ``POST /api/messages``) by running ``agent``."""
        if request is None:
            raise TypeError(str(error_resources.RequestRequired))
        return to_web_response(await self.process_request(AiohttpRequest(request), agent))
