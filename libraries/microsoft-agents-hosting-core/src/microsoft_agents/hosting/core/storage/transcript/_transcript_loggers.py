"""The transcript middleware and the two debugging loggers (console and file)."""

from __future__ import annotations

import asyncio
import logging
import secrets
import string
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import (
    Activity,
    ActivityEventNames,
    ActivityTypes,
    ChannelAccount,
    ConversationReference,
    ResourceResponse,
    RoleTypes,
)

from ._transcript_base import TranscriptLogger, as_utc, stamped_copy

if TYPE_CHECKING:
    from ..._turn_context import TurnContext

__all__ = ["ConsoleTranscriptLogger", "FileTranscriptLogger", "TranscriptLoggerMiddleware"]

logger = logging.getLogger(__name__)

_ID_ALPHABET = string.ascii_lowercase + string.digits
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _require_activity(activity: Activity | None) -> None:
    if not activity:
        raise TypeError("Activity is required: pass the activity to log")


class ConsoleTranscriptLogger(TranscriptLogger):
    """Prints each activity as indented JSON to standard output (for debugging)."""

    async def log_activity(self, activity: Activity) -> None:
        _require_activity(activity)
        print(activity.model_dump_json(indent=4))  # noqa: T201 (printing is the point)


class FileTranscriptLogger(TranscriptLogger):
    """Appends each activity as indented JSON (followed by a newline) to ``file_path``.

    The file is created (or opened for appending) when the logger is built, so a bad path
    fails early. Writes happen in a worker thread, one activity at a time, and reach the file
    before ``log_activity`` returns. Meant for debugging and tailing; for transcripts that are
    read back, use :class:`FileTranscriptStore`.
    """

    def __init__(self, file_path: str | Path, encoding: str | None = "utf-8") -> None:
        if not file_path or not isinstance(file_path, (str, Path)):
            raise ValueError("file_path is required: pass the file to append the transcript to")
        self.file_path = file_path
        self.encoding = encoding
        self._lock = threading.Lock()
        with open(file_path, "a", encoding=encoding):
            pass

    async def log_activity(self, activity: Activity) -> None:
        _require_activity(activity)
        text = activity.model_dump_json(indent=4) + "\n"
        await asyncio.to_thread(self._append, text)

    def _append(self, text: str) -> None:
        with self._lock, open(self.file_path, "a", encoding=self.encoding) as file:
            file.write(text)


class TranscriptLoggerMiddleware:
    """Records a conversation: every turn's incoming activity and what the agent sent, updated
    and deleted during it, handed to ``logger`` once the turn's logic has finished.

    * The incoming activity is recorded first (as a copy whose sender has the ``user`` role
      when it came without one), except the ``ContinueConversation`` event proactive turns
      start with.
    * Each sent activity, including those sent together, is recorded as a copy taken after
      delivery, with the id the channel answered with. When the channel gave no id, one is
      made up as ``g_<5 random characters><milliseconds since 1970>``.
    * An update is recorded as a copy of the new activity with type ``messageUpdate``; a
      deletion as a ``messageDelete`` activity whose id is the deleted activity's id.
    * Recorded activities without a timestamp get the time they were recorded (UTC).
    * If the turn's logic raises, nothing of that turn is logged and the error propagates.
    * A logger that raises never fails the turn: a warning is logged and the remaining
      activities are still handed to the logger.
    """

    def __init__(self, logger: TranscriptLogger) -> None:
        if logger is None or not callable(getattr(logger, "log_activity", None)):
            raise TypeError(
                "TranscriptLoggerMiddleware needs a TranscriptLogger: an object with an async "
                "log_activity(activity) method"
            )
        self.logger = logger

    async def on_turn(
        self, context: TurnContext, logic: Callable[..., Awaitable[Any]] | None
    ) -> None:
        transcript: list[Activity] = []
        incoming = context.activity
        if incoming is not None and not _is_continuation(incoming):
            copy = stamped_copy(incoming)
            if copy.from_property is None:
                copy.from_property = ChannelAccount()
            if not copy.from_property.role:
                copy.from_property.role = RoleTypes.user
            transcript.append(copy)

        async def on_send(
            ctx: TurnContext,
            activities: list[Activity],
            next_send: Callable[[], Awaitable[list[ResourceResponse]]],
        ) -> list[ResourceResponse]:
            responses = await next_send()
            for index, activity in enumerate(activities):
                copy = stamped_copy(activity)
                if responses and index < len(responses):
                    copy.id = responses[index].id
                if not copy.id:
                    copy.id = _made_up_id(copy.timestamp)
                transcript.append(copy)
            return responses

        async def on_update(
            ctx: TurnContext,
            activity: Activity,
            next_update: Callable[[], Awaitable[ResourceResponse | None]],
        ) -> ResourceResponse | None:
            response = await next_update()
            copy = stamped_copy(activity)
            copy.type = ActivityTypes.message_update
            transcript.append(copy)
            return response

        async def on_delete(
            ctx: TurnContext,
            reference: ConversationReference,
            next_delete: Callable[[], Awaitable[None]],
        ) -> None:
            await next_delete()
            deleted = Activity(
                type=ActivityTypes.message_delete,
                id=reference.activity_id,
                timestamp=datetime.now(timezone.utc),
            )
            deleted.apply_conversation_reference(reference, False)
            transcript.append(deleted)

        context.on_send_activities(on_send)
        context.on_update_activity(on_update)
        context.on_delete_activity(on_delete)

        if logic is not None:
            await logic(context)
        await self._flush(transcript)

    async def _flush(self, transcript: list[Activity]) -> None:
        for activity in transcript:
            try:
                await self.logger.log_activity(activity)
            except Exception as error:
                # Only the error's type: its message may carry connection details.
                logger.warning(
                    "transcript logger %s failed to log a %s activity (%s); the turn goes on",
                    type(self.logger).__name__,
                    activity.type,
                    type(error).__name__,
                )
        transcript.clear()


def _is_continuation(activity: Activity) -> bool:
    return (
        activity.type == ActivityTypes.event
        and activity.name == ActivityEventNames.continue_conversation
    )


def _made_up_id(timestamp: datetime | None) -> str:
    moment = as_utc(timestamp) if timestamp is not None else datetime.now(timezone.utc)
    millis = (moment - _EPOCH).total_seconds() * 1000
    prefix = "".join(secrets.choice(_ID_ALPHABET) for _ in range(5))
    return f"g_{prefix}{millis}"
