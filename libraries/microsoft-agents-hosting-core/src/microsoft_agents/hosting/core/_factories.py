"""Shortcuts for building message activities and card attachments."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AnimationCard,
    Attachment,
    AttachmentLayoutTypes,
    AudioCard,
    Card,
    CardAction,
    ContentTypes,
    HeroCard,
    InputHints,
    OAuthCard,
    ReceiptCard,
    SigninCard,
    SuggestedActions,
    ThumbnailCard,
    VideoCard,
)

__all__ = ["CardFactory", "MessageFactory"]

_ACCEPTING_INPUT = InputHints.accepting_input.value


def _message(
    text: str | None,
    speak: str | None,
    input_hint: str | None,
    **fields: Any,
) -> Activity:
    """A message with only the given (non-empty) fields set."""
    data: dict[str, Any] = {"type": ActivityTypes.message}
    if text:
        data["text"] = text
    if speak:
        data["speak"] = speak
    if input_hint:
        data["input_hint"] = input_hint
    data.update({name: value for name, value in fields.items() if value is not None})
    return Activity(**data)


def _attachments_message(
    layout: str | None,
    attachments: Iterable[Attachment],
    text: str | None,
    speak: str | None,
    input_hint: str | None,
) -> Activity:
    return _message(
        text,
        speak,
        input_hint or _ACCEPTING_INPUT,
        attachment_layout=layout,
        attachments=builtins.list(attachments),
    )


class MessageFactory:
    """Static helpers returning ready-to-send ``message`` activities."""

    @staticmethod
    def text(
        text: str,
        speak: str | None = None,
        input_hint: str | None = _ACCEPTING_INPUT,
    ) -> Activity:
        """A plain text message."""
        message = _message(None, speak, input_hint)
        message.text = text
        return message

    @staticmethod
    def suggested_actions(
        actions: Iterable[CardAction],
        text: str | None = None,
        speak: str | None = None,
        input_hint: str | None = _ACCEPTING_INPUT,
    ) -> Activity:
        """A message offering quick-reply buttons."""
        suggested = SuggestedActions(actions=builtins.list(actions))
        return _message(text, speak, input_hint, suggested_actions=suggested)

    @staticmethod
    def attachment(
        attachment: Attachment,
        text: str | None = None,
        speak: str | None = None,
        input_hint: str | None = None,
    ) -> Activity:
        """A message carrying one attachment (a card, a file, ...)."""
        return _attachments_message(None, [attachment], text, speak, input_hint)

    @staticmethod
    def list(
        attachments: Iterable[Attachment],
        text: str | None = None,
        speak: str | None = None,
        input_hint: str | None = None,
    ) -> Activity:
        """A message showing its attachments as a vertical list."""
        return _attachments_message(
            AttachmentLayoutTypes.list, attachments, text, speak, input_hint
        )

    @staticmethod
    def carousel(
        attachments: Iterable[Attachment],
        text: str | None = None,
        speak: str | None = None,
        input_hint: str | None = None,
    ) -> Activity:
        """A message showing its attachments side by side in a carousel."""
        return _attachments_message(
            AttachmentLayoutTypes.carousel, attachments, text, speak, input_hint
        )

    @staticmethod
    def content_url(
        url: str,
        content_type: str,
        name: str | None = None,
        text: str | None = None,
        speak: str | None = None,
        input_hint: str | None = None,
    ) -> Activity:
        """A message with one attachment pointing at ``url`` (an image, a file, ...)."""
        data: dict[str, Any] = {"content_type": content_type, "content_url": url}
        if name:
            data["name"] = name
        return _attachments_message(None, [Attachment(**data)], text, speak, input_hint)


_CardT = TypeVar("_CardT", bound=Card)
_CardT_contra = TypeVar("_CardT_contra", bound=Card, contravariant=True)


class _CardMethod(Protocol[_CardT_contra]):
    """The type of ``CardFactory``'s per-card static methods."""

    def __call__(self, card: _CardT_contra) -> Attachment: ...


def _card_method(name: str, card_type: type[_CardT]) -> _CardMethod[_CardT]:
    """``CardFactory.<name>``: the attachment of a ``card_type`` (``card.to_attachment()``);
    ``TypeError`` for anything else."""

    def to_attachment(card: _CardT) -> Attachment:
        if not isinstance(card, card_type):
            raise TypeError(
                f"CardFactory.{name}() needs a {card_type.__name__}, got {type(card).__name__}"
            )
        return card.to_attachment()

    to_attachment.__name__ = name
    to_attachment.__qualname__ = f"CardFactory.{name}"
    to_attachment.__doc__ = f"The attachment of a ``{card_type.__name__}``."
    to_attachment.__annotations__ = {"card": card_type, "return": Attachment}
    return staticmethod(to_attachment)


class CardFactory:
    """Static helpers turning cards into attachments."""

    content_types = ContentTypes
    """The attachment content types of the cards (``CardFactory.content_types.hero_card``)."""

    @staticmethod
    def adaptive_card(card: dict[str, Any]) -> Attachment:
        """An Adaptive Card given as its JSON (a ``dict``)."""
        if not isinstance(card, dict):
            raise TypeError(
                f"CardFactory.adaptive_card() needs the card JSON as a dict, "
                f"got {type(card).__name__}"
            )
        return Attachment(content_type=ContentTypes.adaptive_card, content=card)

    animation_card = _card_method("animation_card", AnimationCard)
    audio_card = _card_method("audio_card", AudioCard)
    hero_card = _card_method("hero_card", HeroCard)
    oauth_card = _card_method("oauth_card", OAuthCard)
    receipt_card = _card_method("receipt_card", ReceiptCard)
    signin_card = _card_method("signin_card", SigninCard)
    thumbnail_card = _card_method("thumbnail_card", ThumbnailCard)
    video_card = _card_method("video_card", VideoCard)
