"""``AgentHttpAdapter``: what ``start_agent_process`` needs from an adapter."""

from __future__ import annotations

from typing import Protocol

from aiohttp import web
from microsoft_agents.hosting.core import Agent

__all__ = ["AgentHttpAdapter"]


class AgentHttpAdapter(Protocol):
    """An adapter that answers an aiohttp request by running ``agent``."""

    async def process(self, request: web.Request, agent: Agent) -> web.Response | None:
        """Process ``request`` with ``agent`` and return the HTTP answer."""
        ...
