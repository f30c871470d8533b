"""The fast paths of a turn give exactly what the general paths give, and leave no garbage.

Each fast path (validating the body from its bytes, addressing a text reply while building it,
building REST URLs from one string, encoding models with pydantic, reading all state scopes in
one storage call, one shared timer for waiting typing indicators) is compared here with the
general path it short-cuts.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import json
import weakref
from typing import Any
from urllib.parse import quote

import pytest
from yarl import URL

from microsoft_agents.activity import Activity, ResourceResponse
from microsoft_agents.hosting.core import (
    AgentApplication,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core._http_adapter_base import HttpAdapterBase
from microsoft_agents.hosting.core.app.typing_indicator import TypingIndicator, TypingOptions
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.connector._rest import (
    RestEndpoint,
    dump_model,
    encode_model,
)
from microsoft_agents.hosting.core.http import BadRequestBody, parse_activity, read_json_body
from microsoft_agents.hosting.core.http._body import read_activity
from microsoft_agents.hosting.core.testing import TestAdapter

_SAFE_PATH_CHARS = "!$&'()*+,;=:@-._~"


class RawRequest:
    """An in-memory POST of raw body bytes."""

    method = "POST"

    def __init__(self, body: bytes, content_type: str | None = "application/json") -> None:
        self.headers = {"Content-Type": content_type} if content_type else {}
        self._body = body

    async def json(self) -> Any:
        return json.loads(self._body)

    def get_claims_identity(self) -> ClaimsIdentity | None:
        return None

    def get_path_param(self, name: str) -> str:
        raise KeyError(name)

    async def read_body(self, max_bytes: int) -> bytes:
        return self._body


async def _outcome(reading: Any) -> tuple[str, Any]:
    try:
        activity = await reading
    except BadRequestBody as bad:
        return "refused", (bad.response.status_code, bad.response.body)
    dump = activity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return "read", (dump, sorted(activity.model_fields_set))


async def _two_steps(request: RawRequest) -> Activity:
    return parse_activity(await read_json_body(request))


_BODIES = [
    b'{"type":"message","conversation":{"id":"c"},"text":"hi","channelId":"msteams:COPILOT"}',
    b'{"type":"message","conversation":{"id":"c"},"text":"a","text":"b"}',
    b'{"type":"message","conversation":{"id":"c"},"from":{"id":"u","role":"user","x":1}}',
    b'{"type":"message","timestamp":"2025-01-01T00:00:00.1234567Z","conversation":{"id":"c"}}',
    b'{"conversation":{"id":"c"}}',
    b'{"type":"","conversation":{"id":"c"}}',
    b'{"type":"message","conversation":{}}',
    b'{"type":"message","conversation":""}',
    b'{"type":"message","conversation":[]}',
    b'{"type":"message","conversation":{"id":""}}',
    b'{"type":"message","conversation":{"id":5}}',
    b'{"type":"message","conversation":{"id":"c"},"value":NaN}',
    b'{"type":"message","conversation":{"id":"c"},"text":"\\ud800"}',
    b'{"type":"message","conversation":{"id":"c"},"locale":""}',
    b'\xef\xbb\xbf{"type":"message","conversation":{"id":"c"}}',
    '{"type":"message","conversation":{"id":"c"}}'.encode("utf-16"),
    b'[{"type":"message"}]',
    b'"text"',
    b'{"type":"message",',
    b"",
]


@pytest.mark.parametrize("body", _BODIES)
async def test_reading_an_activity_from_bytes_matches_the_two_step_path(body: bytes) -> None:
    fast = await _outcome(read_activity(RawRequest(body)))
    general = await _outcome(_two_steps(RawRequest(body)))
    assert fast == general


async def test_a_non_json_media_type_is_still_refused_before_reading() -> None:
    status, body = (await _outcome(read_activity(RawRequest(b"{}", "text/plain"))))[1]
    assert status == 415 and "Content-Type" in body["error"]


# -- replies ---------------------------------------------------------------------------------


class RecordingAdapter(TestAdapter):
    """Keeps what reached the channel, after the interceptors."""

    def __init__(self) -> None:
        super().__init__()
        self.delivered: list[Activity] = []

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        self.delivered.extend(activities)
        return [ResourceResponse(id=str(len(self.delivered)))]


_INCOMING = [
    {"type": "message", "id": "a1", "channelId": "webchat", "serviceUrl": "https://x/",
     "locale": "en-US", "from": {"id": "u", "name": "U", "role": "user", "extra": 1},
     "recipient": {"id": "b", "name": "B"}, "conversation": {"id": "c", "isGroup": True}},
    {"type": "message", "id": "a2", "channelId": "msteams:COPILOT",
     "conversation": {"id": "c"}, "from": {"id": "u"}},
    {"type": "conversationUpdate", "id": "a3", "channelId": "webchat",
     "conversation": {"id": "c"}, "recipient": {"id": "b"}},
    {"type": "event", "conversation": {"id": "c", "tenantId": "t"}},
]  # fmt: skip


@pytest.mark.parametrize("incoming", _INCOMING)
async def test_a_text_reply_is_addressed_as_apply_conversation_reference_does(
    incoming: dict[str, Any],
) -> None:
    adapter = RecordingAdapter()
    activity = Activity.model_validate(incoming)
    context = TurnContext(adapter, activity)
    seen: list[Activity] = []

    async def intercept(ctx: TurnContext, activities: list[Activity], next_: Any) -> Any:
        seen.extend(activities)
        return await next_()

    context.on_send_activities(intercept)
    response = await context.send_activity("hello", speak="hi")

    expected = Activity(type="message", text="hello", speak="hi", input_hint="acceptingInput")
    expected.apply_conversation_reference(activity.get_conversation_reference())
    [sent] = adapter.delivered
    assert seen == [sent] and response.id == "1"
    assert sent.model_dump(mode="json", by_alias=True, exclude_unset=True) == (
        expected.model_dump(mode="json", by_alias=True, exclude_unset=True)
    )
    assert sent.model_fields_set == expected.model_fields_set - {"id"}
    assert context.responded


async def test_a_text_reply_to_an_activity_without_conversation_fails_as_before() -> None:
    context = TurnContext(RecordingAdapter(), Activity(type="message"))
    with pytest.raises(ValueError, match="conversation"):
        await context.send_activity("hello")


# -- REST ------------------------------------------------------------------------------------

_BASES = [
    "http://127.0.0.1:9/",
    "https://smba.trafficmanager.net/amer/",
    "https://H.example.com:443/p%20q/",
    "https://h.example.com/a b/",
    "http://[::1]:8080/x/",
    "https://bücher.example/",
]
_SEGMENTS = [
    "conv-1", "19:abc@thread.tacv2;messageid=1", ".", "..", "", "a/b", "a?b#c", "é 中",
    "%2e%2E", "!$&'()*+,;=:@~", "a:b", "x" * 40,
]  # fmt: skip


@pytest.mark.parametrize("base", _BASES)
def test_rest_urls_are_those_joinpath_builds(base: str) -> None:
    endpoint = RestEndpoint(base, "")
    for segment in _SEGMENTS:
        segments = ("v3", "conversations", segment, "activities", "id-1")
        built = endpoint.url(*segments)
        encoded = [quote(part, safe=_SAFE_PATH_CHARS) for part in segments]
        joined = URL(base).joinpath(*encoded, encoded=True)
        assert built == joined, segment
        assert (str(built), built.raw_authority, built.explicit_port) == (
            str(joined),
            joined.raw_authority,
            joined.explicit_port,
        ), segment


@pytest.mark.parametrize("text", ["plain text", "caf\u00e9 \u4e2d \U0001f600", 'q"u\\o\ne\u0001'])
@pytest.mark.parametrize("exclude_none", [False, True])
def test_encoded_models_are_the_bytes_json_dumps_gives(text: str, exclude_none: bool) -> None:
    activity = Activity(
        type="message",
        text=text,
        channel_id="msteams:COPILOT",
        conversation={"id": "c"},
        channel_data={"n": [1, 2.5, None, True], "s": text},
        entities=[{"type": "mention", "text": text}],
        reply_to_id=None,
    )
    expected = json.dumps(dump_model(activity, exclude_none=exclude_none), separators=(",", ":"))
    assert encode_model(activity, exclude_none=exclude_none) == expected.encode("utf-8")


# -- state -----------------------------------------------------------------------------------


class CountingStorage(MemoryStorage):
    def __init__(self, state: dict[str, Any] | None = None) -> None:
        super().__init__(state)
        self.reads: list[list[str]] = []

    async def read(self, keys: list[str], *, target_cls: Any, **kwargs: Any) -> dict[str, Any]:
        self.reads.append(list(keys))
        return await super().read(keys, target_cls=target_cls, **kwargs)


def _context() -> TurnContext:
    return _context_on(TestAdapter())


async def test_the_scopes_of_one_storage_are_read_in_one_call() -> None:
    storage = CountingStorage({"test/users/u": {"name": "Ada"}})
    state = await TurnState.with_storage(storage).load(_context())
    assert storage.reads == [["test/conversations/c", "test/users/u"]]
    assert state.get_value("UserState.name") == "Ada"
    assert state.conversation.get() == {}


async def test_a_failing_key_is_raised_after_the_other_scopes_loaded() -> None:
    storage = CountingStorage()
    context = TurnContext(
        TestAdapter(), Activity(type="message", channel_id="test", conversation={"id": "c"})
    )
    state = TurnState.with_storage(storage)
    with pytest.raises(ValueError, match=r"from\.id"):
        await state.load(context)
    assert storage.reads == [["test/conversations/c"]]  # the conversation was still read
    assert state.conversation.get() == {}


async def test_untouched_empty_state_is_never_written() -> None:
    storage = MemoryStorage()
    context = _context()
    state = await TurnState.with_storage(storage).load(context)
    state.temp.set_value("scratch", 1)
    await state.save(context)
    assert storage._memory == {}
    state.conversation.set_value("count", 1)
    await state.save(context)
    assert storage._memory == {"test/conversations/c": {"count": 1}}


# -- garbage ---------------------------------------------------------------------------------


class JsonRequest(RawRequest):
    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(json.dumps(body).encode())


async def test_a_turn_leaves_no_reference_cycle_behind() -> None:
    """Everything a turn made is freed when the turn ends, without the cycle collector."""
    adapter = HttpAdapterBase()
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)
    contexts: list[weakref.ReferenceType[TurnContext]] = []
    states: list[weakref.ReferenceType[TurnState]] = []

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        contexts.append(weakref.ref(context))
        states.append(weakref.ref(state))
        state.conversation.set_value("seen", True)
        await context.send_activity(f"echo: {context.activity.text}")

    body = {
        "type": "message",
        "id": "in-1",
        "channelId": "test",
        "deliveryMode": "expectReplies",
        "from": {"id": "user-1"},
        "recipient": {"id": "agent-1"},
        "conversation": {"id": "conv-1"},
        "text": "hi",
    }
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            response = await adapter.process_request(JsonRequest(body), app)
            assert response.status_code == 200
        assert len(contexts) == 3
        assert [ref() for ref in contexts] == [None, None, None]
        assert [ref() for ref in states] == [None, None, None]
    finally:
        gc.enable()
        await adapter.close()


# -- typing ----------------------------------------------------------------------------------

_TURN = contextvars.ContextVar("turn", default="none")


class TypingChannel(TestAdapter):
    def __init__(self) -> None:
        super().__init__()
        self.typing_from: list[str] = []

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        self.typing_from.extend(_TURN.get() for a in activities if a.type == "typing")
        return [ResourceResponse(id="") for _ in activities]


async def test_waiting_indicators_share_a_timer_and_keep_their_own_context() -> None:
    channel = TypingChannel()
    options = TypingOptions(initial_delay_ms=20, interval_ms=10_000)
    indicators: list[TypingIndicator] = []
    for number in range(20):
        _TURN.set(f"turn-{number}")
        indicator = TypingIndicator(_context_on(channel), typing_options=options)
        indicator.start()
        indicators.append(indicator)
    _TURN.set("none")
    for indicator in indicators[:-2]:
        indicator.stop()  # these answered in time
    await asyncio.sleep(0.08)
    assert sorted(channel.typing_from) == ["turn-18", "turn-19"]
    for indicator in indicators:
        await indicator.aclose()
    assert not any(indicator.running for indicator in indicators)


def _context_on(adapter: TestAdapter) -> TurnContext:
    return TurnContext(
        adapter,
        Activity(
            type="message", channel_id="test", conversation={"id": "c"}, from_property={"id": "u"}
        ),
    )
