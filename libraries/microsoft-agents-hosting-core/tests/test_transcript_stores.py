"""``TranscriptMemoryStore`` and ``FileTranscriptStore``: the store API both share, and what is
particular to files (layout, safe names, paging by bytes, concurrent writers)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from microsoft_agents.activity import Activity, ConversationAccount
from microsoft_agents.hosting.core.storage import (
    FileTranscriptStore,
    PagedResult,
    TranscriptInfo,
    TranscriptStore,
)
from microsoft_agents.hosting.core.storage.transcript import TranscriptMemoryStore, _file_store

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


def activity(
    text: str,
    minutes: float | None = 0,
    conversation: str = "conv-1",
    channel: str = "test",
    **fields: Any,
) -> Activity:
    return Activity(
        type="message",
        text=text,
        channel_id=channel,
        conversation=ConversationAccount(id=conversation),
        timestamp=None if minutes is None else T0 + timedelta(minutes=minutes),
        **fields,
    )


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> TranscriptStore:
    if request.param == "memory":
        return TranscriptMemoryStore()
    return FileTranscriptStore(tmp_path / "transcripts")


async def texts(store: TranscriptStore, conversation: str = "conv-1", **kwargs: Any) -> list[str]:
    page = await store.get_transcript_activities("test", conversation, **kwargs)
    return [a.text or "" for a in page.items]


# -- the shared store API --------------------------------------------------------------------------


async def test_logged_activities_are_read_back_oldest_first(store: TranscriptStore) -> None:
    for n in range(3):
        await store.log_activity(activity(f"m{n}", minutes=n))
    await store.log_activity(activity("elsewhere", conversation="conv-2"))
    await store.log_activity(activity("other channel", channel="other"))

    page = await store.get_transcript_activities("test", "conv-1")

    assert isinstance(page, PagedResult) and page.continuation_token is None
    assert [a.text for a in page.items] == ["m0", "m1", "m2"]
    assert page.items[0].timestamp == T0 and page.items[0].conversation.id == "conv-1"


async def test_start_date_leaves_out_earlier_activities(store: TranscriptStore) -> None:
    for n in range(4):
        await store.log_activity(activity(f"m{n}", minutes=n))

    assert await texts(store, start_date=T0 + timedelta(minutes=2)) == ["m2", "m3"]
    assert await texts(store, start_date=T0 + timedelta(minutes=1, seconds=1)) == ["m2", "m3"]
    naive = (T0 + timedelta(minutes=3)).replace(tzinfo=None)  # taken to be UTC
    assert await texts(store, start_date=naive) == ["m3"]
    in_paris = (T0 + timedelta(minutes=1)).astimezone(timezone(timedelta(hours=2)))
    assert await texts(store, start_date=in_paris) == ["m1", "m2", "m3"]
    assert await texts(store, start_date=datetime.min.replace(tzinfo=timezone.utc)) == [
        "m0",
        "m1",
        "m2",
        "m3",
    ]
    with pytest.raises(TypeError, match="start_date"):
        await texts(store, start_date="2024-03-01")


async def test_an_activity_without_timestamp_is_stamped_with_the_time_it_was_logged(
    store: TranscriptStore,
) -> None:
    unstamped = activity("now", minutes=None)
    before = datetime.now(timezone.utc)

    await store.log_activity(unstamped)

    [read] = (await store.get_transcript_activities("test", "conv-1")).items
    assert read.timestamp is not None and read.timestamp >= before
    assert unstamped.timestamp is None  # the caller's object is left alone


async def test_the_store_keeps_a_copy_of_what_was_logged(store: TranscriptStore) -> None:
    mine = activity("original")
    await store.log_activity(mine)
    mine.text = "changed"
    mine.conversation.id = "moved"

    [read] = (await store.get_transcript_activities("test", "conv-1")).items
    read.text = "changed on the way out"

    assert await texts(store) == ["original"]


async def test_delete_removes_one_conversation_and_tolerates_a_missing_one(
    store: TranscriptStore,
) -> None:
    await store.log_activity(activity("keep", conversation="conv-keep"))
    await store.log_activity(activity("drop", conversation="conv-drop"))

    await store.delete_transcript("test", "conv-drop")
    await store.delete_transcript("test", "conv-drop")
    await store.delete_transcript("never", "logged")

    assert await texts(store, "conv-drop") == []
    assert await texts(store, "conv-keep") == ["keep"]
    listed = (await store.list_transcripts("test")).items
    assert [info.conversation_id for info in listed] == ["conv-keep"]


async def test_list_transcripts_names_each_conversation_with_its_first_timestamp(
    store: TranscriptStore,
) -> None:
    await store.log_activity(activity("a1", minutes=5, conversation="conv-a"))
    await store.log_activity(activity("a2", minutes=9, conversation="conv-a"))
    await store.log_activity(activity("b1", minutes=7, conversation="conv-b"))
    await store.log_activity(activity("x", conversation="conv-x", channel="other"))

    page = await store.list_transcripts("test")

    assert page.continuation_token is None
    found = {info.conversation_id: info for info in page.items}
    assert set(found) == {"conv-a", "conv-b"}
    assert found["conv-a"] == TranscriptInfo("test", "conv-a", T0 + timedelta(minutes=5))
    assert found["conv-b"].created_on == T0 + timedelta(minutes=7)
    assert (await store.list_transcripts("nothing-here")).items == []


async def test_list_transcripts_pages_with_a_continuation_token(store: TranscriptStore) -> None:
    for n in range(5):
        await store.log_activity(activity("hi", minutes=n, conversation=f"conv-{n}"))

    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = await store.list_transcripts("test", token, page_size=2)  # type: ignore[call-arg]
        assert len(page.items) <= 2
        seen.extend(info.conversation_id for info in page.items)
        pages += 1
        token = page.continuation_token
        if token is None:
            break

    assert pages == 3 and sorted(seen) == [f"conv-{n}" for n in range(5)]
    with pytest.raises(ValueError, match="continuation_token"):
        await store.list_transcripts("test", "not a token")
    with pytest.raises(ValueError, match="page_size"):
        await store.list_transcripts("test", page_size=0)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.get_transcript_activities("", "conv-1"),
        lambda s: s.get_transcript_activities("test", ""),
        lambda s: s.list_transcripts(""),
        lambda s: s.delete_transcript("test", ""),
        lambda s: s.log_activity(None),
        lambda s: s.log_activity(Activity(type="message", channel_id="test")),
        lambda s: s.log_activity(
            Activity(type="message", channel_id="test", conversation=ConversationAccount())
        ),
    ],
)
async def test_missing_ids_are_refused_with_a_value_error(
    store: TranscriptStore, call: Callable[[TranscriptStore], Any]
) -> None:
    with pytest.raises(ValueError):
        await call(store)


# -- memory store ----------------------------------------------------------------------------------


async def test_the_memory_store_pages_activities_when_asked() -> None:
    store = TranscriptMemoryStore()
    for n in range(5):
        await store.log_activity(activity(f"m{n}", minutes=n))

    first = await store.get_transcript_activities("test", "conv-1", page_size=3)
    rest = await store.get_transcript_activities(
        "test", "conv-1", first.continuation_token, page_size=3
    )

    assert [a.text for a in first.items] == ["m0", "m1", "m2"] and first.continuation_token
    assert [a.text for a in rest.items] == ["m3", "m4"] and rest.continuation_token is None


async def test_activities_logged_with_the_same_timestamp_keep_their_order() -> None:
    store = TranscriptMemoryStore()
    for text in ["first", "second", "third"]:
        await store.log_activity(activity(text, minutes=1))
    await store.log_activity(activity("earlier", minutes=0))

    assert await texts(store) == ["earlier", "first", "second", "third"]


# -- file store: layout and names ------------------------------------------------------------------


async def test_each_conversation_is_one_json_lines_file_under_its_channel(tmp_path: Path) -> None:
    store = FileTranscriptStore(str(tmp_path))
    await store.log_activity(activity("one", channel="msteams", conversation="19:abc@thread"))
    await store.log_activity(activity("two", channel="msteams", conversation="19:abc@thread"))

    path = tmp_path / "msteams" / "19-abc-thread.transcript"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["one", "two"]
    first = json.loads(lines[0])
    assert first["channel_id"] == "msteams" and first["conversation"] == {"id": "19:abc@thread"}
    assert "id" not in first  # fields without a value are left out

    [info] = (await store.list_transcripts("msteams")).items
    assert info.conversation_id == "19:abc@thread"  # the real id, read from the transcript
    assert await texts_of(store, "msteams", info.conversation_id) == ["one", "two"]


async def texts_of(store: FileTranscriptStore, channel: str, conversation: str) -> list[str]:
    page = await store.get_transcript_activities(channel, conversation)
    return [a.text or "" for a in page.items]


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


NASTY_IDS = [
    "../../outside",
    "..",
    ".",
    "...",
    "/etc/passwd",
    "..\\..\\windows",
    "a/../../b",
    "~/home",
    "name\x00with-nul",
    " spaced out ",
    "x" * 600,
    "ünïcødé/😀",
]


@pytest.mark.parametrize("nasty", NASTY_IDS)
async def test_no_channel_or_conversation_id_can_leave_the_root(tmp_path: Path, nasty: str) -> None:
    root = tmp_path / "root"
    store = FileTranscriptStore(root)

    await store.log_activity(activity("as channel", channel=nasty, conversation="conv"))
    await store.log_activity(activity("as conversation", channel="test", conversation=nasty))

    assert all(root in path.parents for path in files_under(tmp_path))
    files = files_under(root)
    assert len(files) == 2
    for file in files:
        assert file.resolve().parent.parent == root.resolve()
        assert file.name.endswith(".transcript") and len(file.name) < 255
    assert await texts_of(store, nasty, "conv") == ["as channel"]
    assert await texts_of(store, "test", nasty) == ["as conversation"]
    await store.delete_transcript("test", nasty)
    assert await texts_of(store, "test", nasty) == []


def test_safe_names_match_the_documented_rules() -> None:
    safe = _file_store.safe_file_name
    assert safe("msteams") == "msteams"
    assert safe("19:a b@thread.v2") == "19-a-b-thread.v2"
    assert safe("a/:b") == "a--b"  # a separator, then the run of other characters
    assert (safe(""), safe("   ")) == ("unknown", "unknown")
    assert (safe("."), safe("..")) == ("-", "--")
    long_a, long_b = safe("a" * 300), safe("a" * 299 + "b")
    assert len(long_a) <= 200 and long_a != long_b


# -- file store: paging, bad lines, concurrency ----------------------------------------------------


async def test_activities_are_paged_by_bytes_in_whole_lines(tmp_path: Path) -> None:
    store = FileTranscriptStore(tmp_path)
    for n in range(10):
        await store.log_activity(activity(f"message number {n}", minutes=n))

    pages: list[PagedResult[Activity]] = []
    token: str | None = None
    while True:
        page = await store.get_transcript_activities("test", "conv-1", token, page_bytes=300)
        pages.append(page)
        token = page.continuation_token
        if token is None:
            break

    assert len(pages) > 2 and all(page.items for page in pages)
    read = [a.text for page in pages for a in page.items]
    assert read == [f"message number {n}" for n in range(10)]
    size = (tmp_path / "test" / "conv-1.transcript").stat().st_size
    assert (await store.get_transcript_activities("test", "conv-1", str(size))).items == []
    with pytest.raises(ValueError, match="continuation_token"):
        await store.get_transcript_activities("test", "conv-1", "-5")
    with pytest.raises(ValueError, match="page_bytes"):
        await store.get_transcript_activities("test", "conv-1", page_bytes=0)


async def test_paging_with_a_start_date_keeps_the_token_going(tmp_path: Path) -> None:
    store = FileTranscriptStore(tmp_path)
    for n in range(6):
        await store.log_activity(activity(f"m{n}", minutes=n))

    read: list[str] = []
    token: str | None = None
    while True:
        page = await store.get_transcript_activities(
            "test", "conv-1", token, start_date=T0 + timedelta(minutes=4), page_bytes=1
        )
        read.extend(a.text or "" for a in page.items)
        token = page.continuation_token
        if token is None:
            break

    assert read == ["m4", "m5"]


async def test_lines_that_are_not_activities_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = FileTranscriptStore(tmp_path)
    await store.log_activity(activity("good"))
    path = tmp_path / "test" / "conv-1.transcript"
    wire = {"type": "message", "channelId": "test", "conversation": {"id": "conv-1"}}
    path.write_text(
        path.read_text(encoding="utf-8")
        + "{not json\n\n"
        + json.dumps({**wire, "text": "camelCase line"})
        + "\n"
        + '{"type": "message", "text": "no newline at the end"}',
        encoding="utf-8",
    )

    with caplog.at_level(logging.WARNING):
        page = await store.get_transcript_activities("test", "conv-1")

    assert [a.text for a in page.items] == ["good", "camelCase line", "no newline at the end"]
    assert "not an activity" in caplog.text and page.continuation_token is None


async def test_concurrent_writers_never_interleave_lines(tmp_path: Path) -> None:
    stores = [FileTranscriptStore(tmp_path), FileTranscriptStore(tmp_path)]
    big = "x" * 70_000  # larger than one buffered write

    async def write(n: int) -> None:
        await stores[n % 2].log_activity(activity(f"{n}:{big}", minutes=n))

    def write_from_a_thread(n: int) -> None:
        asyncio.run(FileTranscriptStore(tmp_path).log_activity(activity(f"{n}:{big}", minutes=n)))

    threads = [threading.Thread(target=write_from_a_thread, args=(n,)) for n in range(40, 50)]
    for thread in threads:
        thread.start()
    await asyncio.gather(*(write(n) for n in range(40)))
    for thread in threads:
        thread.join()

    lines = (tmp_path / "test" / "conv-1.transcript").read_bytes().split(b"\n")
    assert lines[-1] == b""
    numbers = sorted(int(json.loads(line)["text"].split(":")[0]) for line in lines[:-1])
    assert numbers == list(range(50))


async def test_file_access_runs_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_thread = threading.get_ident()
    threads: list[int] = []
    real_write, real_open = os.write, open

    def spy_write(fd: int, data: Any) -> int:
        threads.append(threading.get_ident())
        return real_write(fd, data)

    def spy_open(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return real_open(*args, **kwargs)

    store = FileTranscriptStore(tmp_path)
    monkeypatch.setattr(os, "write", spy_write)
    monkeypatch.setattr(_file_store, "open", spy_open, raising=False)

    await store.log_activity(activity("hi"))
    assert await texts_of(store, "test", "conv-1") == ["hi"]
    await store.list_transcripts("test")

    assert len(threads) >= 3 and loop_thread not in threads


async def test_listing_is_newest_first_and_pages_stay_stable_while_transcripts_grow(
    tmp_path: Path,
) -> None:
    store = FileTranscriptStore(tmp_path)
    for n in range(4):
        await store.log_activity(activity("start", minutes=n, conversation=f"conv-{n}"))

    first = await store.list_transcripts("test", page_size=2)
    await store.log_activity(activity("later", minutes=60, conversation="conv-0"))
    rest = await store.list_transcripts("test", first.continuation_token, page_size=2)

    assert [i.conversation_id for i in first.items] == ["conv-3", "conv-2"]
    assert [i.conversation_id for i in rest.items] == ["conv-1", "conv-0"]
    assert rest.continuation_token is None


def test_the_root_folder_is_created_and_required(tmp_path: Path) -> None:
    store = FileTranscriptStore(tmp_path / "a" / "b")
    assert store.root_folder == (tmp_path / "a" / "b").resolve() and store.root_folder.is_dir()
    with pytest.raises(ValueError, match="root_folder"):
        FileTranscriptStore("")


def test_the_memory_store_is_importable_from_its_long_standing_module_path() -> None:
    from microsoft_agents.hosting.core.storage.transcript.transcript_memory_store import (
        TranscriptMemoryStore as FromModule,
    )

    assert FromModule is TranscriptMemoryStore
    assert issubclass(FromModule, TranscriptStore)
