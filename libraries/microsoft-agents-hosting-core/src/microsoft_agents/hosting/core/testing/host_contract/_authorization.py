"""Contract: who may call the messaging endpoint, and where the agent may answer."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ..._host_validator import OutboundHostValidator
from ...authorization import AgentAuthConfiguration
from ...http import INVALID_TOKEN_MESSAGE
from ._harness import AGENT_APP_ID, OUTGOING_TOKEN, ContractAgent, ContractFixtures, Harness
from ._harness import error_body as _error

__all__ = ["TestAuthorizationContract", "TestServiceUrlContract"]

_INVALID_TOKEN = _error(INVALID_TOKEN_MESSAGE)
_SERVICE_URL_NOT_ALLOWED = _error("Service URL is not allowed by the host validator.")
_SERVICE_URL_MISMATCH = _error(
    "The activity's serviceUrl does not match the token's serviceurl claim."
)


async def _authenticated(harness: Harness, **adapter_kwargs: Any) -> ContractAgent:
    manager = await harness.connection_manager(adapter_kwargs.pop("provider_error", None))
    agent = harness.agent(connection_manager=manager, **adapter_kwargs)
    configuration: AgentAuthConfiguration = manager.get_default_connection_configuration()
    await harness.serve(agent, configuration)
    return agent


class TestAuthorizationContract(ContractFixtures):
    """An agent with credentials: every request needs a valid bearer token."""

    async def test_a_valid_bot_framework_token_runs_the_turn(self, harness: Harness) -> None:
        agent = await _authenticated(harness)
        idp = await harness.idp()
        token = idp.bot_framework_token(AGENT_APP_ID, service_url=harness.channel.url)

        reply = await harness.post_activity(harness.activity(), harness.bearer(token))

        assert (reply.status, reply.body) == (202, b"")
        assert len(agent.turns) == 1
        [request] = harness.channel.requests
        assert request.authorization == f"Bearer {OUTGOING_TOKEN}"
        assert request.json["text"] == "You said: hello"

    async def test_a_missing_authorization_header_is_401(self, harness: Harness) -> None:
        agent = await _authenticated(harness)

        reply = await harness.post_activity(harness.activity())

        assert (reply.status, reply.body) == (401, _error("Authorization header not found"))
        assert agent.turns == []

    @pytest.mark.parametrize(
        "header",
        ["Basic dXNlcjpwYXNz", "Bearer", "Bearer one two", "Token abc", "bearer"],
    )
    async def test_a_garbled_authorization_header_is_401(
        self, harness: Harness, header: str
    ) -> None:
        agent = await _authenticated(harness)

        reply = await harness.post_activity(harness.activity(), {"Authorization": header})

        assert (reply.status, reply.body) == (401, _INVALID_TOKEN)
        assert agent.turns == []

    @pytest.mark.parametrize("kind", ["expired", "wrong-audience", "bad-signature", "not-a-jwt"])
    async def test_a_bad_token_is_401(self, harness: Harness, kind: str) -> None:
        agent = await _authenticated(harness)
        idp = await harness.idp()
        url = harness.channel.url
        if kind == "expired":
            past = harness.now() - 7200
            token = idp.bot_framework_token(
                AGENT_APP_ID, service_url=url, iat=past, nbf=past, exp=past + 600
            )
        elif kind == "wrong-audience":
            token = idp.bot_framework_token("some-other-app", service_url=url)
        elif kind == "bad-signature":
            forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            claims: dict[str, Any] = {"iss": "https://api.botframework.com", "aud": AGENT_APP_ID}
            claims.update(serviceurl=url, exp=harness.now() + 600)
            token = idp.mint(claims, key=forger)
        else:
            token = "definitely.not.a-jwt"

        reply = await harness.post_activity(harness.activity(), harness.bearer(token))

        assert (reply.status, reply.body) == (401, _INVALID_TOKEN)
        assert agent.turns == []

    async def test_a_bot_framework_token_for_another_service_url_is_401(
        self, harness: Harness
    ) -> None:
        agent = await _authenticated(harness)
        idp = await harness.idp()
        token = idp.bot_framework_token(AGENT_APP_ID, service_url="https://elsewhere.example/")

        reply = await harness.post_activity(harness.activity(), harness.bearer(token))

        assert (reply.status, reply.body) == (401, _SERVICE_URL_MISMATCH)
        assert agent.turns == []
        assert harness.channel.requests == []

    async def test_permission_errors_while_answering_are_401(self, harness: Harness) -> None:
        await _authenticated(harness, provider_error=PermissionError("no token for you"))
        idp = await harness.idp()
        token = idp.bot_framework_token(AGENT_APP_ID, service_url=harness.channel.url)

        reply = await harness.post_activity(harness.activity(), harness.bearer(token))

        assert (reply.status, reply.body) == (401, _error("Unauthorized"))
        assert harness.channel.requests == []


class TestServiceUrlContract(ContractFixtures):
    """The host validator decides which ``serviceUrl`` hosts the agent answers."""

    async def test_a_service_url_outside_the_allowed_hosts_is_401(self, harness: Harness) -> None:
        agent = harness.agent(host_validator=OutboundHostValidator(enabled=True))
        await harness.serve(agent)

        reply = await harness.post_activity(harness.activity())

        assert (reply.status, reply.body) == (401, _SERVICE_URL_NOT_ALLOWED)
        assert agent.turns == []
        assert harness.channel.requests == []

    async def test_an_allowed_service_url_is_answered(self, harness: Harness) -> None:
        validator = OutboundHostValidator(enabled=True, hosts=["127.0.0.1"])
        await harness.serve(harness.agent(host_validator=validator))

        reply = await harness.post_activity(harness.activity())

        assert (reply.status, reply.body) == (202, b"")
        assert len(harness.channel.requests) == 1

    async def test_expect_replies_needs_no_service_url(self, harness: Harness) -> None:
        validator = OutboundHostValidator(enabled=True, include_default_microsoft_hosts=False)
        await harness.serve(harness.agent(host_validator=validator))
        activity = harness.activity(deliveryMode="expectReplies")
        del activity["serviceUrl"]

        reply = await harness.post_activity(activity)

        assert reply.status == 200
        assert [a["text"] for a in reply.json()["activities"]] == ["You said: hello"]
