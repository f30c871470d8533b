"""``start_agent_process``: the one call a messaging route handler makes."""

from __future__ import annotations

from aiohttp import web
from microsoft_agents.hosting.core import Agent
from microsoft_agents.hosting.core.errors import error_resources

from .agent_http_adapter import AgentHttpAdapter

__all__ = ["start_agent_process"]


async def start_agent_process(
    request: web.Request, agent_application: Agent, adapter: AgentHttpAdapter
) -> web.Response | None:
    """Process ``request`` with ``agent_application`` through ``adapter``.

    :raises TypeError: when the adapter or the agent application is missing.
    """
    if not adapter:
        raise TypeError(str(error_resources.AdapterRequired))
    if not agent_application:
        raise TypeError(str(error_resources.AgentApplicationRequired))
    return await adapter.process(request, agent_application)
