"""A real aiohttp host for the Teams tests, with a loopback Teams connector service.

``teams_host`` serves an agent at ``POST /api/messages`` through the aiohttp ``CloudAdapter``
in anonymous mode (the JWT middleware admits requests without a token). Activities posted
with :meth:`TeamsHost.post` get the stand-in connector's URL as their ``serviceUrl``, so
everything the agent sends or asks goes to the :class:`ChannelServiceStandIn`, which records
it.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    jwt_authorization_middleware,
    start_agent_process,
)
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration
from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn

DATA = Path(__file__).parent / "data"


class TeamsHost:
    """One agent served over real HTTP, answering through a loopback connector."""

    def __init__(self, channel: ChannelServiceStandIn) -> None:
        self.channel = channel
        self.adapter = CloudAdapter()
        self.errors: list[BaseException] = []
        self._runner: web.AppRunner | None = None
        self._url = ""

        async def record_error(context: Any, error: Exception) -> None:
            self.errors.append(error)

        self.adapter.on_turn_error = record_error

    async def serve(self, agent: Any) -> None:
        async def messages(request: web.Request) -> web.StreamResponse:
            response = await start_agent_process(request, agent, self.adapter)
            return response if response is not None else web.Response(status=202)

        app = web.Application(middlewares=[jwt_authorization_middleware])
        app.router.add_post("/api/messages", messages)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            app["agent_configuration"] = AgentAuthConfiguration(anonymous_allowed=True)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self._runner = runner
        self._url = f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        """POST ``activity`` (``serviceUrl`` set to the stand-in); the status and the JSON
        body (``None`` when the body is empty)."""
        payload = dict(activity)
        payload["serviceUrl"] = self.channel.url
        async with (
            aiohttp.ClientSession() as session,
            session.post(self._url, json=payload) as response,
        ):
            raw = await response.read()
            return response.status, json.loads(raw) if raw.strip() else None

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        await self.adapter.close()


@pytest.fixture
async def teams_host() -> AsyncIterator[TeamsHost]:
    async with ChannelServiceStandIn() as channel:
        host = TeamsHost(channel)
        yield host
        await host.close()


def load_case(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def corpus() -> dict[str, dict[str, Any]]:
    """Every corpus file, by name (without ``.json``)."""
    return {path.stem: load_case(path.stem) for path in sorted(DATA.glob("*.json"))}
