"""``start_agent_process``: the one call a messaging route handler makes."""

from __future__ import annotations

from aiohttp import web
from microsoft_agents.hosting.core import Agent
from microsoft_agents.hosting.core.http import run_agent_process

from .agent_http_adapter import AgentHttpAdapter

__all__ = ["start_agent_process"]


async def start_agent_process(
    request: web.Request, agent_application: Agent, adapter: AgentHttpAdapter
) -> web.Response | None:
    """Process ``request`` with ``agent_application`` through ``adapter``.

    :raises TypeError: when the adapter or the agent application is missing.
    """
    return await run_agent_process(request, agent_application, adapter)
