"""CopilotClient over real HTTP against the loopback Direct-to-Engine stand-in."""

from __future__ import annotations

import asyncio
import logging
import platform
import re
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from microsoft_agents.activity import Activity, ActivityTypes, ConversationAccount
from microsoft_agents.copilotstudio.client import (
    ConnectionSettings,
    CopilotClient,
    CopilotClientConnectionError,
    CopilotClientError,
    CopilotClientHTTPError,
    CopilotClientProtocol,
    CopilotClientProtocolError,
    CopilotClientTimeoutError,
    CopilotClientValueError,
    StartRequest,
    SubscribeEvent,
    UserAgentHelper,
)
from microsoft_agents.copilotstudio.client.testing import (
    CopilotStudioStandIn,
    Disconnect,
    Pause,
    WaitFor,
    activity_event,
    sse_event,
)

TOKEN = "secret-token-123"


@pytest.fixture
async def service() -> AsyncIterator[CopilotStudioStandIn]:
    async with CopilotStudioStandIn(expected_token=TOKEN) as stand_in:
        yield stand_in


def client_for(
    service: CopilotStudioStandIn, token: str = TOKEN, **kwargs: object
) -> CopilotClient:
    settings = ConnectionSettings(
        "",
        "",
        direct_connect_url=service.direct_connect_url,
        **kwargs,  # type: ignore[arg-type]
    )
    return CopilotClient(settings, token)


def message(text: str, conversation: str = "c-1") -> dict[str, object]:
    return {"type": "message", "text": text, "conversation": {"id": conversation}}


# -- the seed's flow ------------------------------------------------------------------------------


async def test_seed_flow_start_then_ask(service: CopilotStudioStandIn) -> None:
    copilot_client = client_for(service)
    assert isinstance(copilot_client, CopilotClientProtocol)
    texts = []
    async for action in copilot_client.start_conversation(True):
        if action.text:
            texts.append(action.text)
    assert texts == [service.greeting]
    replies = []
    assert action.conversation is not None
    async for reply in copilot_client.ask_question("Hello!", action.conversation.id):
        if reply.type == ActivityTypes.message:
            replies.append(reply.text)
    assert replies == ["You said: Hello!"]

    start, turn = service.requests
    assert (start.method, start.operation, start.json) == (
        "POST",
        "start",
        {"emitStartConversationEvent": True},
    )
    assert start.path == CopilotStudioStandIn.AGENT_PATH + "/conversations"
    assert start.query == {"api-version": "2022-03-01-preview"}
    assert (turn.operation, turn.conversation_id) == ("execute", "conversation-1")
    assert turn.json == {
        "activity": {"type": "message", "text": "Hello!", "conversation": {"id": "conversation-1"}}
    }
    for request in service.requests:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.headers["Accept"] == "text/event-stream"
        assert request.headers["Content-Type"].startswith("application/json")
        assert request.headers["User-Agent"] == UserAgentHelper.get_user_agent_header()


def test_user_agent_header_format() -> None:
    header = UserAgentHelper.get_user_agent_header()
    assert re.fullmatch(
        r"CopilotStudioClient\.agents-sdk-python/\S+ Python/\d+\.\d+\.\d+\S* \S+/\S+", header
    ), header
    assert f"Python/{platform.python_version()} " in header
    assert UserAgentHelper.CLIENT_NAME == "CopilotStudioClient"


async def test_conversation_id_comes_from_header_and_message_activities(
    service: CopilotStudioStandIn,
) -> None:
    client = client_for(service)
    # header only, no activities at all
    service.reply_next([": nothing to say\n\n"], headers={"x-ms-conversationid": "from-header"})
    assert [a async for a in client.start_conversation(False)] == []
    assert client.conversation_id == "from-header"
    # a message activity moves the client along; typing activities do not
    service.reply_next(
        [
            activity_event({"type": "typing", "conversation": {"id": "typing-conv"}}),
            activity_event(message("hi", "from-activity")),
        ]
    )
    async for _ in client.start_conversation():
        pass
    assert client.conversation_id == "from-activity"
    # ask_question without an id continues the current conversation
    service.conversations["from-activity"] = []
    service.received["from-activity"] = []
    texts = [a.text async for a in client.ask_question("again")]
    assert texts == [None, "You said: again"]
    assert service.requests[-1].conversation_id == "from-activity"


async def test_start_with_request_sends_locale_and_conversation_id(
    service: CopilotStudioStandIn,
) -> None:
    client = client_for(service)
    request = StartRequest(locale="fr-FR", conversation_id="mine")
    activities = [a async for a in client.start_conversation_with_request(request)]
    assert [a.text for a in activities] == [service.greeting]
    assert service.requests[0].json == {
        "locale": "fr-FR",
        "conversationId": "mine",
        "emitStartConversationEvent": True,
    }
    no_greeting = [a async for a in client.start_conversation(emit_start_conversation_event=False)]
    assert no_greeting == []
    assert service.requests[1].json == {"emitStartConversationEvent": False}


async def test_send_activity_execute_and_ask_question_with_activity(
    service: CopilotStudioStandIn,
) -> None:
    client = client_for(service)
    first = service.new_conversation()
    second = service.new_conversation()
    event = Activity(type="event", name="hello", conversation=ConversationAccount(id=first))
    assert [a.text async for a in client.send_activity(event)][-1] == "Received a event activity"
    assert service.received[first][0] == {
        "type": "event",
        "name": "hello",
        "conversation": {"id": first},
    }
    assert [a.text async for a in client.ask_question_with_activity(event)][-1] == (
        "Received a event activity"
    )
    replies = [a.text async for a in client.execute(second, event)]
    assert replies[-1] == "Received a event activity"
    assert service.requests[-1].conversation_id == second
    assert service.received[second][0]["conversation"] == {"id": second}
    assert event.conversation is not None and event.conversation.id == first  # not mutated
    bare = Activity(type="message", text="no conversation")
    replies = [a.text async for a in client.execute(first, bare)]
    assert replies[-1] == "You said: no conversation"
    assert bare.conversation is None


async def test_subscribe_yields_events_with_ids_and_resumes(service: CopilotStudioStandIn) -> None:
    client = client_for(service)
    async for _ in client.start_conversation():
        pass
    async for _ in client.ask_question("one"):
        pass
    conversation = client.conversation_id
    events = [e async for e in client.subscribe(conversation)]
    assert all(isinstance(e, SubscribeEvent) for e in events)
    assert [(e.event_id, e.activity.type) for e in events] == [
        ("1", "message"),
        ("2", "typing"),
        ("3", "message"),
    ]
    resumed = [e async for e in client.subscribe(conversation, last_received_event_id="2")]
    assert [(e.event_id, e.activity.text) for e in resumed] == [("3", "You said: one")]
    assert service.requests[-1].headers["Last-Event-ID"] == "2"
    assert service.requests[-1].method == "GET"
    assert service.requests[-1].path.endswith(f"/conversations/{conversation}/subscribe")


# -- streaming behaviour --------------------------------------------------------------------------


async def test_a_slow_stream_is_delivered_as_it_arrives(service: CopilotStudioStandIn) -> None:
    client = client_for(service)
    go_on = asyncio.Event()
    service.reply_next(
        [
            activity_event(message("first")),
            WaitFor(go_on),  # the service waits until the test has seen the first activity
            Pause(0.05),
            ": still thinking\n\n",
            activity_event(message("second")),
        ]
    )
    received: list[str | None] = []

    async def consume() -> None:
        async for activity in client.ask_question("q", "c-1"):
            received.append(activity.text)
            go_on.set()

    await asyncio.wait_for(consume(), timeout=10)
    assert received == ["first", "second"]


async def test_crlf_comments_keep_alives_and_multi_line_data_over_http(
    service: CopilotStudioStandIn,
) -> None:
    client = client_for(service)
    multi_line = '{"type": "message",\n"text": "two lines",\n"conversation": {"id": "c-9"}}'
    service.reply_next(
        [
            ":\r\n\r\n",
            sse_event(multi_line, newline="\r\n"),
            sse_event("ignored", event="status"),
            sse_event('{"type": "message", "text": "no event type"}', event=None),
            "\r\n\r\n",
            activity_event(message("split across writes", "c-9"))[:17],
            activity_event(message("split across writes", "c-9"))[17:],
            sse_event("end", event="end"),
        ]
    )
    texts = [a.text async for a in client.ask_question("q", "c-9")]
    assert texts == ["two lines", "split across writes"]


async def test_a_stream_broken_mid_event_raises_after_the_complete_activities(
    service: CopilotStudioStandIn,
) -> None:
    client = client_for(service)
    service.reply_next(
        [activity_event(message("complete")), 'event: activity\ndata: {"type": "mes', Disconnect()]
    )
    received: list[str | None] = []
    with pytest.raises(CopilotClientConnectionError) as raised:
        async for activity in client.ask_question("q", "c-1"):
            received.append(activity.text)
    assert received == ["complete"]
    assert isinstance(raised.value, aiohttp.ClientError)
    assert isinstance(raised.value, CopilotClientError)
    assert "-65101" in str(raised.value)
    assert TOKEN not in str(raised.value)


async def test_a_stream_ending_inside_an_activity_event_is_a_protocol_error(
    service: CopilotStudioStandIn,
) -> None:
    client = client_for(service)
    service.reply_next([activity_event(message("complete")), 'event: activity\ndata: {"type"'])
    received: list[str | None] = []
    with pytest.raises(CopilotClientProtocolError, match="-65104"):
        async for activity in client.ask_question("q", "c-1"):
            received.append(activity.text)
    assert received == ["complete"]
    # an unterminated event of another type is discarded quietly
    service.reply_next([activity_event(message("done")), "event: end\ndata: end"])
    assert [a.text async for a in client.ask_question("q", "c-1")] == ["done"]


@pytest.mark.parametrize(
    "data", ["not json", '"a string"', '{"type": 5}', '{"type": "message", "text": ["x"]}']
)
async def test_malformed_activity_events_raise_protocol_errors(
    service: CopilotStudioStandIn, data: str
) -> None:
    client = client_for(service)
    service.reply_next([activity_event(message("good")), sse_event(data)])
    received: list[str | None] = []
    with pytest.raises(CopilotClientProtocolError, match="-65103") as raised:
        async for activity in client.ask_question("q", "c-1"):
            received.append(activity.text)
    assert received == ["good"]
    assert data[:20] in str(raised.value)


async def test_stopping_early_closes_the_stream(service: CopilotStudioStandIn) -> None:
    client = client_for(service)
    never = asyncio.Event()
    service.reply_next([activity_event(message("first")), WaitFor(never)])
    async for activity in client.ask_question("q", "c-1"):
        assert activity.text == "first"
        break
    for _ in range(200):
        if service.open_streams == 0:
            break
        await asyncio.sleep(0.01)
    assert service.open_streams == 0


# -- HTTP failures --------------------------------------------------------------------------------


async def test_401_is_a_typed_http_error_without_the_token(service: CopilotStudioStandIn) -> None:
    client = client_for(service, token="wrong-token-456")
    with pytest.raises(CopilotClientHTTPError) as raised:
        async for _ in client.start_conversation():
            pass
    error = raised.value
    assert isinstance(error, aiohttp.ClientError)
    assert (error.status, error.reason, error.method) == (401, "Unauthorized", "POST")
    assert "Unauthorized" in error.body
    assert "401" in str(error) and "-65100" in str(error)
    assert "issued for the Power Platform API" in str(error)
    assert error.url.startswith(service.direct_connect_url)
    for text in (str(error), repr(error), repr(client), error.body):
        assert "wrong-token-456" not in text


async def test_a_body_echoing_the_token_is_masked_and_cut(service: CopilotStudioStandIn) -> None:
    client = client_for(service)
    service.fail_next(403, {"echo": f"Bearer {TOKEN}", "padding": "x" * 5000})
    with pytest.raises(CopilotClientHTTPError) as raised:
        async for _ in client.ask_question("q", "c-1"):
            pass
    assert raised.value.status == 403
    assert TOKEN not in str(raised.value)
    assert "Bearer ***" in raised.value.body
    assert len(raised.value.body) <= 501


@pytest.mark.parametrize("status", [202, 404, 500])
async def test_every_status_but_200_fails(service: CopilotStudioStandIn, status: int) -> None:
    client = client_for(service)
    if status == 404:
        stream = client.ask_question("q", "no-such-conversation")
    else:
        service.reply_next([activity_event(message("x"))], status=status)
        stream = client.ask_question("q", "c-1")
    with pytest.raises(CopilotClientHTTPError) as raised:
        async for _ in stream:
            pass
    assert raised.value.status == status
    hint = {202: "expects 200", 404: "the agent identifier", 500: "try again later"}[status]
    assert hint in str(raised.value)


async def test_connection_refused_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = ConnectionSettings("", "", direct_connect_url=f"http://127.0.0.1:{port}/a")
    with pytest.raises(CopilotClientConnectionError):
        async for _ in CopilotClient(settings, TOKEN).start_conversation():
            pass


async def test_session_settings_reach_every_session(service: CopilotStudioStandIn) -> None:
    timeout = aiohttp.ClientTimeout(total=None, sock_read=0.2)
    client = client_for(
        service, client_session_settings={"headers": {"x-extra": "1"}, "timeout": timeout}
    )
    async for _ in client.start_conversation():
        pass
    assert service.requests[-1].headers["x-extra"] == "1"
    service.reply_next([activity_event(message("first")), Pause(2)])
    with pytest.raises(CopilotClientTimeoutError) as raised:
        async for _ in client.ask_question("q", "c-1"):
            pass
    assert isinstance(raised.value, TimeoutError)


async def test_a_body_that_is_not_an_event_stream_yields_nothing_and_warns(
    service: CopilotStudioStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    service.reply_next(['{"type": "message"}'], content_type="application/json")
    with caplog.at_level(logging.WARNING):
        assert [a async for a in client_for(service).ask_question("q", "c-1")] == []
    assert "instead of text/event-stream" in caplog.text


# -- options --------------------------------------------------------------------------------------


async def test_experimental_endpoint_is_remembered_when_enabled(
    service: CopilotStudioStandIn,
) -> None:
    # The first call of an environment-mode client goes to the public cloud, which a test
    # cannot reach; so the header handling is driven directly, then the stored URL is used.
    settings = ConnectionSettings(
        "a1b2c3d4-0000-1111-2222-333344445555", "agent", use_experimental_endpoint=True
    )
    client = CopilotClient(settings, TOKEN)
    offered = f"{service.url}/experimental/conversations"
    client._remember_experimental_url("https://e.example/x", offered)
    assert settings.direct_connect_url is None  # plain http from another origin is refused
    client._remember_experimental_url(f"{service.url}/x", offered)
    assert settings.direct_connect_url == offered  # same origin is fine
    async for _ in client.start_conversation():
        pass
    assert service.requests[-1].path == "/experimental/conversations"
    other = CopilotClient(ConnectionSettings("e", "a", use_experimental_endpoint=True), TOKEN)
    other._remember_experimental_url("https://e.example/x", "https://d2e.example/conversations")
    assert other.settings.direct_connect_url == "https://d2e.example/conversations"


@pytest.mark.parametrize("experimental", [True, False])
async def test_experimental_header_never_replaces_a_direct_url(
    service: CopilotStudioStandIn, experimental: bool
) -> None:
    client = client_for(service, use_experimental_endpoint=experimental)
    header = {"x-ms-d2e-experimental": f"{service.url}/experimental/conversations"}
    service.reply_next([], headers=header)
    async for _ in client.start_conversation():
        pass
    assert client.settings.direct_connect_url == service.direct_connect_url


def test_experimental_header_is_ignored_unless_enabled() -> None:
    client = CopilotClient(ConnectionSettings("e", "a"), TOKEN)
    client._remember_experimental_url("https://e.example/x", "https://d2e.example/conversations")
    assert client.settings.direct_connect_url is None


async def test_diagnostics_log_urls_and_headers_but_not_the_token(
    service: CopilotStudioStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(service, enable_diagnostics=True)
    with caplog.at_level(logging.DEBUG, logger="microsoft_agents.copilotstudio.client"):
        async for _ in client.start_conversation():
            pass
    assert service.direct_connect_url in caplog.text
    assert "x-ms-conversationid" in caplog.text.lower()
    assert TOKEN not in caplog.text
    quiet = client_for(service)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="microsoft_agents.copilotstudio.client"):
        async for _ in quiet.start_conversation():
            pass
    assert service.direct_connect_url not in caplog.text


async def test_arguments_are_checked_when_iteration_starts(service: CopilotStudioStandIn) -> None:
    client = client_for(service)
    with pytest.raises(CopilotClientValueError, match="-65005"):
        async for _ in client.ask_question("no conversation yet"):
            pass
    with pytest.raises(ValueError, match="-65006"):
        async for _ in client.ask_question_with_activity(None):  # type: ignore[arg-type]
            pass
    with pytest.raises(ValueError, match="-65005"):
        async for _ in client.execute("", Activity(type="message")):
            pass
    with pytest.raises(ValueError, match="-65006"):
        async for _ in client.execute("c-1", None):  # type: ignore[arg-type]
            pass
    with pytest.raises(ValueError, match="-65005"):
        async for _ in client.subscribe(""):
            pass
    assert service.requests == []
