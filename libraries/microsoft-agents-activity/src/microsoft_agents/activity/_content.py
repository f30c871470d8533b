"""Message content: attachments, actions, suggested actions, reactions and card parts."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from ._model import AgentsModel, NonEmptyString

__all__ = [
    "Attachment",
    "AttachmentData",
    "AttachmentInfo",
    "AttachmentView",
    "CardAction",
    "CardImage",
    "Fact",
    "MediaEventValue",
    "MediaUrl",
    "MessageReaction",
    "ReceiptItem",
    "SemanticAction",
    "SuggestedActions",
    "TextHighlight",
    "ThumbnailUrl",
]


class Attachment(AgentsModel):
    """A file, card or other media attached to an activity."""

    content_type: NonEmptyString
    content_url: NonEmptyString | None = None
    content: Any = None
    name: NonEmptyString | None = None
    thumbnail_url: NonEmptyString | None = None


def _bytes_from_wire(value: Any) -> Any:
    # JSON carries bytes as standard base64 text; Python callers pass raw bytes.
    if isinstance(value, str):
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as error:
            raise ValueError("expected base64 text") from error
    return value


def _bytes_to_wire(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


WireBytes = Annotated[
    bytes,
    BeforeValidator(_bytes_from_wire),
    PlainSerializer(_bytes_to_wire, return_type=str, when_used="json"),
]
"""Bytes in Python, standard base64 text in JSON."""


class AttachmentData(AgentsModel):
    """An attachment to upload. The two byte fields travel as base64 text in JSON."""

    type: NonEmptyString | None = None
    name: NonEmptyString | None = None
    original_base64: WireBytes | None = None
    thumbnail_base64: WireBytes | None = None


class AttachmentView(AgentsModel):
    view_id: NonEmptyString | None = None
    size: int | None = None


class AttachmentInfo(AgentsModel):
    name: NonEmptyString | None = None
    type: NonEmptyString | None = None
    views: list[AttachmentView] | None = None


class CardAction(AgentsModel):
    """A clickable action on a card or in suggested actions."""

    type: NonEmptyString
    title: str
    image: NonEmptyString | None = None
    text: str | None = None
    display_text: str | None = None
    value: Any = None
    channel_data: Any = None
    image_alt_text: NonEmptyString | None = None


class CardImage(AgentsModel):
    url: NonEmptyString | None = None
    alt: NonEmptyString | None = None
    tap: CardAction | None = None


class SuggestedActions(AgentsModel):
    """Quick-reply buttons shown with a message."""

    to: list[NonEmptyString] = []
    actions: list[CardAction] = []

    def add_action(self, action: CardAction) -> SuggestedActions:
        self.actions = [*self.actions, action]
        return self

    def add_actions(self, *actions: CardAction) -> SuggestedActions:
        self.actions = [*self.actions, *actions]
        return self

    def add_recipients(self, *recipients: str) -> SuggestedActions:
        self.to = [*self.to, *recipients]
        return self


class MessageReaction(AgentsModel):
    type: NonEmptyString


class TextHighlight(AgentsModel):
    text: NonEmptyString | None = None
    occurrence: int | None = None


class SemanticAction(AgentsModel):
    id: NonEmptyString
    entities: dict[str, Any] | None = None
    state: NonEmptyString | None = None


class Fact(AgentsModel):
    key: NonEmptyString | None = None
    value: str | None = None


class MediaUrl(AgentsModel):
    url: NonEmptyString | None = None
    profile: NonEmptyString | None = None


class ThumbnailUrl(AgentsModel):
    url: NonEmptyString | None = None
    alt: NonEmptyString | None = None


class ReceiptItem(AgentsModel):
    title: str | None = None
    subtitle: str | None = None
    text: str | None = None
    image: CardImage | None = None
    price: NonEmptyString | None = None
    quantity: NonEmptyString | None = None
    tap: CardAction | None = None


class MediaEventValue(AgentsModel):
    card_value: Any = None
