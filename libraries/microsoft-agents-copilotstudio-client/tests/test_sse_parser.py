"""The incremental server-sent-event parser, fed byte by byte, chunk by chunk, or at once."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microsoft_agents.copilotstudio.client import (
    CopilotClientProtocolError,
    ServerSentEvent,
    SseParser,
)
from microsoft_agents.copilotstudio.client.testing import sse_event


def parse(*chunks: bytes) -> list[ServerSentEvent]:
    parser = SseParser()
    events = [e for chunk in chunks for e in parser.feed(chunk)]
    parser.close()
    return events


def bytewise(stream: bytes) -> list[ServerSentEvent]:
    return parse(*(stream[i : i + 1] for i in range(len(stream))))


def test_event_and_data_fields_and_blank_line_dispatch() -> None:
    stream = b'event: activity\ndata: {"type": "message"}\n\nevent: end\ndata: end\n\n'
    expected = [
        ServerSentEvent("activity", '{"type": "message"}'),
        ServerSentEvent("end", "end"),
    ]
    assert parse(stream) == expected
    assert bytewise(stream) == expected


def test_multi_line_data_is_joined_with_newlines() -> None:
    stream = b"data: first\ndata:second\ndata:  third\ndata\n\n"
    assert parse(stream) == [ServerSentEvent("message", "first\nsecond\n third\n")]


@pytest.mark.parametrize("eol", [b"\n", b"\r\n", b"\r"])
def test_every_line_end(eol: bytes) -> None:
    stream = eol.join([b"event: activity", b"id: 7", b"data: a", b"data: b", b"", b""])
    expected = [ServerSentEvent("activity", "a\nb", id="7")]
    assert parse(stream) == expected
    assert bytewise(stream) == expected


def test_crlf_split_across_chunks_counts_once() -> None:
    # a CR ends the line at once; the LF opening the next chunk must not become a blank line
    assert parse(b"data: a\r", b"\ndata: b\r", b"\n\r\n") == [ServerSentEvent("message", "a\nb")]
    assert parse(b"data: a\r", b"\r") == [ServerSentEvent("message", "a")]


def test_comments_and_keep_alives_are_ignored() -> None:
    stream = b": keep-alive\n\n:\n\ndata: x\n: inside an event\n\n\n\n"
    assert parse(stream) == [ServerSentEvent("message", "x")]


def test_id_and_retry_fields() -> None:
    parser = SseParser()
    events = parser.feed(b"id: 1\nretry: 1500\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")
    assert events == [
        ServerSentEvent("message", "a", id="1", retry=1500),
        ServerSentEvent("message", "b"),
        ServerSentEvent("message", "c", id=""),
    ]
    assert parser.last_event_id == ""
    assert parser.retry == 1500
    parser.feed(b"id: 2\nretry: soon\nid: bad\x00id\ndata: d\n\n")
    assert parser.last_event_id == "2"  # NUL ids are ignored
    assert parser.retry == 1500  # non-digit retry is ignored


def test_unknown_fields_events_without_data_and_bom() -> None:
    stream = b"\xef\xbb\xbfevent: activity\n\nfoo: bar\nevent: x\ndata: y\n\n"
    assert parse(stream) == [ServerSentEvent("x", "y")]
    assert bytewise(stream) == [ServerSentEvent("x", "y")]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert parse(b"data: \xff\xfeok\n\n") == [ServerSentEvent("message", "\ufffd\ufffdok")]


def test_close_reports_an_unterminated_event() -> None:
    parser = SseParser()
    assert parser.feed(b'event: activity\ndata: {"type": "mess') == []
    pending = parser.close()
    assert pending is not None
    assert (pending.event, pending.data_lines) == ("activity", 1)
    assert pending.size > 0
    # a stream that ends cleanly after a blank line leaves nothing pending
    parser = SseParser()
    parser.feed(b"event: activity\ndata: {}\n\n: bye\n")
    assert parser.close() is None


def test_an_oversized_event_is_refused() -> None:
    parser = SseParser(max_event_bytes=64)
    parser.feed(b"data: " + b"x" * 40 + b"\n")
    with pytest.raises(CopilotClientProtocolError, match="larger than 64 bytes"):
        parser.feed(b"data: " + b"y" * 40)
    # long comments do not count towards the limit once their line has ended
    parser = SseParser(max_event_bytes=64)
    for _ in range(10):
        parser.feed(b": " + b"z" * 40 + b"\n")
    assert parser.feed(b"data: ok\n\n") == [ServerSentEvent("message", "ok")]


event_text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x00"),
    max_size=30,
)
events_strategy = st.lists(
    st.tuples(
        st.sampled_from(["activity", "end", None]),
        st.lists(event_text, min_size=1, max_size=4),
        st.one_of(st.none(), st.text(alphabet="abc123", max_size=5)),
    ),
    max_size=6,
)


@given(
    events=events_strategy,
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=12),
)
def test_chunking_never_changes_the_events(
    events: list[tuple[str | None, list[str], str | None]], newline: str, cuts: list[int]
) -> None:
    stream = "".join(
        ": keep-alive" + newline + sse_event("\n".join(data), event=kind, id=ident, newline=newline)
        for kind, data, ident in events
    ).encode("utf-8")
    expected = [
        ServerSentEvent(kind or "message", "\n".join(data), id=ident)
        for kind, data, ident in events
    ]
    points = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    chunks = [stream[a:b] for a, b in itertools.pairwise(points)]
    assert parse(*chunks) == expected
