"""``start_agent_process``: the one call a messaging route handler makes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from microsoft_agents.hosting.core import Agent
from microsoft_agents.hosting.core.http import run_agent_process

from .agent_http_adapter import AgentHttpAdapter

__all__ = ["start_agent_process"]


async def start_agent_process(
    request: Request, agent_application: Agent, adapter: AgentHttpAdapter
) -> Response | None:
    """Answer ``request`` by running ``agent_application`` through ``adapter``.

    Typical use: ``return await start_agent_process(request, AGENT_APP, ADAPTER)`` in a
    ``@app.post("/api/messages")`` route.

    :raises TypeError: when the adapter or the agent application is missing.
    """
    return await run_agent_process(request, agent_application, adapter)
