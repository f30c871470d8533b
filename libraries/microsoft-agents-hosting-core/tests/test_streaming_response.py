"""StreamingResponse driven through a real TurnContext and the in-process TestAdapter.

Every check compares the wire JSON of the delivered activities (minus the delivery timestamp
the test channel adds).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

from microsoft_agents.activity import (
    Activity,
    Attachment,
    ChannelAccount,
    ResourceResponse,
    RoleTypes,
    SensitivityUsageInfo,
)
from microsoft_agents.hosting.core.app import AgentApplication
from microsoft_agents.hosting.core.app.state import TurnState
from microsoft_agents.hosting.core.app.streaming import Citation, StreamingResponse
from microsoft_agents.hosting.core.storage import MemoryStorage
from microsoft_agents.hosting.core.testing import TestAdapter

if TYPE_CHECKING:
    from microsoft_agents.hosting.core import TurnContext

SERVICE_URL = "https://test.channel.local/"
AGENT = {"id": "agent1", "name": "Agent", "role": "bot"}
USER = {"id": "user1", "name": "User", "role": "user"}
LABEL = {"type": "https://schema.org/Message", "@type": "CreativeWork", "name": "Internal"}

Handler = Callable[["TurnContext"], Awaitable[None]]


@pytest.fixture(autouse=True)
def fast_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    """Channel pauses of a few milliseconds instead of up to a second."""
    monkeypatch.setattr(StreamingResponse, "teams_interval", 0.02)
    monkeypatch.setattr(StreamingResponse, "webchat_interval", 0.01)
    monkeypatch.setattr(StreamingResponse, "stream_delivery_interval", 0.005)


# -- helpers ---------------------------------------------------------------------------------


def wire(activity: Activity) -> dict[str, Any]:
    data = activity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert data.pop("timestamp")  # stamped by the test channel on delivery
    return data


def reply(channel: str, reply_id: str, **fields: Any) -> dict[str, Any]:
    """A reply to incoming activity "1" as the TurnContext addresses it."""
    data: dict[str, Any] = {
        "id": reply_id,
        "serviceUrl": SERVICE_URL,
        "channelId": channel,
        "from": AGENT,
        "conversation": {"id": "test-conversation"},
        "recipient": USER,
        "locale": "en-US",
        "inputHint": "acceptingInput",
        "replyToId": "1",
    }
    data.update(fields)
    return data


def streaminfo(
    stream_type: str, sequence: int | None = None, stream_id: str | None = None, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "streaminfo", "streamType": stream_type}
    if sequence is not None:
        data["streamSequence"] = sequence
    if stream_id is not None:
        data["streamId"] = stream_id
    data.update(extra)
    return data


def ai_entity(
    citations: list[dict[str, Any]] | None = None, usage: dict[str, Any] | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "https://schema.org/Message",
        "@type": "Message",
        "@context": "https://schema.org",
        "id": "",
        "additionalType": ["AIGeneratedContent"],
    }
    if citations is not None:
        data["citation"] = citations
    if usage is not None:
        data["usageInfo"] = usage
    return data


DOC_CITATION = {
    "@type": "Claim",
    "position": 1,
    "appearance": {
        "@type": "DigitalDocument",
        "name": "Doc",
        "abstract": "The source text.",
        "url": "https://docs.example/1",
    },
}


async def run(
    handler: Handler, *, adapter: TestAdapter | None = None, **incoming: Any
) -> list[Activity]:
    """Run one turn of ``handler`` and return what was delivered."""
    adapter = adapter or TestAdapter()
    await adapter.process_activity(Activity(type="message", text="hi", **incoming), handler)
    return list(adapter.sent_activities)


class ChannelError(Exception):
    """Shaped like a connector client's error for a rejected POST (status + body text)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}, message={message!r}")
        self.status = status
        self.message = message


class FailingChannel(TestAdapter):
    """A test channel that rejects the sends ``fail`` picks (by activity and attempt number)."""

    def __init__(
        self, fail: Callable[[Activity, int], Exception | None], channel_id: str = "webchat"
    ) -> None:
        super().__init__(channel_id=channel_id)
        self.fail = fail
        self.attempts: list[Activity] = []

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        for activity in activities:
            self.attempts.append(activity)
            error = self.fail(activity, len(self.attempts))
            if error is not None:
                raise error
        return await super().send_activities(context, activities)


async def seed_configured_stream(context: TurnContext) -> None:
    """The seed's settings: feedback loop, AI label, sensitivity label, one citation."""
    stream = context.streaming_response
    stream.set_feedback_loop(True)
    stream.set_generated_by_ai_label(True)
    stream.set_sensitivity_label(
        SensitivityUsageInfo(
            type="https://schema.org/Message", schema_type="CreativeWork", name="Internal"
        )
    )
    stream.set_citations(
        [Citation(content="The source text.", title="Doc", url="https://docs.example/1")]
    )
    stream.queue_informative_update("Starting...")
    stream.queue_text_chunk("Hello [doc1]")
    stream.queue_text_chunk(" world")
    await stream.end_stream()


# -- channel transports ----------------------------------------------------------------------


async def test_webchat_sends_informative_update_then_final_message() -> None:
    sent = await run(seed_configured_stream, adapter=TestAdapter(channel_id="webchat"))
    stream_id = sent[0].entities[0].stream_id  # type: ignore[index, union-attr]
    uuid.UUID(stream_id)  # a fresh uuid chosen by the agent
    assert [wire(a) for a in sent] == [
        reply(
            "webchat",
            "2",
            type="typing",
            text="Starting...",
            entities=[streaminfo("informative", 1, stream_id)],
        ),
        reply(
            "webchat",
            "3",
            type="message",
            text="Hello [1] world",
            entities=[streaminfo("final", stream_id=stream_id), ai_entity([DOC_CITATION], LABEL)],
        ),
    ]


async def test_teams_takes_the_stream_id_from_the_first_send() -> None:
    sent = await run(seed_configured_stream, adapter=TestAdapter(channel_id="msteams"))
    assert [wire(a) for a in sent] == [
        reply(
            "msteams",
            "2",
            type="typing",
            text="Starting...",
            entities=[streaminfo("informative", 1)],
        ),
        reply(
            "msteams",
            "3",
            type="message",
            text="Hello [1] world",
            entities=[streaminfo("final", stream_id="2"), ai_entity([DOC_CITATION], LABEL)],
            channelData={"feedbackLoop": {"type": "default"}},
        ),
    ]


async def test_teams_updates_after_the_first_carry_its_id() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        assert stream.is_streaming_channel
        assert stream.interval == 0.02  # the Teams pause (shortened by the fixture)
        stream.queue_informative_update("Thinking")
        await stream.wait_for_queue()
        stream.queue_text_chunk("Part one")
        await stream.wait_for_queue()
        stream.set_feedback_loop(True)
        stream.set_feedback_loop_type("custom")
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="msteams"))
    assert [wire(a) for a in sent] == [
        reply(
            "msteams", "2", type="typing", text="Thinking", entities=[streaminfo("informative", 1)]
        ),
        reply(
            "msteams",
            "3",
            type="typing",
            text="Part one",
            entities=[streaminfo("streaming", 2, "2")],
        ),
        reply(
            "msteams",
            "4",
            type="message",
            text="Part one",
            entities=[streaminfo("final", stream_id="2")],
            channelData={"feedbackLoop": {"type": "custom"}},
        ),
    ]


async def test_other_channels_get_only_the_final_message() -> None:
    sent = await run(seed_configured_stream, adapter=TestAdapter(channel_id="slack"))
    assert [wire(a) for a in sent] == [
        reply(
            "slack",
            "2",
            type="message",
            text="Hello [1] world",
            entities=[ai_entity([DOC_CITATION], LABEL)],
        )
    ]


async def test_expect_replies_gets_only_the_final_message() -> None:
    adapter = TestAdapter(channel_id="webchat")
    sent = await run(seed_configured_stream, adapter=adapter, delivery_mode="expectReplies")
    expected = reply(
        "webchat",
        "2",
        type="message",
        text="Hello [1] world",
        entities=[ai_entity([DOC_CITATION], LABEL)],
    )
    assert [wire(a) for a in sent] == [expected]
    assert adapter.last_invoke_response is not None
    body = adapter.last_invoke_response.body
    assert isinstance(body, dict)
    assert [a["text"] for a in body["activities"]] == ["Hello [1] world"]
    assert "streaminfo" not in str(body)


async def test_stream_delivery_mode_streams_on_any_channel() -> None:
    intervals: list[float] = []

    async def handler(context: TurnContext) -> None:
        intervals.append(context.streaming_response.interval)
        await seed_configured_stream(context)

    sent = await run(handler, adapter=TestAdapter(channel_id="slack"), delivery_mode="stream")
    assert intervals == [0.005]
    stream_id = sent[0].entities[0].stream_id  # type: ignore[index, union-attr]
    uuid.UUID(stream_id)
    assert [wire(a)["entities"][0] for a in sent] == [
        streaminfo("informative", 1, stream_id),
        streaminfo("final", stream_id=stream_id),
    ]
    assert "channelData" not in wire(sent[1])  # the feedback loop is a Teams feature


async def test_agentic_teams_requests_are_not_streamed() -> None:
    agentic = ChannelAccount(id="agent1", name="Agent", role=RoleTypes.agentic_identity)
    sent = await run(
        seed_configured_stream, adapter=TestAdapter(channel_id="msteams", agent=agentic)
    )
    assert [a.type for a in sent] == ["message"]
    assert wire(sent[0])["channelData"] == {"feedbackLoop": {"type": "default"}}
    assert all(e.type != "streaminfo" for e in sent[0].entities or ())


@pytest.mark.parametrize(
    ("channel", "delivery_mode", "streaming", "interval"),
    [
        ("msteams", None, True, 1.0),
        ("webchat", None, True, 0.5),
        ("directline", None, True, 0.5),
        ("slack", "stream", True, 0.1),
        ("webchat", "expectReplies", False, None),
        ("slack", None, False, None),
    ],
)
async def test_default_channel_intervals(
    monkeypatch: pytest.MonkeyPatch,
    channel: str,
    delivery_mode: str | None,
    streaming: bool,
    interval: float | None,
) -> None:
    monkeypatch.undo()  # the real defaults
    seen: list[StreamingResponse] = []

    async def handler(context: TurnContext) -> None:
        seen.append(context.streaming_response)

    incoming = {"delivery_mode": delivery_mode} if delivery_mode else {}
    await run(handler, adapter=TestAdapter(channel_id=channel), **incoming)
    assert seen[0].is_streaming_channel is streaming
    if interval is not None:
        assert seen[0].interval == interval


# -- chunks ----------------------------------------------------------------------------------


async def test_chunks_queued_during_a_send_are_coalesced() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.interval = 0.05
        stream.queue_text_chunk("a")
        await asyncio.sleep(0.01)  # "a" is sent; the sender now pauses
        stream.queue_text_chunk("b")
        stream.queue_text_chunk("c")
        stream.queue_text_chunk("d")
        await stream.wait_for_queue()
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    assert [(a.type, a.text) for a in sent] == [
        ("typing", "a"),
        ("typing", "abcd"),
        ("message", "abcd"),
    ]
    assert [e["streamSequence"] for a in sent[:2] for e in wire(a)["entities"]] == [1, 2]


async def test_a_chunk_waiting_when_the_stream_ends_becomes_the_final_message() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.interval = 0.05
        stream.queue_text_chunk("first")
        await asyncio.sleep(0.01)
        stream.queue_text_chunk(" second")
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    assert [(a.type, a.text) for a in sent] == [("typing", "first"), ("message", "first second")]


async def test_doc_markers_split_across_chunks_are_rewritten() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.queue_text_chunk("see [do")
        stream.queue_text_chunk("c2] and [docs3]")
        assert stream.get_message() == "see [2] and [3]"
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="slack"))
    assert [a.text for a in sent] == ["see [2] and [3]"]


async def test_used_citations_ride_on_updates_without_the_ai_label() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.set_citations(
            [
                Citation(content="The source text.", title="Doc", url="https://docs.example/1"),
                Citation(content="never cited"),
            ]
        )
        stream.queue_text_chunk("plain ")
        await stream.wait_for_queue()
        stream.queue_text_chunk("cited [doc1]")
        await stream.wait_for_queue()
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    stream_id = sent[0].entities[0].stream_id  # type: ignore[index, union-attr]
    assert [wire(a)["entities"] for a in sent] == [
        [streaminfo("streaming", 1, stream_id)],
        [streaminfo("streaming", 2, stream_id), ai_entity([DOC_CITATION])],
        [streaminfo("final", stream_id=stream_id), ai_entity([DOC_CITATION])],
    ]


async def test_ai_label_marks_updates_and_final_but_not_informative_updates() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.set_generated_by_ai_label(True)
        stream.queue_informative_update("Looking")
        stream.queue_text_chunk("text")
        await stream.wait_for_queue()
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    kinds = [[e["type"] for e in wire(a)["entities"]] for a in sent]
    assert kinds == [
        ["streaminfo"],
        ["streaminfo", "https://schema.org/Message"],
        ["streaminfo", "https://schema.org/Message"],
    ]
    assert wire(sent[1])["entities"][1] == ai_entity()


async def test_blank_informative_updates_are_ignored() -> None:
    async def handler(context: TurnContext) -> None:
        context.streaming_response.queue_informative_update("   ")
        context.streaming_response.queue_informative_update("")
        await context.streaming_response.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    assert [(a.type, a.text) for a in sent] == [("message", "end stream response")]


async def test_attachments_go_on_the_final_message_only() -> None:
    card = Attachment(content_type="application/vnd.microsoft.card.adaptive", content={"a": 1})
    extra = Attachment(content_type="image/png", content_url="https://img.example/x.png")

    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.set_attachments([card])
        stream.add_attachment(extra)
        with pytest.raises(ValueError):
            stream.add_attachment(None)  # type: ignore[arg-type]
        stream.queue_text_chunk("see card")
        await stream.wait_for_queue()
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    assert "attachments" not in wire(sent[0])
    assert wire(sent[1])["attachments"] == [
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": {"a": 1}},
        {"contentType": "image/png", "contentUrl": "https://img.example/x.png"},
    ]


# -- ending, errors after the end, reset ------------------------------------------------------


async def test_using_an_ended_stream_raises() -> None:
    errors: list[str] = []

    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.queue_text_chunk("done")
        await stream.wait_for_queue()
        await stream.end_stream()
        for late in (
            lambda: stream.queue_text_chunk("more"),
            lambda: stream.queue_informative_update("more"),
        ):
            with pytest.raises(RuntimeError, match="stream has already ended"):
                late()
        with pytest.raises(RuntimeError, match="stream has already ended"):
            await stream.end_stream()
        errors.append("checked")

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    assert errors == ["checked"]
    assert [a.text for a in sent] == ["done", "done"]


async def test_informative_updates_after_the_end_are_ignored_where_nothing_streams() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        await stream.end_stream()
        stream.queue_informative_update("ignored on this channel")
        with pytest.raises(RuntimeError):
            stream.queue_text_chunk("but text still raises")

    sent = await run(handler, adapter=TestAdapter(channel_id="slack"))
    assert [a.text for a in sent] == ["end stream response"]


async def test_reset_starts_a_new_stream() -> None:
    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.set_generated_by_ai_label(True)
        stream.queue_text_chunk("one")
        await stream.wait_for_queue()
        await stream.end_stream()
        await stream.reset()
        assert stream.get_message() == ""
        stream.queue_text_chunk("two")
        await stream.wait_for_queue()
        await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    assert [(a.type, a.text) for a in sent] == [
        ("typing", "one"),
        ("message", "one"),
        ("typing", "two"),
        ("message", "two"),
    ]
    first, second = (wire(a)["entities"] for a in sent[1:3])
    assert first[0]["streamId"] != second[0]["streamId"]
    assert second[0]["streamSequence"] == 1
    assert second[1] == ai_entity()  # settings survive the reset


async def test_timed_out_notification_ends_a_running_stream() -> None:
    results: list[bool] = []

    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.queue_text_chunk("partial")
        await stream.wait_for_queue()
        results.append(await stream.send_stream_timed_out_notification("Took too long."))
        results.append(await stream.send_stream_timed_out_notification("again"))
        with pytest.raises(RuntimeError):
            await stream.end_stream()

    sent = await run(handler, adapter=TestAdapter(channel_id="webchat"))
    assert results == [True, False]
    stream_id = wire(sent[0])["entities"][0]["streamId"]
    assert wire(sent[1]) == reply(
        "webchat",
        "3",
        type="message",
        text="Took too long.",
        entities=[streaminfo("final", stream_id=stream_id, streamResult="error")],
    )


async def test_timed_out_notification_is_refused_where_nothing_streams() -> None:
    results: list[bool] = []

    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        assert stream.streaming_taking_too_long_message
        stream.streaming_taking_too_long_message = "Still busy"
        assert stream.streaming_taking_too_long_message == "Still busy"
        results.append(await stream.send_stream_timed_out_notification("x"))

    sent = await run(handler, adapter=TestAdapter(channel_id="slack"))
    assert results == [False]
    assert sent == []


# -- send failures ---------------------------------------------------------------------------

CANCELLED_BODY = (
    '{"error":{"code":"ContentStreamNotAllowed","message":"Content stream was cancelled."}}'
)
NOT_ENABLED_BODY = (
    '{"error":{"code":"BadArgument","message":"Invalid request: streaming api is not enabled"}}'
)


async def test_teams_stopping_the_stream_cancels_it_silently() -> None:
    channel = FailingChannel(
        lambda _a, n: ChannelError(403, CANCELLED_BODY) if n == 2 else None, "msteams"
    )

    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.queue_informative_update("Working")
        await stream.wait_for_queue()
        stream.queue_text_chunk("a")
        await stream.wait_for_queue()  # the channel refused: no error surfaces
        stream.queue_text_chunk("b")  # ignored from now on
        stream.queue_informative_update("ignored")
        await stream.end_stream()

    sent = await run(handler, adapter=channel)
    assert [(a.type, a.text) for a in sent] == [("typing", "Working")]
    assert len(channel.attempts) == 2


async def test_a_bare_403_cancels_on_teams_only() -> None:
    teams = FailingChannel(lambda _a, _n: ChannelError(403, "Forbidden"), "msteams")
    assert await run(seed_configured_stream, adapter=teams) == []
    assert len(teams.attempts) == 1

    caught: list[BaseException] = []

    async def handler(context: TurnContext) -> None:
        try:
            await seed_configured_stream(context)
        except ChannelError as error:
            caught.append(error)

    webchat = FailingChannel(lambda _a, _n: ChannelError(403, "Forbidden"), "webchat")
    await run(handler, adapter=webchat)
    assert [getattr(e, "status", None) for e in caught] == [403]


async def test_streaming_not_enabled_falls_back_to_one_message() -> None:
    states: list[bool] = []
    channel = FailingChannel(
        lambda a, _n: ChannelError(400, NOT_ENABLED_BODY) if a.type == "typing" else None
    )

    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.queue_informative_update("Working")
        await stream.wait_for_queue()
        states.append(stream.is_streaming_channel)
        stream.queue_text_chunk("all of it")
        stream.queue_informative_update("ignored now")
        await stream.end_stream()

    sent = await run(handler, adapter=channel)
    assert states == [False]
    assert [wire(a) for a in sent] == [reply("webchat", "2", type="message", text="all of it")]


async def test_a_refused_streamed_final_message_is_sent_again_unstreamed() -> None:
    channel = FailingChannel(
        lambda a, _n: (
            ChannelError(400, NOT_ENABLED_BODY)
            if any(e.type == "streaminfo" for e in a.entities or ())
            else None
        )
    )

    async def handler(context: TurnContext) -> None:
        context.streaming_response.queue_text_chunk("x")
        await context.streaming_response.end_stream()  # the chunk is folded into the final

    sent = await run(handler, adapter=channel)
    assert [wire(a) for a in sent] == [reply("webchat", "2", type="message", text="x")]
    assert len(channel.attempts) == 2


async def test_other_send_errors_reach_end_stream() -> None:
    caught: list[BaseException] = []
    channel = FailingChannel(lambda _a, n: ChannelError(500, "boom") if n == 1 else None)

    async def handler(context: TurnContext) -> None:
        stream = context.streaming_response
        stream.queue_text_chunk("a")
        await asyncio.sleep(0.005)
        stream.queue_text_chunk("b")
        try:
            await stream.end_stream()
        except ChannelError as error:
            caught.append(error)

    sent = await run(handler, adapter=channel)
    assert [str(e) for e in caught] == ["500, message='boom'"]
    assert sent == []  # nothing after the failure is sent


# -- without a context -----------------------------------------------------------------------


async def test_seed_form_without_a_context_is_an_unsent_buffer() -> None:
    # seed 001, verbatim apart from the import path
    citations = [Citation(content="Source info", title="Reference")]
    response = StreamingResponse(citations=citations)

    assert response.is_streaming_channel is False
    assert [(c.position, c.appearance.name) for c in response.citations] == [(1, "Reference")]
    response.queue_informative_update("ignored")
    response.queue_text_chunk("Answer [doc1]")
    assert response.get_message() == "Answer [1]"
    await response.wait_for_queue()
    with pytest.raises(RuntimeError, match="without a TurnContext"):
        await response.end_stream()


async def test_streaming_response_is_one_instance_per_turn() -> None:
    seen: list[StreamingResponse] = []

    async def handler(context: TurnContext) -> None:
        seen.extend([context.streaming_response, context.streaming_response])

    await run(handler)
    assert seen[0] is seen[1]
    assert isinstance(seen[0], StreamingResponse)


# -- the seed's streaming sample --------------------------------------------------------------


class _FakeCompletions:
    """Stands in for ``AsyncAzureOpenAI().chat.completions``: streams canned chunks."""

    def __init__(self, pieces: list[str | None], delay: float) -> None:
        self.pieces = pieces
        self.delay = delay
        self.requests: list[dict[str, Any]] = []

    async def create(self, **request: Any) -> Any:
        self.requests.append(request)
        assert request["stream"] is True

        async def stream() -> Any:
            yield SimpleNamespace(choices=[])  # a chunk without choices (usage/keep-alive)
            for piece in self.pieces:
                await asyncio.sleep(self.delay)
                delta = SimpleNamespace(content=piece)
                yield SimpleNamespace(choices=[SimpleNamespace(delta=delta)])

        return stream()


def _seed_app(client: Any) -> AgentApplication[TurnState]:
    """The seed's agent: an application with the streaming route, its body unchanged."""
    AGENT_APP = AgentApplication[TurnState](storage=MemoryStorage())
    CLIENT = client  # the seed's global names

    # -- seed 002 "Streaming Responses with Azure OpenAI", unchanged ---------------------------
    @AGENT_APP.message("poem")
    async def on_poem_message(context: TurnContext, _state: TurnState):
        # Configure streaming response
        context.streaming_response.set_feedback_loop(True)
        context.streaming_response.set_generated_by_ai_label(True)
        context.streaming_response.set_sensitivity_label(
            SensitivityUsageInfo(
                type="https://schema.org/Message",
                schema_type="CreativeWork",
                name="Internal",
            )
        )
        context.streaming_response.queue_informative_update("Starting a poem...\n")

        # Stream from Azure OpenAI
        streamed_response = await CLIENT.chat.completions.create(
            model="gpt-4o",
            messages=[
                {"role": "system", "content": "You are a creative assistant."},
                {"role": "user", "content": "Write a poem about Python."},
            ],
            stream=True,
        )

        try:
            async for chunk in streamed_response:
                if chunk.choices and chunk.choices[0].delta.content:
                    context.streaming_response.queue_text_chunk(chunk.choices[0].delta.content)
        finally:
            await context.streaming_response.end_stream()

    # ------------------------------------------------------------------------------------------
    return AGENT_APP


async def run_seed(completions: _FakeCompletions, channel: str) -> list[Activity]:
    app = _seed_app(SimpleNamespace(chat=SimpleNamespace(completions=completions)))
    adapter = TestAdapter(channel_id=channel)
    await adapter.process_activity("poem", app)
    return list(adapter.sent_activities)


POEM = ["Indented ", None, "lines ", "", "that ", "flow"]


@pytest.mark.parametrize("channel", ["webchat", "msteams"])
async def test_seed_sample_with_a_fast_model(channel: str) -> None:
    completions = _FakeCompletions(POEM, delay=0)
    sent = await run_seed(completions, channel)

    assert completions.requests[0]["model"] == "gpt-4o"
    first_id = "2"
    stream_id = wire(sent[0])["entities"][0].get("streamId")
    if channel == "webchat":
        uuid.UUID(stream_id)
    else:
        assert stream_id is None  # Teams names the stream in its answer to the first send
    final_extra = (
        {"channelData": {"feedbackLoop": {"type": "default"}}} if channel == "msteams" else {}
    )
    assert [wire(a) for a in sent] == [
        reply(
            channel,
            first_id,
            type="typing",
            text="Starting a poem...\n",
            entities=[streaminfo("informative", 1, stream_id)],
        ),
        reply(
            channel,
            "3",
            type="message",
            text="Indented lines that flow",
            entities=[
                streaminfo("final", stream_id=stream_id or first_id),
                ai_entity(usage=LABEL),
            ],
            **final_extra,
        ),
    ]


async def test_seed_sample_with_a_slow_model_streams_every_chunk() -> None:
    completions = _FakeCompletions(["Roses ", "are ", "red"], delay=0.03)
    sent = await run_seed(completions, "webchat")

    assert [(a.type, a.text) for a in sent] == [
        ("typing", "Starting a poem...\n"),
        ("typing", "Roses "),
        ("typing", "Roses are "),
        ("message", "Roses are red"),  # the last chunk arrives just before the end
    ]
    infos = [wire(a)["entities"][0] for a in sent]
    assert [i["streamType"] for i in infos] == ["informative", "streaming", "streaming", "final"]
    assert [i.get("streamSequence") for i in infos] == [1, 2, 3, None]
    assert len({i["streamId"] for i in infos}) == 1
    assert all(wire(a)["entities"][1] == ai_entity(usage=LABEL) for a in sent[1:])
