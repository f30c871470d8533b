"""The contract every web host of agents must meet, as a reusable pytest suite.

Every host (aiohttp, FastAPI, ...) is a thin adapter over the same HTTP core, so all of them
must answer the same requests with the same status codes and the same bytes. A host's test
module runs the whole suite by providing a ``host_under_test`` fixture and importing the test
classes::

    import pytest

    from microsoft_agents.hosting.core.testing.host_contract import (
        HostUnderTest,
        TestAuthorizationContract,
        TestBadInputContract,
        TestChannelServiceRoutesContract,
        TestMessagingContract,
        TestServiceUrlContract,
    )


    class MyHost(HostUnderTest):
        def create_adapter(self, **kwargs): ...  # the host's CloudAdapter(**kwargs)
        async def start(self, agent_application, auth_configuration, channel_api_handler=None):
            ...  # serve on 127.0.0.1:0, return "http://127.0.0.1:<port>"
        async def close(self): ...


    @pytest.fixture
    def host_under_test() -> MyHost:
        return MyHost()

The suite talks to the host over real HTTP, or through the in-process client the host's
``client()`` returns (e.g. httpx over an ASGI application). It uses loopback stand-ins for
the channel's connector service and for the token issuer (see
``microsoft_agents.hosting.core.testing.loopback``).
This module needs pytest; it is not imported by the package itself.
"""

from ._authorization import TestAuthorizationContract, TestServiceUrlContract
from ._channel_routes import RecordingChannelApiHandler, TestChannelServiceRoutesContract
from ._client import AiohttpContractClient, ContractClient, RequestBody
from ._harness import (
    AGENT_APP_ID,
    OUTGOING_TOKEN,
    ContractAgent,
    ContractFixtures,
    Harness,
    HostUnderTest,
    Reply,
    StaticTokenProvider,
    build_contract_agent,
)
from ._messaging import TestBadInputContract, TestMessagingContract

__all__ = [
    "AGENT_APP_ID",
    "OUTGOING_TOKEN",
    "AiohttpContractClient",
    "ContractAgent",
    "ContractClient",
    "ContractFixtures",
    "Harness",
    "HostUnderTest",
    "RecordingChannelApiHandler",
    "Reply",
    "RequestBody",
    "StaticTokenProvider",
    "TestAuthorizationContract",
    "TestBadInputContract",
    "TestChannelServiceRoutesContract",
    "TestMessagingContract",
    "TestServiceUrlContract",
    "build_contract_agent",
]
