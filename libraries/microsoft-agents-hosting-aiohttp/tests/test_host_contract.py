"""The aiohttp host against the shared host contract suite, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from microsoft_agents.hosting.aiohttp import CloudAdapter, channel_service_route_table, create_app
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration
from microsoft_agents.hosting.core.testing.host_contract import (
    HostUnderTest,
    TestAuthorizationContract,
    TestBadInputContract,
    TestChannelServiceRoutesContract,
    TestMessagingContract,
    TestServiceUrlContract,
)

__all__ = [
    "TestAuthorizationContract",
    "TestBadInputContract",
    "TestChannelServiceRoutesContract",
    "TestMessagingContract",
    "TestServiceUrlContract",
]


class AiohttpHost(HostUnderTest):
    def __init__(self) -> None:
        self._runners: list[web.AppRunner] = []

    def create_adapter(self, **kwargs: Any) -> CloudAdapter:
        return CloudAdapter(**kwargs)

    async def start(
        self,
        agent_application: Any,
        auth_configuration: AgentAuthConfiguration,
        channel_api_handler: Any = None,
    ) -> str:
        app = create_app(agent_application, auth_configuration, messages_path=self.messages_path)
        if channel_api_handler is not None:
            routes = channel_service_route_table(channel_api_handler, self.channel_path)
            app.router.add_routes(routes)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    async def close(self) -> None:
        while self._runners:
            await self._runners.pop().cleanup()


@pytest.fixture
def host_under_test() -> AiohttpHost:
    return AiohttpHost()


def test_the_contract_runs_on_the_aiohttp_cloud_adapter(host_under_test: AiohttpHost) -> None:
    # Guard: the suite above must drive this distribution's adapter, not another host's.
    adapter = host_under_test.create_adapter()
    assert type(adapter) is CloudAdapter
