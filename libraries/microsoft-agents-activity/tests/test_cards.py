from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from microsoft_agents.activity._cards import (
    AdaptiveCardCard,
    Card,
    HeroCard,
    OAuthCard,
    SigninCard,
    ThumbnailCard,
)
from microsoft_agents.activity._content import (
    Attachment,
    CardAction,
    CardImage,
    Fact,
    MediaUrl,
    ReceiptItem,
    ThumbnailUrl,
)
from microsoft_agents.activity._media_cards import (
    AnimationCard,
    AudioCard,
    BasicCard,
    MediaCard,
    ReceiptCard,
    VideoCard,
)
from microsoft_agents.activity._tokens import TokenExchangeResource, TokenPostResource


def wire(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


CARD_TYPES = [
    (HeroCard, "application/vnd.microsoft.card.hero"),
    (ThumbnailCard, "application/vnd.microsoft.card.thumbnail"),
    (AnimationCard, "application/vnd.microsoft.card.animation"),
    (AudioCard, "application/vnd.microsoft.card.audio"),
    (VideoCard, "application/vnd.microsoft.card.video"),
    (ReceiptCard, "application/vnd.microsoft.card.receipt"),
    (SigninCard, "application/vnd.microsoft.card.signin"),
    (OAuthCard, "application/vnd.microsoft.card.oauth"),
]


@pytest.mark.parametrize(("card_cls", "content_type"), CARD_TYPES)
def test_each_card_wraps_itself_with_its_content_type(
    card_cls: type[Card], content_type: str
) -> None:
    button = {"type": "imBack", "title": "hello", "value": "hello"}
    attachment = card_cls(buttons=[CardAction(**button)]).to_attachment()
    assert isinstance(attachment, Attachment)
    assert attachment.content_type == content_type
    # Only what was set goes into the content, as a plain JSON-ready dict.
    assert attachment.content == {"buttons": [button]}
    assert wire(attachment) == {"contentType": content_type, "content": {"buttons": [button]}}


@pytest.mark.parametrize(("card_cls", "content_type"), CARD_TYPES)
def test_empty_card_gives_empty_content(card_cls: type[Card], content_type: str) -> None:
    assert card_cls().to_attachment().content == {}


def test_card_base_is_abstract() -> None:
    with pytest.raises(TypeError):
        Card()  # type: ignore[abstract]


def test_plain_models_are_not_cards() -> None:
    assert not issubclass(MediaCard, Card)
    assert not issubclass(BasicCard, Card)
    assert not hasattr(MediaCard(), "to_attachment")
    assert not hasattr(BasicCard(), "to_attachment")
    # The concrete media cards are not MediaCard instances either.
    assert not isinstance(VideoCard(), MediaCard)
    assert not isinstance(HeroCard(), BasicCard)


def test_hero_card_content_is_the_camel_case_wire_form() -> None:
    card = HeroCard(
        title="Seattle",
        subtitle="Emerald City",
        text="",
        images=[CardImage(url="https://example.com/sea.png", alt="Skyline")],
        buttons=[CardAction(type="openUrl", title="Visit", value="https://example.com")],
        tap=CardAction(type="imBack", title="Tap", display_text="tapped", image_alt_text="i"),
    )
    assert card.to_attachment().content == {
        "title": "Seattle",
        "subtitle": "Emerald City",
        "text": "",
        "images": [{"url": "https://example.com/sea.png", "alt": "Skyline"}],
        "buttons": [{"type": "openUrl", "title": "Visit", "value": "https://example.com"}],
        "tap": {"type": "imBack", "title": "Tap", "displayText": "tapped", "imageAltText": "i"},
    }


def test_card_parses_from_wire_and_round_trips() -> None:
    data = {
        "title": "T",
        "images": [{"url": "https://x/a.png"}],
        "buttons": [{"type": "postBack", "title": "Go", "value": {"k": 1}}],
    }
    card = ThumbnailCard.model_validate(data)
    assert card.images == [CardImage(url="https://x/a.png")]
    assert card.to_attachment().content == data


def test_attachment_content_is_a_snapshot_not_the_card() -> None:
    card = HeroCard(title="before")
    attachment = card.to_attachment()
    card.title = "after"
    card.add_button(title="late")
    assert attachment.content == {"title": "before"}
    assert not isinstance(attachment.content, HeroCard)
    # A JSON round trip of the attachment is lossless.
    assert Attachment.model_validate(json.loads(json.dumps(wire(attachment)))) == attachment


def test_explicit_none_is_kept_but_unset_fields_are_not() -> None:
    assert HeroCard(title="t", subtitle=None).to_attachment().content == {
        "title": "t",
        "subtitle": None,
    }


def test_title_must_not_be_empty_but_text_may() -> None:
    with pytest.raises(ValidationError) as info:
        HeroCard(title="")
    assert info.value.errors()[0]["loc"] == ("title",)
    assert HeroCard(text="").text == ""
    with pytest.raises(ValidationError):
        VideoCard(aspect="")
    with pytest.raises(ValidationError):
        ReceiptCard(total="")


# --- image-card builders ---------------------------------------------------------------------


@pytest.mark.parametrize("card_cls", [HeroCard, ThumbnailCard, BasicCard])
def test_add_image_accepts_instance_or_url(card_cls: type[Any]) -> None:
    card = card_cls()
    first = CardImage(url="https://x/1.png")
    result = card.add_image(first).add_image(url="https://x/2.png", alt="two")
    assert result is card
    assert card.images == [first, CardImage(url="https://x/2.png", alt="two")]
    # alt was not given for the first image built from a url: it stays off the wire.
    card.add_image(url="https://x/3.png")
    assert wire(card)["images"][2] == {"url": "https://x/3.png"}


@pytest.mark.parametrize("card_cls", [HeroCard, ThumbnailCard, BasicCard])
def test_add_image_without_image_or_url_raises(card_cls: type[Any]) -> None:
    card = card_cls()
    with pytest.raises(ValueError, match=r"add_image\(\) needs a CardImage or a url="):
        card.add_image()
    with pytest.raises(ValueError, match="add_image"):
        card.add_image(alt="no url")
    with pytest.raises(ValueError, match="not both"):
        card.add_image(CardImage(url="https://x"), url="https://y")
    assert card.images is None


def test_hero_add_button_defaults_to_im_back_with_title_as_value() -> None:
    card = HeroCard().add_button(title="Yes")
    assert wire(card)["buttons"] == [{"type": "imBack", "title": "Yes", "value": "Yes"}]


def test_hero_add_button_with_type_and_value() -> None:
    action = CardAction(type="openUrl", title="Docs", value="https://docs")
    card = HeroCard()
    assert (
        card.add_button(title="Pick", type="postBack", value={"id": 7}).add_button(action) is card
    )
    assert wire(card)["buttons"] == [
        {"type": "postBack", "title": "Pick", "value": {"id": 7}},
        {"type": "openUrl", "title": "Docs", "value": "https://docs"},
    ]
    assert card.buttons is not None
    assert card.buttons[1] is action


def test_thumbnail_add_button_uses_card_type_keyword() -> None:
    card = ThumbnailCard().add_button(title="Open", card_type="openUrl", value="https://x")
    assert wire(card)["buttons"] == [{"type": "openUrl", "title": "Open", "value": "https://x"}]
    with pytest.raises(TypeError):
        ThumbnailCard().add_button(title="Open", type="openUrl")  # type: ignore[call-arg]


def test_basic_card_add_button_matches_hero() -> None:
    assert wire(BasicCard().add_button(title="A", type="postBack")) == wire(
        HeroCard().add_button(title="A", type="postBack")
    )


@pytest.mark.parametrize(
    "card", [HeroCard(), ThumbnailCard(), BasicCard(), VideoCard(), MediaCard(), ReceiptCard()]
)
def test_add_button_without_button_or_title_raises(card: Any) -> None:
    with pytest.raises(ValueError, match=r"add_button\(\) needs a CardAction or a title="):
        card.add_button()
    with pytest.raises(ValueError, match="not both"):
        card.add_button(CardAction(type="imBack", title="a"), title="b")
    assert card.buttons is None


def test_add_buttons_appends_all_in_order() -> None:
    a, b, c = (CardAction(type="imBack", title=t) for t in "abc")
    card = HeroCard(buttons=[a])
    assert card.add_buttons(b, c) is card
    assert card.buttons == [a, b, c]
    assert ThumbnailCard().add_buttons().buttons == []


def test_builder_changes_reach_the_attachment() -> None:
    card = HeroCard().add_image(url="https://x/i.png").add_button(title="ok")
    assert card.to_attachment().content == {
        "images": [{"url": "https://x/i.png"}],
        "buttons": [{"type": "imBack", "title": "ok", "value": "ok"}],
    }


# --- media cards -------------------------------------------------------------------------------


@pytest.mark.parametrize("card_cls", [AnimationCard, AudioCard, VideoCard, MediaCard])
def test_media_builders(card_cls: type[Any]) -> None:
    card = card_cls(title="Clip", autoloop=True)
    given = MediaUrl(url="https://x/a.mp4", profile="hd")
    assert card.add_media(given).add_media(url="https://x/b.mp4").add_button(title="More") is card
    assert wire(card) == {
        "title": "Clip",
        "autoloop": True,
        "media": [{"url": "https://x/a.mp4", "profile": "hd"}, {"url": "https://x/b.mp4"}],
        "buttons": [{"type": "imBack", "title": "More", "value": "More"}],
    }
    with pytest.raises(ValueError, match=r"add_media\(\) needs a MediaUrl or a url="):
        card.add_media(profile="hd")
    with pytest.raises(ValueError, match="not both"):
        card.add_media(given, url="https://x/c.mp4")
    assert len(card.media) == 2


def test_video_card_full_wire_form() -> None:
    card = VideoCard(
        title="Trailer",
        subtitle="2024",
        text="Watch",
        image=ThumbnailUrl(url="https://x/poster.jpg", alt="poster"),
        media=[MediaUrl(url="https://x/t.mp4")],
        shareable=False,
        autoloop=False,
        autostart=True,
        aspect="16:9",
        duration="PT2M",
        value={"id": 3},
    )
    assert card.to_attachment().content == {
        "title": "Trailer",
        "subtitle": "2024",
        "text": "Watch",
        "image": {"url": "https://x/poster.jpg", "alt": "poster"},
        "media": [{"url": "https://x/t.mp4"}],
        "shareable": False,
        "autoloop": False,
        "autostart": True,
        "aspect": "16:9",
        "duration": "PT2M",
        "value": {"id": 3},
    }


# --- receipt card ------------------------------------------------------------------------------


def test_receipt_builders_and_wire_form() -> None:
    card = (
        ReceiptCard(title="Order 42", total="$10.00", tax="$0.80", vat="$0.00")
        .add_fact(Fact(key="Order", value="42"))
        .add_fact(key="Payment", value="VISA")
        .add_item(ReceiptItem(title="Widget", price="$5.00", quantity="1"))
        .add_item(title="Gadget", price="$5.00")
        .add_button(title="Pay", type="openUrl", value="https://pay")
    )
    assert card.to_attachment().content == {
        "title": "Order 42",
        "total": "$10.00",
        "tax": "$0.80",
        "vat": "$0.00",
        "facts": [{"key": "Order", "value": "42"}, {"key": "Payment", "value": "VISA"}],
        "items": [
            {"title": "Widget", "price": "$5.00", "quantity": "1"},
            {"title": "Gadget", "price": "$5.00"},
        ],
        "buttons": [{"type": "openUrl", "title": "Pay", "value": "https://pay"}],
    }


def test_receipt_builders_without_part_raise() -> None:
    card = ReceiptCard()
    with pytest.raises(ValueError, match=r"add_fact\(\) needs a Fact or a key="):
        card.add_fact(value="v")
    with pytest.raises(ValueError, match=r"add_item\(\) needs a ReceiptItem or a title="):
        card.add_item(price="$1")
    with pytest.raises(ValueError, match="not both"):
        card.add_item(ReceiptItem(title="a"), title="b")
    assert card.facts is None
    assert card.items is None


# --- sign-in cards -----------------------------------------------------------------------------


def test_oauth_card_wire_form() -> None:
    card = OAuthCard(
        text="Sign in",
        connection_name="graph",
        buttons=[CardAction(type="signin", title="Sign in", value="https://login/abc")],
        token_exchange_resource=TokenExchangeResource(
            id="ter-1", uri="api://app/.default", provider_id="aad"
        ),
        token_post_resource=TokenPostResource(sas_url="https://post/sas"),
    )
    attachment = card.to_attachment()
    assert attachment.content_type == "application/vnd.microsoft.card.oauth"
    assert attachment.content == {
        "text": "Sign in",
        "connectionName": "graph",
        "buttons": [{"type": "signin", "title": "Sign in", "value": "https://login/abc"}],
        "tokenExchangeResource": {
            "id": "ter-1",
            "uri": "api://app/.default",
            "providerId": "aad",
        },
        "tokenPostResource": {"sasUrl": "https://post/sas"},
    }
    assert OAuthCard.model_validate(attachment.content) == card


def test_oauth_connection_name_must_not_be_empty() -> None:
    with pytest.raises(ValidationError):
        OAuthCard(connection_name="")


def test_signin_card_wire_form() -> None:
    card = SigninCard(text="", buttons=[CardAction(type="signin", title="Go", value="u")])
    assert card.to_attachment().content == {
        "text": "",
        "buttons": [{"type": "signin", "title": "Go", "value": "u"}],
    }


# --- adaptive card -----------------------------------------------------------------------------

ADAPTIVE = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "Hi"}],
    "actions": [{"type": "Action.Execute", "verb": "ok", "data": {"n": 1}}],
}


def test_adaptive_card_content_is_the_parsed_json() -> None:
    attachment = AdaptiveCardCard(content=json.dumps(ADAPTIVE)).to_attachment()
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
    assert attachment.content == ADAPTIVE
    assert wire(attachment) == {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": ADAPTIVE,
    }


def test_adaptive_card_accepts_a_dict_as_json_text() -> None:
    card = AdaptiveCardCard(content=ADAPTIVE)
    assert isinstance(card.content, str)
    assert json.loads(card.content) == ADAPTIVE
    assert card.to_attachment().content == ADAPTIVE


def test_adaptive_card_invalid_or_missing_content() -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        AdaptiveCardCard(content="{not json").to_attachment()
    with pytest.raises(ValueError, match="no content"):
        AdaptiveCardCard().to_attachment()
    with pytest.raises(ValidationError):
        AdaptiveCardCard(content="")


# --- to_message --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "card",
    [
        HeroCard(title="Hello").add_button(title="Hi"),
        ThumbnailCard(text="t"),
        ReceiptCard(title="r"),
        OAuthCard(connection_name="graph"),
        AdaptiveCardCard(content=json.dumps(ADAPTIVE)),
    ],
)
def test_to_message_is_a_message_with_the_single_attachment(card: Card) -> None:
    message = card.to_message()
    assert message.type == "message"
    assert message.attachments == [card.to_attachment()]
    data = message.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert data["type"] == "message"
    assert data["attachments"] == [wire(card.to_attachment())]
    assert message.text is None
