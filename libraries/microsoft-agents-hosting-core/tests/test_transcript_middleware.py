"""``TranscriptLoggerMiddleware`` and the debugging loggers, driven through real turns."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ResourceResponse,
)
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.storage import (
    ConsoleTranscriptLogger,
    FileTranscriptLogger,
    TranscriptLogger,
    TranscriptLoggerMiddleware,
)
from microsoft_agents.hosting.core.storage.transcript import TranscriptMemoryStore
from microsoft_agents.hosting.core.testing import TestAdapter

CHANNEL, CONVERSATION = "test", "test-conversation"


async def logged(store: TranscriptMemoryStore) -> list[Activity]:
    return (await store.get_transcript_activities(CHANNEL, CONVERSATION)).items


def recording_adapter(logic: Any) -> tuple[TestAdapter, TranscriptMemoryStore]:
    store = TranscriptMemoryStore()
    adapter = TestAdapter(logic)
    adapter.use(TranscriptLoggerMiddleware(store))
    return adapter, store


class ListLogger(TranscriptLogger):
    def __init__(self, fail_on: set[str] | None = None) -> None:
        self.activities: list[Activity] = []
        self.fail_on = fail_on

    async def log_activity(self, activity: Activity) -> None:
        if self.fail_on is None or activity.type in self.fail_on:
            raise ConnectionError("could not reach https://store.example/?sig=secret-signature")
        self.activities.append(activity)


# -- what a turn records ---------------------------------------------------------------------------


async def test_a_turn_logs_the_incoming_activity_then_the_reply_with_its_channel_id() -> None:
    async def echo(context: TurnContext) -> None:
        await context.send_activity(f"echo: {context.activity.text}")

    adapter, store = recording_adapter(echo)
    [reply] = await adapter.process_activity("hi")

    incoming, outgoing = await logged(store)
    assert (incoming.type, incoming.text, incoming.from_property.id) == ("message", "hi", "user1")
    assert (outgoing.text, outgoing.id) == ("echo: hi", reply.id)
    assert outgoing.recipient.id == "user1" and outgoing.from_property.id == "agent1"
    assert outgoing.timestamp is not None and outgoing.conversation.id == CONVERSATION


async def test_activities_sent_together_are_each_logged_in_order() -> None:
    async def bulk(context: TurnContext) -> None:
        await context.send_activities(
            [Activity(type="message", text=f"part {n}") for n in range(3)]
            + [Activity(type="typing")]
        )

    adapter, store = recording_adapter(bulk)
    sent = await adapter.process_activity("go")

    _, *outgoing = await logged(store)
    assert [(a.type, a.text) for a in outgoing] == [
        ("message", "part 0"),
        ("message", "part 1"),
        ("message", "part 2"),
        ("typing", None),
    ]
    assert [a.id for a in outgoing] == [a.id for a in sent]


async def test_a_sender_without_a_role_is_logged_as_the_user() -> None:
    adapter, store = recording_adapter(lambda context: context.send_activity("ok"))
    anonymous = Activity(type="message", text="hi", from_property=ChannelAccount(id="u-9"))

    await adapter.process_activity(anonymous)

    incoming = (await logged(store))[0]
    assert (incoming.from_property.id, incoming.from_property.role) == ("u-9", "user")


async def test_logged_activities_are_copies_later_changes_do_not_reach_the_transcript() -> None:
    kept: list[Activity] = []

    async def keep(ctx: TurnContext, activities: list[Activity], next_send: Any) -> Any:
        responses = await next_send()
        kept.extend(activities)
        return responses

    async def logic(context: TurnContext) -> None:
        context.on_send_activities(keep)
        mine = Activity(type="message", text="original")
        await context.send_activity(mine)
        mine.text = "changed by the caller"
        kept[0].text = "changed by an interceptor"
        context.activity.text = "incoming changed"

    adapter, store = recording_adapter(logic)
    await adapter.process_activity("hi")

    assert [a.text for a in await logged(store)] == ["hi", "original"]


async def test_updates_and_deletes_are_logged_as_message_update_and_message_delete() -> None:
    async def logic(context: TurnContext) -> None:
        sent = await context.send_activity("draft")
        await context.update_activity(Activity(type="message", id=sent.id, text="final"))
        await context.delete_activity(sent.id)

    adapter, store = recording_adapter(logic)
    [sent] = await adapter.process_activity("hi")

    _, reply, update, delete = await logged(store)
    assert (reply.type, reply.id, reply.text) == ("message", sent.id, "draft")
    assert (update.type, update.id, update.text) == ("messageUpdate", sent.id, "final")
    assert (delete.type, delete.id) == ("messageDelete", sent.id)
    assert delete.conversation.id == CONVERSATION and str(delete.channel_id) == CHANNEL
    assert adapter.updated_activities[0].type == "message"  # only the transcript copy changed


class NoIdAdapter(TestAdapter):
    """A channel that answers without activity ids."""

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        await super().send_activities(context, activities)
        return [ResourceResponse() for _ in activities]


async def test_an_activity_the_channel_gave_no_id_gets_one_made_from_its_timestamp() -> None:
    moment = datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=timezone.utc)
    store = TranscriptMemoryStore()
    adapter = NoIdAdapter(
        lambda context: context.send_activities(
            [Activity(type="message", text="stamped", timestamp=moment), Activity(type="typing")]
        )
    )
    adapter.use(TranscriptLoggerMiddleware(store))

    await adapter.process_activity("hi")

    # the store orders by timestamp: the activity stamped in 2024 comes first
    stamped, _, unstamped = await logged(store)
    assert (stamped.text, unstamped.type) == ("stamped", "typing")
    millis = (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds() * 1000
    assert re.fullmatch(rf"g_[a-z0-9]{{5}}{re.escape(str(millis))}", stamped.id)
    assert re.fullmatch(r"g_[a-z0-9]{5}\d+\.\d+", unstamped.id)
    assert unstamped.timestamp is not None


async def test_the_continue_conversation_event_of_a_proactive_turn_is_not_logged() -> None:
    adapter, store = recording_adapter(None)

    async def proactive(context: TurnContext) -> None:
        await context.send_activity("reminder")

    await adapter.continue_conversation("agent1", adapter.conversation_reference, proactive)

    assert [(a.type, a.text) for a in await logged(store)] == [("message", "reminder")]


async def test_a_turn_that_raises_logs_nothing_and_the_error_reaches_the_adapter() -> None:
    async def failing(context: TurnContext) -> None:
        await context.send_activity("before the error")
        raise RuntimeError("agent failed")

    adapter, store = recording_adapter(failing)

    with pytest.raises(RuntimeError, match="agent failed"):
        await adapter.process_activity("hi")
    assert await logged(store) == []


# -- failing loggers -------------------------------------------------------------------------------


async def test_a_failing_logger_never_fails_the_turn_and_its_secrets_stay_out_of_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    adapter = TestAdapter(lambda context: context.send_activity("still answered"))
    adapter.use(TranscriptLoggerMiddleware(ListLogger()))

    with caplog.at_level(logging.WARNING):
        replies = await adapter.process_activity("hi")

    assert [r.text for r in replies] == ["still answered"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2  # the incoming activity and the reply
    assert all("ListLogger" in r.getMessage() for r in warnings)
    assert "ConnectionError" in caplog.text and "secret-signature" not in caplog.text


async def test_after_a_logger_failure_the_other_activities_are_still_logged() -> None:
    logger = ListLogger(fail_on={"typing"})
    adapter = TestAdapter(
        lambda context: context.send_activities(
            [Activity(type="typing"), Activity(type="message", text="after typing")]
        )
    )
    adapter.use(TranscriptLoggerMiddleware(logger))

    await adapter.process_activity("hi")

    assert [(a.type, a.text) for a in logger.activities] == [
        ("message", "hi"),
        ("message", "after typing"),
    ]


@pytest.mark.parametrize("bad", [None, object(), "logger"])
def test_the_middleware_needs_a_logger(bad: Any) -> None:
    with pytest.raises(TypeError, match="log_activity"):
        TranscriptLoggerMiddleware(bad)


# -- console and file loggers ----------------------------------------------------------------------


def message(text: str) -> Activity:
    return Activity(
        type="message",
        id="a-1",
        text=text,
        channel_id=CHANNEL,
        conversation=ConversationAccount(id=CONVERSATION),
    )


def json_documents(text: str) -> list[dict[str, Any]]:
    decoder, documents, position = json.JSONDecoder(), [], 0
    while position < len(text.rstrip()):
        document, position = decoder.raw_decode(text, position)
        documents.append(document)
        while position < len(text) and text[position].isspace():
            position += 1
    return documents


async def test_the_console_logger_prints_each_activity_as_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logger = ConsoleTranscriptLogger()
    await logger.log_activity(message("one"))
    await logger.log_activity(message("two"))

    printed = json_documents(capsys.readouterr().out)
    assert [(d["type"], d["text"], d["conversation"]["id"]) for d in printed] == [
        ("message", "one", CONVERSATION),
        ("message", "two", CONVERSATION),
    ]
    with pytest.raises(TypeError, match="Activity is required"):
        await logger.log_activity(None)  # type: ignore[arg-type]


async def test_the_file_logger_appends_json_in_the_chosen_encoding(tmp_path: Path) -> None:
    path = tmp_path / "transcript.log"
    logger = FileTranscriptLogger(str(path), encoding="utf-16")
    assert path.exists() and (logger.file_path, logger.encoding) == (str(path), "utf-16")

    await logger.log_activity(message("grüße"))
    await FileTranscriptLogger(path, encoding="utf-16").log_activity(message("🙂 again"))

    documents = json_documents(path.read_text(encoding="utf-16"))
    assert [d["text"] for d in documents] == ["grüße", "🙂 again"]
    with pytest.raises(TypeError, match="Activity is required"):
        await logger.log_activity(None)  # type: ignore[arg-type]


def test_the_file_logger_fails_early_for_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        FileTranscriptLogger(tmp_path / "missing" / "transcript.log")
