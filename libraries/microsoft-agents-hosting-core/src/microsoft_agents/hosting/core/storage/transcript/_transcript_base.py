"""The transcript contracts (``TranscriptLogger``, ``TranscriptStore``), their result types and
the helpers the stores share (ids, timestamps, date filtering, paging)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Generic, TypeVar

from microsoft_agents.activity import Activity

__all__ = ["PagedResult", "TranscriptInfo", "TranscriptLogger", "TranscriptStore"]

T = TypeVar("T")

EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
"""The timestamp an activity without one sorts and filters as."""


@dataclass
class PagedResult(Generic[T]):
    """One page of results; ``continuation_token`` fetches the next page (``None``: last page)."""

    items: list[T] = field(default_factory=list)
    continuation_token: str | None = None


@dataclass
class TranscriptInfo:
    """A stored transcript: the conversation it records and when it started."""

    channel_id: str = ""
    conversation_id: str = ""
    created_on: datetime = EARLIEST


class TranscriptLogger(ABC):
    """Receives every activity of a conversation the transcript middleware records."""

    @abstractmethod
    async def log_activity(self, activity: Activity) -> None:
        """Record ``activity``."""


class TranscriptStore(TranscriptLogger):
    """A transcript logger that can also read, list and delete the transcripts it keeps."""

    @abstractmethod
    async def get_transcript_activities(
        self,
        channel_id: str,
        conversation_id: str,
        continuation_token: str | None = None,
        start_date: datetime | None = None,
    ) -> PagedResult[Activity]:
        """The conversation's activities (oldest first) from ``start_date`` on, one page."""

    @abstractmethod
    async def list_transcripts(
        self, channel_id: str, continuation_token: str | None = None
    ) -> PagedResult[TranscriptInfo]:
        """The transcripts kept for ``channel_id``, one page."""

    @abstractmethod
    async def delete_transcript(self, channel_id: str, conversation_id: str) -> None:
        """Forget the conversation's transcript (no error when there is none)."""


# -- helpers shared by the stores -----------------------------------------------------------------


def activity_ids(activity: Activity | None) -> tuple[str, str]:
    """``(channel id, conversation id)`` of an activity to store; ``ValueError`` if missing."""
    if not activity:
        raise ValueError("Activity is required: pass the activity to record")
    channel_id = str(activity.channel_id or "")
    conversation = activity.conversation
    conversation_id = conversation.id if conversation is not None else None
    if not channel_id or not conversation_id:
        raise ValueError(
            "the activity needs channel_id and conversation.id to be stored in a transcript"
        )
    return channel_id, conversation_id


def require_ids(**ids: str) -> None:
    """Raise ``ValueError`` naming each of ``ids`` that is empty."""
    for name, value in ids.items():
        if not value or not isinstance(value, str):
            raise ValueError(f"{name} is required: pass a non-empty string")


def stamped_copy(activity: Activity) -> Activity:
    """A deep copy of ``activity`` with a timestamp (now, UTC, when it has none)."""
    copy = activity.model_copy(deep=True)
    if copy.timestamp is None:
        copy.timestamp = datetime.now(timezone.utc)
    return copy


def as_utc(moment: datetime) -> datetime:
    """``moment`` as an aware datetime; a naive one is taken to be UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def timestamp_of(activity: Activity) -> datetime:
    """The activity's timestamp, aware; :data:`EARLIEST` when it has none."""
    return as_utc(activity.timestamp) if activity.timestamp is not None else EARLIEST


def keep_from(start_date: datetime | None) -> datetime | None:
    """The lower bound a ``start_date`` argument sets (``None``: keep everything)."""
    if start_date is None:
        return None
    if not isinstance(start_date, datetime):
        raise TypeError(f"start_date must be a datetime, not {type(start_date).__name__}")
    bound = as_utc(start_date)
    return None if bound == EARLIEST else bound


def check_page_size(page_size: int | None) -> None:
    """``page_size`` must be ``None`` (everything) or a positive number."""
    if page_size is not None and (
        isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1
    ):
        raise ValueError(f"page_size must be a positive int or None, not {page_size!r}")


def parse_offset(continuation_token: str | None, what: str) -> int:
    """The position a numeric continuation token stands for (``0`` without a token)."""
    if not continuation_token:
        return 0
    if isinstance(continuation_token, str) and continuation_token.isdigit():
        return int(continuation_token)
    raise ValueError(
        f"invalid continuation_token {continuation_token!r} for {what}: pass the token a "
        "previous page returned, or None to start from the beginning"
    )


def page_of(items: Sequence[T], start: int, page_size: int | None) -> PagedResult[T]:
    """``items[start:]`` cut to ``page_size``, with the token of the rest (index based)."""
    end = len(items) if page_size is None else min(len(items), start + page_size)
    token = str(end) if end < len(items) else None
    return PagedResult(items=list(items[start:end]), continuation_token=token)
