"""The ASGI host against hosting-core's host contract suite.

Every case runs in-process (httpx over ASGI) on both ways to build the application
(``create_app`` and a hand-assembled FastAPI application), and again against a real uvicorn
server on 127.0.0.1.
"""

from __future__ import annotations

import pytest
from fastapi_host_testing import APP_BUILDERS, InProcessAsgiHost, UvicornAsgiHost

from microsoft_agents.hosting.core.testing import host_contract as contract

# The whole suite, collected here under the contract's own class names.
TestAuthorizationContract = contract.TestAuthorizationContract
TestBadInputContract = contract.TestBadInputContract
TestChannelServiceRoutesContract = contract.TestChannelServiceRoutesContract
TestMessagingContract = contract.TestMessagingContract
TestServiceUrlContract = contract.TestServiceUrlContract


@pytest.fixture(params=["in-process-starlette", "in-process-fastapi", "uvicorn-fastapi"])
def host_under_test(request: pytest.FixtureRequest) -> contract.HostUnderTest:
    mode, _, app = request.param.rpartition("-")
    if mode == "uvicorn":
        return UvicornAsgiHost(APP_BUILDERS[app])
    return InProcessAsgiHost(APP_BUILDERS[app])


def test_every_contract_mode_drives_the_asgi_host() -> None:
    # Guard: the three parametrised modes above must all be ASGI hosts of this distribution.
    assert set(APP_BUILDERS) == {"starlette", "fastapi"}
    for builder in APP_BUILDERS.values():
        assert isinstance(InProcessAsgiHost(builder), contract.HostUnderTest)
        assert isinstance(UvicornAsgiHost(builder), contract.HostUnderTest)
