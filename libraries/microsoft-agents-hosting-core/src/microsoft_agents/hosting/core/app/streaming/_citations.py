"""Citations of generated text: the ``Citation`` record and helpers for ``[n]`` markers.

A model answering from documents marks its sources inline as ``[doc1]`` / ``[docs2]``. The
streamed reply rewrites those markers to ``[1]`` / ``[2]`` and sends, for each marker that is
actually used in the text, a ``ClientCitation`` with the same position so clients can render
the source next to the number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from microsoft_agents.activity import ClientCitation, ClientCitationAppearance

__all__ = ["ABSTRACT_MAX_LENGTH", "Citation", "CitationUtil"]

ABSTRACT_MAX_LENGTH = 480
"""Longest abstract (in characters) a client citation carries; longer content is cut."""

_DOC_MARKER = re.compile(r"\[docs?(\d+)\]", re.IGNORECASE)
_ELLIPSIS = "..."


@dataclass
class Citation:
    """A source a model used for its answer.

    ``content`` is the text of the source (shortened into the citation's abstract), ``title``
    its display name (``"Document #<n>"`` when missing), ``url`` a link to it and ``filepath``
    where the document lives, when known.
    """

    content: str
    title: str | None = None
    url: str | None = None
    filepath: str | None = None


class CitationUtil:
    """Helpers for citation markers in generated text."""

    @staticmethod
    def snippet(text: str, max_length: int) -> str:
        """``text`` shortened to at most ``max_length`` characters plus ``"..."``.

        Text that already fits is returned unchanged. Longer text is cut at the last space
        inside the limit, so no word is split, unless the limit holds no space at all.
        """
        if len(text) <= max_length:
            return text
        head = text[:max_length]
        space = head.rfind(" ")
        if space > 0:
            head = head[:space]
        return head + _ELLIPSIS

    @staticmethod
    def format_citations_response(text: str) -> str:
        """``text`` with every ``[docN]`` / ``[docsN]`` marker rewritten to ``[N]``."""
        return _DOC_MARKER.sub(r"[\1]", text)

    @staticmethod
    def get_used_citations(
        text: str, citations: Iterable[ClientCitation]
    ) -> list[ClientCitation] | None:
        """The citations whose ``[position]`` marker appears in ``text``; ``None`` if none do."""
        used = [c for c in citations if f"[{c.position}]" in text]
        return used or None

    @staticmethod
    def to_client_citation(citation: Citation, position: int) -> ClientCitation:
        """The wire form of ``citation`` when it is the ``position``-th source (from 1)."""
        appearance: dict[str, object] = {
            "name": citation.title or f"Document #{position}",
            "abstract": CitationUtil.snippet(citation.content, ABSTRACT_MAX_LENGTH),
        }
        if citation.url is not None:
            appearance["url"] = citation.url
        return ClientCitation(
            position=position, appearance=ClientCitationAppearance.model_validate(appearance)
        )
