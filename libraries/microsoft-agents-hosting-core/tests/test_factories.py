"""MessageFactory and CardFactory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from microsoft_agents.activity import (
    AnimationCard,
    Attachment,
    AudioCard,
    CardAction,
    ContentTypes,
    HeroCard,
    OAuthCard,
    ReceiptCard,
    SigninCard,
    ThumbnailCard,
    VideoCard,
)
from microsoft_agents.hosting.core._factories import CardFactory, MessageFactory
from microsoft_agents.hosting.core._turn_context import TurnContext
from microsoft_agents.hosting.core.testing import TestAdapter


def wire(activity: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = activity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return dumped


CARD = Attachment(content_type="image/png", content_url="https://x/img.png")
OTHER = Attachment(content_type="image/png", content_url="https://x/other.png")


def test_text() -> None:
    assert wire(MessageFactory.text("hi")) == {
        "type": "message",
        "text": "hi",
        "inputHint": "acceptingInput",
    }
    assert wire(MessageFactory.text("hi", speak="say hi", input_hint="expectingInput")) == {
        "type": "message",
        "text": "hi",
        "speak": "say hi",
        "inputHint": "expectingInput",
    }
    assert "inputHint" not in wire(MessageFactory.text("hi", input_hint=None))
    assert MessageFactory.text("").text == ""


def test_suggested_actions() -> None:
    actions = [CardAction(type="imBack", title="Red", value="red")]
    activity = MessageFactory.suggested_actions(actions, "Pick one")
    assert wire(activity) == {
        "type": "message",
        "text": "Pick one",
        "inputHint": "acceptingInput",
        "suggestedActions": {"actions": [{"type": "imBack", "title": "Red", "value": "red"}]},
    }
    assert "text" not in wire(MessageFactory.suggested_actions(actions))


def test_attachment() -> None:
    activity = MessageFactory.attachment(CARD, text="look", speak="see")
    assert wire(activity) == {
        "type": "message",
        "text": "look",
        "speak": "see",
        "inputHint": "acceptingInput",
        "attachments": [{"contentType": "image/png", "contentUrl": "https://x/img.png"}],
    }
    assert MessageFactory.attachment(CARD, input_hint="ignoringInput").input_hint == (
        "ignoringInput"
    )


@pytest.mark.parametrize(
    ("factory", "layout"), [(MessageFactory.list, "list"), (MessageFactory.carousel, "carousel")]
)
def test_list_and_carousel(factory: Callable[..., Any], layout: str) -> None:
    activity = factory([CARD, OTHER], "several")
    dumped = wire(activity)
    assert dumped["attachmentLayout"] == layout
    assert [a["contentUrl"] for a in dumped["attachments"]] == [
        "https://x/img.png",
        "https://x/other.png",
    ]
    assert dumped["text"] == "several" and dumped["inputHint"] == "acceptingInput"


def test_content_url() -> None:
    activity = MessageFactory.content_url("https://x/doc.pdf", "application/pdf", "doc", "read")
    assert wire(activity) == {
        "type": "message",
        "text": "read",
        "inputHint": "acceptingInput",
        "attachments": [
            {"contentType": "application/pdf", "contentUrl": "https://x/doc.pdf", "name": "doc"}
        ],
    }
    assert (
        "name"
        not in wire(MessageFactory.content_url("https://x/a", "text/plain"))["attachments"][0]
    )


async def test_factory_messages_are_sendable() -> None:
    adapter = TestAdapter()
    context = TurnContext(adapter, adapter.make_activity("x"))
    await context.send_activity(MessageFactory.carousel([CARD]))
    assert adapter.sent_activities[-1].attachment_layout == "carousel"


def test_adaptive_card() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": []}
    attachment = CardFactory.adaptive_card(card)
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
    assert attachment.content == card
    with pytest.raises(TypeError):
        CardFactory.adaptive_card('{"type": "AdaptiveCard"}')  # type: ignore[arg-type]


CARDS: list[tuple[Callable[[Any], Attachment], Any, str]] = [
    (CardFactory.hero_card, HeroCard(title="Hero"), ContentTypes.hero_card),
    (CardFactory.thumbnail_card, ThumbnailCard(title="Thumb"), ContentTypes.thumbnail_card),
    (CardFactory.animation_card, AnimationCard(title="Anim"), ContentTypes.animation_card),
    (CardFactory.audio_card, AudioCard(title="Audio"), ContentTypes.audio_card),
    (CardFactory.video_card, VideoCard(title="Video"), ContentTypes.video_card),
    (CardFactory.receipt_card, ReceiptCard(title="Receipt"), ContentTypes.receipt_card),
    (CardFactory.signin_card, SigninCard(text="Sign in"), ContentTypes.signin_card),
    (CardFactory.oauth_card, OAuthCard(text="OAuth", connection_name="c"), ContentTypes.oauth_card),
]


@pytest.mark.parametrize(("method", "card", "content_type"), CARDS)
def test_typed_cards(method: Callable[[Any], Attachment], card: Any, content_type: str) -> None:
    attachment = method(card)
    assert attachment.content_type == content_type
    assert attachment == card.to_attachment()


@pytest.mark.parametrize(("method", "card", "content_type"), CARDS)
def test_typed_cards_reject_other_cards(
    method: Callable[[Any], Attachment], card: Any, content_type: str
) -> None:
    wrong = SigninCard(text="x") if not isinstance(card, SigninCard) else HeroCard(title="x")
    with pytest.raises(TypeError):
        method(wrong)
    with pytest.raises(TypeError):
        method({"title": "dict"})


def test_content_types_alias() -> None:
    assert CardFactory.content_types is ContentTypes
    assert CardFactory.content_types.hero_card == "application/vnd.microsoft.card.hero"
