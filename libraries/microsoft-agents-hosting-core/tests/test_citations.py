"""Citations: the ``Citation`` record, ``CitationUtil`` and how a stream turns them into
client citations."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from microsoft_agents.activity import ClientCitation, ClientCitationAppearance
from microsoft_agents.hosting.core.app.streaming import Citation, CitationUtil, StreamingResponse
from microsoft_agents.hosting.core.app.streaming.citation import Citation as CitationByModule


def _wire(citation: ClientCitation) -> dict[str, object]:
    return citation.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _cited(position: int) -> ClientCitation:
    return ClientCitation(
        position=position, appearance=ClientCitationAppearance(name=f"d{position}", abstract="x")
    )


# -- Citation --------------------------------------------------------------------------------


def test_citation_defaults_and_equality() -> None:
    citation = Citation(content="body")
    assert (citation.title, citation.url, citation.filepath) == (None, None, None)
    assert Citation("body", "T", "https://u", "/f") == Citation(
        content="body", title="T", url="https://u", filepath="/f"
    )
    assert CitationByModule is Citation


# -- snippet ---------------------------------------------------------------------------------


def test_snippet_keeps_text_that_fits() -> None:
    assert CitationUtil.snippet("short text", 10) == "short text"
    assert CitationUtil.snippet("", 5) == ""


def test_snippet_cuts_at_the_last_space_inside_the_limit() -> None:
    assert CitationUtil.snippet("alpha beta gamma", 12) == "alpha beta..."
    assert CitationUtil.snippet("alpha beta gamma", 10) == "alpha..."


def test_snippet_cuts_hard_when_the_limit_holds_no_space() -> None:
    assert CitationUtil.snippet("abcdefghij klm", 5) == "abcde..."


@given(st.text(alphabet="ab ", max_size=60), st.integers(min_value=1, max_value=40))
def test_snippet_is_a_prefix_within_the_limit(text: str, max_length: int) -> None:
    result = CitationUtil.snippet(text, max_length)
    if len(text) <= max_length:
        assert result == text
    else:
        assert result.endswith("...")
        head = result[:-3]
        assert len(head) <= max_length
        assert text.startswith(head)


# -- markers ---------------------------------------------------------------------------------


def test_format_citations_response_rewrites_doc_markers() -> None:
    text = "See [doc1] and [docs2], also [doc12]; keep [1], [x3] and [doc]."
    assert CitationUtil.format_citations_response(text) == (
        "See [1] and [2], also [12]; keep [1], [x3] and [doc]."
    )


def test_get_used_citations_returns_only_referenced_positions() -> None:
    citations = [_cited(1), _cited(2), _cited(3)]
    used = CitationUtil.get_used_citations("first [1] then [3]", citations)
    assert used is not None
    assert [c.position for c in used] == [1, 3]


def test_get_used_citations_is_none_when_nothing_is_referenced() -> None:
    assert CitationUtil.get_used_citations("no markers", [_cited(1)]) is None
    assert CitationUtil.get_used_citations("[1]", []) is None
    # [10] is not a use of [1]
    assert CitationUtil.get_used_citations("see [10]", [_cited(1)]) is None


# -- client citations ------------------------------------------------------------------------


def test_set_citations_builds_client_citations_with_running_positions() -> None:
    stream = StreamingResponse()
    stream.set_citations([Citation(content="first source", title="One", url="https://one")])
    stream.set_citations([Citation(content="second source")])
    assert [_wire(c) for c in stream.citations] == [
        {
            "@type": "Claim",
            "position": 1,
            "appearance": {
                "@type": "DigitalDocument",
                "name": "One",
                "abstract": "first source",
                "url": "https://one",
            },
        },
        {
            "@type": "Claim",
            "position": 2,
            "appearance": {
                "@type": "DigitalDocument",
                "name": "Document #2",
                "abstract": "second source",
            },
        },
    ]


def test_client_citation_abstract_is_a_480_character_snippet() -> None:
    long_content = "word " * 200  # 1000 characters
    stream = StreamingResponse(citations=[Citation(content=long_content)])
    abstract = stream.citations[0].appearance.abstract
    assert abstract.endswith("...")
    assert len(abstract) <= 483
    assert abstract == CitationUtil.snippet(long_content, 480)


def test_queue_text_chunk_adds_new_citations_once() -> None:
    source = Citation(content="a", title="A")
    stream = StreamingResponse()
    stream.queue_text_chunk("one [doc1]", citations=[source])
    stream.queue_text_chunk(" two", citations=[source, Citation(content="b")])
    assert [c.position for c in stream.citations] == [1, 2]
    assert [c.appearance.name for c in stream.citations] == ["A", "Document #2"]
    assert stream.get_message() == "one [1] two"
