"""Rich cards that turn into attachments: the ``Card`` base and the image/sign-in/adaptive cards.

Attachment content
    ``Card.to_attachment()`` stores the card's *wire form* as the attachment content: the plain
    ``dict`` given by ``model_dump(mode="json", by_alias=True, exclude_unset=True)``, not the card
    object. The attachment therefore serialises the same way whatever dump options are used
    later, survives a JSON round trip unchanged, and can be stored or copied without keeping a
    live model around. Later edits to the card do not change attachments already built.
    ``AdaptiveCardCard`` is the exception: its ``content`` is a JSON string and the attachment
    content is that string parsed.

Builders
    ``add_*`` methods append to the matching list (creating it when unset) and return the card,
    so they chain. Each takes either a ready-made part or the keywords to build one; giving
    neither raises ``ValueError``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import field_validator

from ._content import Attachment, CardAction, CardImage
from ._enums import ActionTypes, ActivityTypes, ContentTypes
from ._model import AgentsModel, NonEmptyString
from ._tokens import TokenExchangeResource, TokenPostResource

if TYPE_CHECKING:
    from ._activity import Activity

__all__ = [
    "AdaptiveCardCard",
    "Card",
    "HeroCard",
    "OAuthCard",
    "SigninCard",
    "ThumbnailCard",
]

_ImageCardT = TypeVar("_ImageCardT", bound="_ImageCardParts")
_ButtonCardT = TypeVar("_ButtonCardT", bound="_ButtonBuilder")


def _build_button(
    builder: str,
    button: CardAction | None,
    title: str | None,
    action_type: str,
    value: Any,
) -> CardAction:
    """Return ``button`` or a new action; ``value`` defaults to the title."""
    if button is not None:
        if title is not None:
            raise ValueError(f"{builder}() takes a CardAction or title=, not both")
        return button
    if title is None:
        raise ValueError(f"{builder}() needs a CardAction or a title= to build one")
    return CardAction(type=action_type, title=title, value=title if value is None else value)


def _part_keywords(
    builder: str, part: object, kind: str, required: str, keywords: dict[str, Any]
) -> dict[str, Any]:
    """Enforce "a ready-made part or keywords to build one" for a builder method.

    Returns the keywords that are not ``None``, to build the part from (empty when ``part``
    is given); raises ``ValueError`` when both or neither are given.
    """
    given = {name: value for name, value in keywords.items() if value is not None}
    if part is not None:
        if given:
            raise ValueError(f"{builder}() takes a {kind} or keywords, not both")
        return given
    if required not in given:
        raise ValueError(f"{builder}() needs a {kind} or a {required}= to build one")
    return given


class _ButtonBuilder:
    """``add_button`` for the models with a ``buttons`` list whose action type keyword is
    ``type`` (every such card but ``ThumbnailCard``, which names it ``card_type``)."""

    if TYPE_CHECKING:
        buttons: list[CardAction] | None  # a field of the model this is mixed into

    def add_button(
        self: _ButtonCardT,
        button: CardAction | None = None,
        *,
        title: str | None = None,
        type: str = ActionTypes.im_back,
        value: Any = None,
    ) -> _ButtonCardT:
        """Append ``button``, or an action of ``type`` built from ``title``/``value``."""
        action = _build_button("add_button", button, title, type, value)
        self.buttons = [*(self.buttons or []), action]
        return self


class Card(AgentsModel, ABC):
    """A card that can be sent as the content of an attachment."""

    @abstractmethod
    def to_attachment(self) -> Attachment:
        """The card wrapped as an attachment with the card's content type."""

    def to_message(self) -> Activity:
        """A ``message`` activity whose only attachment is this card."""
        from ._activity import Activity

        return Activity(type=ActivityTypes.message, attachments=[self.to_attachment()])

    def _attachment(self, content_type: str) -> Attachment:
        content = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return Attachment(content_type=content_type, content=content)


class _ImageCardParts(AgentsModel):
    """Fields and builders shared by hero, thumbnail and basic cards."""

    title: NonEmptyString | None = None
    subtitle: NonEmptyString | None = None
    text: str | None = None
    images: list[CardImage] | None = None
    buttons: list[CardAction] | None = None
    tap: CardAction | None = None

    def add_image(
        self: _ImageCardT,
        image: CardImage | None = None,
        *,
        url: str | None = None,
        alt: str | None = None,
    ) -> _ImageCardT:
        """Append ``image``, or a ``CardImage`` built from ``url`` (and ``alt``)."""
        keywords = _part_keywords("add_image", image, "CardImage", "url", {"url": url, "alt": alt})
        self.images = [*(self.images or []), image if image is not None else CardImage(**keywords)]
        return self

    def add_buttons(self: _ImageCardT, *buttons: CardAction) -> _ImageCardT:
        """Append every given action to ``buttons``."""
        self.buttons = [*(self.buttons or []), *buttons]
        return self


class HeroCard(_ButtonBuilder, _ImageCardParts, Card):
    """A card with a large image, title, text and buttons."""

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.hero_card)


class ThumbnailCard(_ImageCardParts, Card):
    """A card with a small image next to its title, text and buttons."""

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.thumbnail_card)

    def add_button(
        self,
        button: CardAction | None = None,
        *,
        title: str | None = None,
        card_type: str = ActionTypes.im_back,
        value: Any = None,
    ) -> ThumbnailCard:
        """Append ``button``, or an action of ``card_type`` built from ``title``/``value``."""
        return self.add_buttons(_build_button("add_button", button, title, card_type, value))


class SigninCard(Card):
    """A card asking the user to sign in."""

    text: str | None = None
    buttons: list[CardAction] | None = None

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.signin_card)


class OAuthCard(Card):
    """A sign-in card for an OAuth connection, optionally offering single sign-on."""

    text: str | None = None
    connection_name: NonEmptyString | None = None
    buttons: list[CardAction] | None = None
    token_exchange_resource: TokenExchangeResource | None = None
    token_post_resource: TokenPostResource | None = None

    def to_attachment(self) -> Attachment:
        return self._attachment(ContentTypes.oauth_card)


class AdaptiveCardCard(Card):
    """An Adaptive Card given as JSON text.

    ``content`` holds the card JSON as a string; a ``dict`` or ``list`` given instead is
    written out as JSON text. The attachment content is the parsed JSON.
    """

    content: NonEmptyString | None = None

    @field_validator("content", mode="before")
    @classmethod
    def _json_text(cls, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return value

    def to_attachment(self) -> Attachment:
        """The parsed card JSON as an adaptive-card attachment.

        ``ValueError`` when there is no content or it is not valid JSON.
        """
        if self.content is None:
            raise ValueError("AdaptiveCardCard has no content to attach")
        try:
            parsed = json.loads(self.content)
        except json.JSONDecodeError as error:
            raise ValueError(f"AdaptiveCardCard content is not valid JSON: {error}") from error
        return Attachment(content_type=ContentTypes.adaptive_card, content=parsed)
