"""Shared fixtures: the loopback identity provider (HTTPS, private CA) and managed identity
endpoint that MSAL really talks to, and helpers to build providers against them."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.authentication.msal.testing import (
    MANAGED_IDENTITY_VARIABLES,
    EntraIdStandIn,
    LoopbackCertificateAuthority,
    ManagedIdentityStandIn,
)
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration

APP_ID = "00000000-0000-0000-0000-0000000000a1"
SECRET = "loopback-client-secret-value-Qx7"
BOT_RESOURCE = "https://api.botframework.com"
BOT_SCOPES = ["https://api.botframework.com/.default"]

MakeAuth = Callable[..., MsalAuth]


@pytest.fixture
def app_id() -> str:
    return APP_ID


@pytest.fixture
def secret() -> str:
    return SECRET


@pytest.fixture(scope="session")
def tls() -> Iterator[LoopbackCertificateAuthority]:
    authority = LoopbackCertificateAuthority()
    yield authority
    authority.cleanup()


@pytest.fixture
def tenant() -> str:
    return str(uuid.uuid4())


@pytest.fixture
async def idp(tls: LoopbackCertificateAuthority) -> AsyncIterator[EntraIdStandIn]:
    async with EntraIdStandIn(tls=tls) as stand_in:
        stand_in.register_secret(APP_ID, SECRET)
        yield stand_in


@pytest.fixture
async def mi(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ManagedIdentityStandIn]:
    """A managed identity endpoint MSAL reaches as the Azure VM metadata service."""
    for name in MANAGED_IDENTITY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    async with ManagedIdentityStandIn() as stand_in:
        for name, value in stand_in.imds_environment().items():
            monkeypatch.setenv(name, value)
        yield stand_in


@pytest.fixture
def make_auth(idp: EntraIdStandIn, tenant: str) -> MakeAuth:
    """``make_auth(**settings)``: an MsalAuth for APP_ID at the loopback provider (client
    secret unless the settings say otherwise), trusting its certificate authority."""

    def make(**settings: Any) -> MsalAuth:
        merged: dict[str, Any] = {"CLIENTSECRET": SECRET}
        merged.update(settings)
        merged = {k: v for k, v in merged.items() if v is not None}
        client_id = merged.pop("CLIENTID", APP_ID)
        config = AgentAuthConfiguration(**idp.settings(client_id, tenant, **merged))
        return MsalAuth(config, http_client=idp.requests_session())

    return make
