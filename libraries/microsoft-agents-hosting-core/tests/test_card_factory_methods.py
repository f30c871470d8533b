"""``CardFactory``'s per-card methods share one implementation: each still has its own name,
takes its card by keyword too, and names itself in its ``TypeError``."""

from __future__ import annotations

import inspect

import pytest

import microsoft_agents.activity as activity
from microsoft_agents.activity import Card
from microsoft_agents.hosting.core import CardFactory

CARD_METHODS: dict[str, type[Card]] = {
    "animation_card": activity.AnimationCard,
    "audio_card": activity.AudioCard,
    "hero_card": activity.HeroCard,
    "oauth_card": activity.OAuthCard,
    "receipt_card": activity.ReceiptCard,
    "signin_card": activity.SigninCard,
    "thumbnail_card": activity.ThumbnailCard,
    "video_card": activity.VideoCard,
}


@pytest.mark.parametrize(("name", "card_type"), CARD_METHODS.items())
def test_each_card_method_is_a_named_static_method(name: str, card_type: type[Card]) -> None:
    method = getattr(CardFactory, name)
    assert isinstance(inspect.getattr_static(CardFactory, name), staticmethod)
    assert method.__name__ == name and method.__qualname__ == f"CardFactory.{name}"
    assert list(inspect.signature(method).parameters) == ["card"]
    assert card_type.__name__ in (method.__doc__ or "")
    card = card_type()
    assert method(card=card) == card.to_attachment()
    assert getattr(CardFactory(), name)(card) == card.to_attachment()


@pytest.mark.parametrize(("name", "card_type"), CARD_METHODS.items())
def test_a_wrong_card_names_the_method_and_the_card(name: str, card_type: type[Card]) -> None:
    with pytest.raises(TypeError) as raised:
        getattr(CardFactory, name)("not a card")
    assert str(raised.value) == f"CardFactory.{name}() needs a {card_type.__name__}, got str"
