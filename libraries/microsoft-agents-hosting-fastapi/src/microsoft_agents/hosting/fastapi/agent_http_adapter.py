"""``AgentHttpAdapter``: what ``start_agent_process`` needs from an adapter."""

from __future__ import annotations

from typing import Protocol

from starlette.requests import Request
from starlette.responses import Response

from microsoft_agents.hosting.core import Agent

__all__ = ["AgentHttpAdapter"]


class AgentHttpAdapter(Protocol):
    """An adapter that answers a FastAPI / Starlette request by running ``agent``."""

    async def process(self, request: Request, agent: Agent) -> Response | None:
        """Process ``request`` with ``agent`` and return the HTTP answer."""
        ...
