"""``FileTranscriptStore``: one newline-delimited JSON file per conversation.

Layout: ``<root>/<channel id>/<conversation id>.transcript``, one activity per line. Both
names are made safe for a file system first (see :func:`safe_file_name`), so no id can point
outside the root.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import threading
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from microsoft_agents.activity import Activity

from ._transcript_base import (
    PagedResult,
    TranscriptInfo,
    TranscriptStore,
    activity_ids,
    check_page_size,
    keep_from,
    parse_offset,
    require_ids,
    timestamp_of,
)

__all__ = ["FileTranscriptStore", "safe_file_name"]

logger = logging.getLogger(__name__)

_SUFFIX = ".transcript"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 200  # file systems allow 255 bytes; leave room for the suffix
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MICROSECOND = datetime.resolution
DEFAULT_PAGE_BYTES = 512 * 1024

# Writers (and readers) of one file take the same lock, whichever store instance they use.
_LOCKS = tuple(threading.Lock() for _ in range(64))


def _lock_for(path: Path) -> threading.Lock:
    return _LOCKS[hash(path) % len(_LOCKS)]


def safe_file_name(value: str) -> str:
    """``value`` as a file name: path separators and every character other than letters,
    digits, ``.``, ``_`` and ``-`` become ``-``; an empty name becomes ``unknown``, a name of
    dots only becomes dashes, and a name too long for a file system is shortened and made
    unique with a hash of ``value``."""
    name = value.strip().replace(os.sep, "-").replace("/", "-")
    name = _UNSAFE.sub("-", name)
    if not name:
        return "unknown"
    if not name.strip("."):
        return "-" * len(name)
    if len(name) > _MAX_NAME:
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = f"{name[: _MAX_NAME - 17]}-{digest}"
    return name


class FileTranscriptStore(TranscriptStore):
    """Keeps each transcript in ``<root_folder>/<channel>/<conversation>.transcript``.

    * ``log_activity`` appends the activity as one line of JSON (stamped with the current UTC
      time when it has no timestamp; the caller's object is not changed). A line is written
      with a single append, under a lock shared by every store of the process, so concurrent
      writers never interleave or tear lines.
    * ``get_transcript_activities`` reads about ``page_bytes`` (default 512 KiB, always whole
      lines) from the position the continuation token names, in the order the activities
      were logged; the token is that byte offset as a string, ``None`` after the last page.
      Activities before ``start_date`` are left out (a naive ``start_date`` is taken to be
      UTC), so a page may be empty while a token remains. Lines that are not an activity are
      skipped with a warning.
    * ``list_transcripts`` lists the channel's transcripts, newest first; ``created_on`` is
      the timestamp of the transcript's first activity (the file's modification time when that
      cannot be read) and ``conversation_id`` is that activity's conversation id. Everything
      comes in one page unless ``page_size`` is given.
    * ``delete_transcript`` removes the file (no error when it does not exist).

    File access runs in worker threads, never on the event loop.
    """

    def __init__(self, root_folder: str | Path) -> None:
        if not root_folder or not isinstance(root_folder, (str, Path)):
            raise ValueError("root_folder is required: pass the directory to keep transcripts in")
        self._root = Path(root_folder).expanduser().resolve()
        self._root.mkdir(parents=True, exist_ok=True)

    @property
    def root_folder(self) -> Path:
        """The directory the transcripts are kept in (absolute)."""
        return self._root

    # -- logging ----------------------------------------------------------------------------------

    async def log_activity(self, activity: Activity) -> None:
        channel_id, conversation_id = activity_ids(activity)
        path = self._file_path(channel_id, conversation_id)
        if activity.timestamp is None:  # stamped on a shallow copy: the caller's stays as it is
            activity = activity.model_copy(update={"timestamp": datetime.now(timezone.utc)})
        line = activity.model_dump_json(exclude_none=True) + "\n"
        await asyncio.to_thread(_append, path, line.encode("utf-8"))

    # -- reading ----------------------------------------------------------------------------------

    async def get_transcript_activities(
        self,
        channel_id: str,
        conversation_id: str,
        continuation_token: str | None = None,
        start_date: datetime | None = None,
        page_bytes: int = DEFAULT_PAGE_BYTES,
    ) -> PagedResult[Activity]:
        require_ids(channel_id=channel_id, conversation_id=conversation_id)
        offset = parse_offset(continuation_token, "get_transcript_activities")
        if isinstance(page_bytes, bool) or not isinstance(page_bytes, int) or page_bytes < 1:
            raise ValueError(f"page_bytes must be a positive int, not {page_bytes!r}")
        bound = keep_from(start_date)
        path = self._file_path(channel_id, conversation_id)
        raw, next_offset, end = await asyncio.to_thread(_read_lines, path, offset, page_bytes)
        items: list[Activity] = []
        for line_offset, line in raw:
            activity = _parse_line(line, path, line_offset)
            if activity is not None and (bound is None or timestamp_of(activity) >= bound):
                items.append(activity)
        token = str(next_offset) if next_offset < end else None
        return PagedResult(items=items, continuation_token=token)

    async def list_transcripts(
        self,
        channel_id: str,
        continuation_token: str | None = None,
        *,
        page_size: int | None = None,
    ) -> PagedResult[TranscriptInfo]:
        require_ids(channel_id=channel_id)
        check_page_size(page_size)
        after = _parse_list_token(continuation_token)
        directory = self._root / safe_file_name(channel_id)
        found = await asyncio.to_thread(_describe_transcripts, directory)
        found.sort(key=lambda entry: entry[0])
        if after is not None:
            found = [entry for entry in found if entry[0] > after]
        page = found if page_size is None else found[:page_size]
        token = None
        if page_size is not None and len(found) > page_size:
            negated_micros, name = page[-1][0]
            token = f"{-negated_micros}/{name}"
        items = [
            TranscriptInfo(channel_id=channel_id, conversation_id=conversation, created_on=on)
            for _, conversation, on in page
        ]
        return PagedResult(items=items, continuation_token=token)

    # -- deleting ---------------------------------------------------------------------------------

    async def delete_transcript(self, channel_id: str, conversation_id: str) -> None:
        require_ids(channel_id=channel_id, conversation_id=conversation_id)
        await asyncio.to_thread(_delete, self._file_path(channel_id, conversation_id))

    # -- paths ------------------------------------------------------------------------------------

    def _file_path(self, channel_id: str, conversation_id: str) -> Path:
        directory = self._root / safe_file_name(channel_id)
        path = directory / f"{safe_file_name(conversation_id)}{_SUFFIX}"
        if path.parent.parent != self._root:  # cannot happen with safe names; never write outside
            raise ValueError(f"transcript path {path} is outside the store's root folder")
        return path


# -- file access (runs in worker threads) ---------------------------------------------------------


def _append(path: Path, data: bytes) -> None:
    with _lock_for(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


_Lines = list[tuple[int, bytes]]
"""Lines of a transcript file with the byte offset each starts at."""


def _read_lines(path: Path, offset: int, page_bytes: int) -> tuple[_Lines, int, int]:
    """The whole lines from ``offset`` on (about ``page_bytes``), the offset after them and
    the file size."""
    with _lock_for(path):
        try:
            file = open(path, "rb")  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            return [], 0, 0
        with file:
            end = file.seek(0, os.SEEK_END)
            if offset >= end:
                return [], end, end
            file.seek(offset)
            chunk = file.read(page_bytes)
            if not chunk.endswith(b"\n"):
                chunk += file.readline()  # finish the line the page stopped in
    lines: _Lines = []
    position = offset
    for line in chunk.splitlines(keepends=True):
        if line.strip():
            lines.append((position, line))
        position += len(line)
    return lines, offset + len(chunk), end


def _parse_line(line: bytes, path: Path, offset: int) -> Activity | None:
    try:
        return Activity.model_validate_json(line)
    except (ValidationError, ValueError):
        logger.warning("skipping a line that is not an activity at byte %d of %s", offset, path)
        return None


def _describe_transcripts(directory: Path) -> list[tuple[tuple[int, str], str, datetime]]:
    """``((sort key), conversation id, created on)`` of each transcript in ``directory``."""
    try:
        entries = [e for e in os.scandir(directory) if e.name.endswith(_SUFFIX) and e.is_file()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    found: list[tuple[tuple[int, str], str, datetime]] = []
    for entry in entries:
        conversation_id = entry.name[: -len(_SUFFIX)]
        created = datetime.fromtimestamp(entry.stat().st_mtime, tz=timezone.utc)
        first = _first_activity(Path(entry.path))
        if first is not None:
            if first.timestamp is not None:
                created = timestamp_of(first)
            if first.conversation is not None and first.conversation.id:
                conversation_id = first.conversation.id
        micros = (created - _EPOCH) // _ONE_MICROSECOND
        found.append(((-micros, entry.name), conversation_id, created))
    return found


def _first_activity(path: Path) -> Activity | None:
    try:
        with _lock_for(path), open(path, "rb") as file:
            line = file.readline()
        return Activity.model_validate_json(line)
    except (OSError, ValidationError, ValueError):
        return None


def _parse_list_token(token: str | None) -> tuple[int, str] | None:
    if not token:
        return None
    micros, _, name = token.partition("/")
    try:
        return -int(micros), name
    except ValueError:
        raise ValueError(
            f"invalid continuation_token {token!r} for list_transcripts: pass the token a "
            "previous page returned, or None to start from the newest transcript"
        ) from None


def _delete(path: Path) -> None:
    with _lock_for(path):
        path.unlink(missing_ok=True)
