"""``TranscriptMemoryStore``: transcripts kept in the process, for development and tests."""

from __future__ import annotations

import threading
from datetime import datetime

from microsoft_agents.activity import Activity

from ._transcript_base import (
    PagedResult,
    TranscriptInfo,
    TranscriptStore,
    check_page_size,
    keep_from,
    page_of,
    parse_offset,
    require_ids,
    stamped_copy,
    timestamp_of,
)

__all__ = ["TranscriptMemoryStore"]


class TranscriptMemoryStore(TranscriptStore):
    """Keeps every logged activity in memory, grouped by channel and conversation.

    * ``log_activity`` stores a deep copy (stamped with the current UTC time when the activity
      has no timestamp), so later changes to the caller's object do not alter the transcript;
      the activity needs ``conversation.id`` (``ValueError`` otherwise).
    * ``get_transcript_activities`` returns the conversation's activities ordered by timestamp
      (activities logged with the same timestamp keep the order they were logged in), those
      before ``start_date`` left out; a naive ``start_date`` is taken to be UTC.
    * ``list_transcripts`` returns one :class:`TranscriptInfo` per conversation of the channel,
      in the order the conversations were first logged; ``created_on`` is the timestamp of
      the conversation's earliest activity.
    * Both return everything in one page unless ``page_size`` is given; the continuation
      token is then the position of the next item.

    Nothing is persisted and nothing is ever evicted: use it for tests and prototypes only.
    The store is safe to share between tasks and threads.
    """

    def __init__(self) -> None:
        # {channel id: {conversation id: [activity, ...]}}, dicts keep first-logged order
        self._transcripts: dict[str, dict[str, list[Activity]]] = {}
        self._lock = threading.Lock()

    async def log_activity(self, activity: Activity) -> None:
        if not activity:
            raise ValueError("Activity cannot be None")
        if not activity.conversation or not activity.conversation.id:
            raise ValueError("the activity needs conversation.id to be stored in a transcript")
        channel_id, conversation_id = str(activity.channel_id or ""), activity.conversation.id
        copy = stamped_copy(activity)
        with self._lock:
            conversations = self._transcripts.setdefault(channel_id, {})
            conversations.setdefault(conversation_id, []).append(copy)

    async def get_transcript_activities(
        self,
        channel_id: str,
        conversation_id: str,
        continuation_token: str | None = None,
        start_date: datetime | None = None,
        *,
        page_size: int | None = None,
    ) -> PagedResult[Activity]:
        require_ids(channel_id=channel_id, conversation_id=conversation_id)
        check_page_size(page_size)
        start = parse_offset(continuation_token, "get_transcript_activities")
        bound = keep_from(start_date)
        with self._lock:
            logged = list(self._transcripts.get(channel_id, {}).get(conversation_id, ()))
        ordered = sorted(logged, key=timestamp_of)  # stable: ties keep the logged order
        if bound is not None:
            ordered = [activity for activity in ordered if timestamp_of(activity) >= bound]
        page = page_of(ordered, start, page_size)
        page.items = [activity.model_copy(deep=True) for activity in page.items]
        return page

    async def list_transcripts(
        self,
        channel_id: str,
        continuation_token: str | None = None,
        *,
        page_size: int | None = None,
    ) -> PagedResult[TranscriptInfo]:
        require_ids(channel_id=channel_id)
        check_page_size(page_size)
        start = parse_offset(continuation_token, "list_transcripts")
        with self._lock:
            conversations = {
                conversation_id: min(timestamp_of(activity) for activity in activities)
                for conversation_id, activities in self._transcripts.get(channel_id, {}).items()
                if activities
            }
        infos = [
            TranscriptInfo(channel_id=channel_id, conversation_id=conversation_id, created_on=on)
            for conversation_id, on in conversations.items()
        ]
        return page_of(infos, start, page_size)

    async def delete_transcript(self, channel_id: str, conversation_id: str) -> None:
        require_ids(channel_id=channel_id, conversation_id=conversation_id)
        with self._lock:
            conversations = self._transcripts.get(channel_id)
            if conversations is not None:
                conversations.pop(conversation_id, None)
                if not conversations:
                    del self._transcripts[channel_id]
