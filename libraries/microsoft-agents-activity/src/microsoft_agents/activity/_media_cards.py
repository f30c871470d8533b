"""Media cards (animation, audio, video), the receipt card, and plain `BasicCard`/`MediaCard`.

Attachment content and builder rules are those described in :mod:`._cards`. ``MediaCard`` and
``BasicCard`` are plain models with the same fields and builders as the media and hero cards;
they are not :class:`~._cards.Card` subclasses and have no attachment form of their own.
"""

from __future__ import annotations

from typing import Any, TypeVar

from ._cards import Card, _ButtonBuilder, _ImageCardParts, _part_keywords
from ._content import Attachment, CardAction, Fact, MediaUrl, ReceiptItem, ThumbnailUrl
from ._enums import ContentTypes
from ._model import AgentsModel, NonEmptyString

__all__ = [
    "AnimationCard",
    "AudioCard",
    "BasicCard",
    "MediaCard",
    "ReceiptCard",
    "VideoCard",
]

_MediaCardT = TypeVar("_MediaCardT", bound="_MediaCardParts")


class _MediaCardParts(_ButtonBuilder, AgentsModel):
    """Fields and builders shared by the animation, audio, video and plain media cards."""

    title: NonEmptyString | None = None
    subtitle: NonEmptyString | None = None
    text: str | None = None
    image: ThumbnailUrl | None = None
    media: list[MediaUrl] | None = None
    buttons: list[CardAction] | None = None
    shareable: bool | None = None
    autoloop: bool | None = None
    autostart: bool | None = None
    aspect: NonEmptyString | None = None
    duration: NonEmptyString | None = None
    value: Any = None

    def add_media(
        self: _MediaCardT,
        media: MediaUrl | None = None,
        *,
        url: str | None = None,
        profile: str | None = None,
    ) -> _MediaCardT:
        """Append ``media``, or a ``MediaUrl`` built from ``url`` (and ``profile``)."""
        keywords = _part_keywords(
            "add_media", media, "MediaUrl", "url", {"url": url, "profile": profile}
        )
        item = media if media is not None else MediaUrl(**keywords)
        self.media = [*(self.media or []), item]
        return self


class AnimationCard(_MediaCardParts, Card):
    """A card that plays an animated GIF or a short video."""

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.animation_card)


class AudioCard(_MediaCardParts, Card):
    """A card that plays audio."""

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.audio_card)


class VideoCard(_MediaCardParts, Card):
    """A card that plays video."""

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.video_card)


class MediaCard(_MediaCardParts):
    """The media card fields and builders as a plain model (not a Card)."""


class BasicCard(_ButtonBuilder, _ImageCardParts):
    """Title, text, images and buttons as a plain model (the hero card layout, not a Card)."""


class ReceiptCard(_ButtonBuilder, Card):
    """A receipt: line items, facts and totals."""

    title: NonEmptyString | None = None
    facts: list[Fact] | None = None
    items: list[ReceiptItem] | None = None
    tap: CardAction | None = None
    total: NonEmptyString | None = None
    tax: NonEmptyString | None = None
    vat: NonEmptyString | None = None
    buttons: list[CardAction] | None = None

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.receipt_card)

    def add_fact(
        self, fact: Fact | None = None, *, key: str | None = None, value: str | None = None
    ) -> ReceiptCard:
        """Append ``fact``, or a ``Fact`` built from ``key`` (and ``value``)."""
        keywords = _part_keywords("add_fact", fact, "Fact", "key", {"key": key, "value": value})
        self.facts = [*(self.facts or []), fact if fact is not None else Fact(**keywords)]
        return self

    def add_item(
        self,
        item: ReceiptItem | None = None,
        *,
        title: str | None = None,
        price: str | None = None,
        quantity: str | None = None,
    ) -> ReceiptCard:
        """Append ``item``, or a ``ReceiptItem`` built from ``title``, ``price``, ``quantity``."""
        keywords = _part_keywords(
            "add_item",
            item,
            "ReceiptItem",
            "title",
            {"title": title, "price": price, "quantity": quantity},
        )
        self.items = [*(self.items or []), item if item is not None else ReceiptItem(**keywords)]
        return self
