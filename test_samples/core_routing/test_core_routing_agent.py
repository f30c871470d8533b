import inspect
import logging

import core_routing_agent as sample  # type: ignore[import-not-found]
import pytest

from microsoft_agents.activity import InvokeResponse, TokenResponse
from microsoft_agents.hosting.core import Authorization, TurnContext, TurnState
from microsoft_agents.hosting.core.testing import TestAdapter


async def test_text_and_regex_routes_and_the_fallback() -> None:
    assert await sample.talk(["hello", "HeLLo", "/status", "hello there", "/Status"]) == [
        "Hello!",
        "Hello!",
        "Status: OK",
        "Echo: hello there",
        "Echo: /Status",
    ]


async def test_members_added_gets_a_welcome() -> None:
    adapter = TestAdapter(sample.AGENT_APP)
    replies = await adapter.process_activity(
        {"type": "conversationUpdate", "membersAdded": [{"id": "user1"}]}
    )
    assert [r.text for r in replies] == ["Welcome!"]
    assert await adapter.process_activity({"type": "conversationUpdate"}) == []


async def test_invoke_route_answers_200() -> None:
    adapter = TestAdapter(sample.AGENT_APP)
    await adapter.process_activity({"type": "invoke", "name": "custom/ping"})
    assert adapter.last_invoke_response == InvokeResponse(status=200)


def test_sign_in_handler_comes_from_the_configuration() -> None:
    assert sample.AGENT_APP.auth is sample.AUTHORIZATION
    assert sample.AUTHORIZATION.handler_ids == ["GRAPH"]
    graph = sample.AUTHORIZATION._resolve_handler("GRAPH").settings
    assert graph.abs_oauth_connection_name == "graph-connection"
    assert graph.scopes == ["User.Read"]


async def test_the_sign_in_route_is_gated() -> None:
    # No sign-in happened in this turn, so the handler does not run; this version of the
    # SDK cannot start an interactive sign-in yet, which the error handler reports.
    assert await sample.talk(["/me"]) == ["An error occurred."]


async def test_the_sign_in_route_uses_a_token_obtained_in_the_turn() -> None:
    adapter = TestAdapter()

    async def signed_in_turn(context: TurnContext) -> None:
        Authorization._cache_token(context, "GRAPH", TokenResponse(token="user-token"))
        await sample.AGENT_APP.on_turn(context)

    replies = await adapter.process_activity("/me", signed_in_turn)
    assert [r.text for r in replies] == ["Profile retrieved"]


async def test_logout(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert await sample.talk(["/logout"]) == ["You have been logged out."]
    assert "token service" in caplog.text


async def test_decorated_handlers_stay_plain_coroutine_functions() -> None:
    assert inspect.iscoroutinefunction(sample.on_hello)
    adapter = TestAdapter()
    sent: list[str] = []

    async def call_directly(context: TurnContext) -> None:
        state = TurnState()
        await sample.on_status(context, state)
        sent.append("called")

    replies = await adapter.process_activity("anything", call_directly)
    assert sent == ["called"] and [r.text for r in replies] == ["Status: OK"]


def test_main_prints_the_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert sample.main(["hello", "x"]) == 0
    assert capsys.readouterr().out.splitlines() == ["Hello!", "Echo: x"]
