"""Spec conformance of ``ChannelId`` and its wire mapping on ``Activity`` (activity.md §4)."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from microsoft_agents.activity import (
    Activity,
    ChannelId,
    Channels,
    ConversationAccount,
    ConversationReference,
    Entity,
    Mention,
    ProductInfo,
)


def wire(model: BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


# -- construction --------------------------------------------------------------------------------


def test_from_full_string() -> None:
    channel_id = ChannelId("msteams:COPILOT")
    assert isinstance(channel_id, str)
    assert channel_id == "msteams:COPILOT"
    assert channel_id.channel == "msteams"
    assert channel_id.sub_channel == "COPILOT"


def test_from_keywords() -> None:
    channel_id = ChannelId(channel="msteams", sub_channel="COPILOT")
    assert channel_id == "msteams:COPILOT"
    assert channel_id == ChannelId("msteams:COPILOT")
    assert (channel_id.channel, channel_id.sub_channel) == ("msteams", "COPILOT")


def test_without_sub_channel() -> None:
    for channel_id in (ChannelId("webchat"), ChannelId(channel="webchat")):
        assert channel_id == "webchat"
        assert channel_id.channel == "webchat"
        assert channel_id.sub_channel is None


def test_value_is_trimmed() -> None:
    channel_id = ChannelId("  msteams:COPILOT \n")
    assert str(channel_id) == "msteams:COPILOT"
    assert channel_id.channel == "msteams"
    assert channel_id.sub_channel == "COPILOT"
    assert ChannelId(channel=" webchat ") == "webchat"


def test_split_on_the_first_colon_only() -> None:
    channel_id = ChannelId("a:b:c")
    assert channel_id.channel == "a"
    assert channel_id.sub_channel == "b:c"
    assert channel_id == "a:b:c"


def test_empty_sub_channel_means_none() -> None:
    channel_id = ChannelId("msteams:")
    assert channel_id.sub_channel is None
    assert channel_id == "msteams"


def test_existing_channel_id_is_returned_unchanged() -> None:
    original = ChannelId("msteams:COPILOT")
    assert ChannelId(original) is original


def test_value_and_keywords_together_raise_value_error() -> None:
    with pytest.raises(ValueError):
        ChannelId("msteams", channel="msteams")
    with pytest.raises(ValueError):
        ChannelId("msteams", sub_channel="X")


@pytest.mark.parametrize("value", ["", "   ", ":COPILOT"])
def test_empty_value_raises(value: str) -> None:
    with pytest.raises(ValueError):
        ChannelId(value)


def test_no_value_and_no_channel_raises() -> None:
    with pytest.raises(ValueError):
        ChannelId()
    with pytest.raises(ValueError):
        ChannelId(channel="")
    with pytest.raises(ValueError):
        ChannelId(sub_channel="X")


def test_channel_keyword_with_colon_raises_type_error() -> None:
    with pytest.raises(TypeError):
        ChannelId(channel="msteams:COPILOT")


def test_non_string_value_raises_type_error() -> None:
    with pytest.raises(TypeError):
        ChannelId(42)  # type: ignore[arg-type]


def test_from_channels_enum() -> None:
    channel_id = ChannelId(Channels.m365_copilot)
    assert type(channel_id) is ChannelId
    assert (channel_id.channel, channel_id.sub_channel) == ("msteams", "COPILOT")
    assert str(ChannelId(Channels.msteams)) == "msteams"


# -- string behaviour ------------------------------------------------------------------------


def test_equality_and_hash_with_plain_strings() -> None:
    assert ChannelId("msteams") == "msteams"
    assert "msteams" == ChannelId("msteams")  # noqa: SIM300 - str on the left on purpose
    assert ChannelId("msteams") == Channels.msteams
    assert ChannelId("msteams:COPILOT") != "msteams"
    assert ChannelId("msteams") != "MSTEAMS"
    assert {ChannelId("a:b"): 1}["a:b"] == 1
    assert "a:b" in {ChannelId("a:b")}


def test_str_and_format_give_the_full_value() -> None:
    channel_id = ChannelId("msteams:COPILOT")
    assert str(channel_id) == "msteams:COPILOT"
    assert f"{channel_id}" == "msteams:COPILOT"
    assert channel_id.startswith("msteams")
    assert json.dumps(channel_id) == '"msteams:COPILOT"'


def test_pickle_and_copy_keep_the_parts() -> None:
    channel_id = ChannelId("msteams:COPILOT")
    for clone in (pickle.loads(pickle.dumps(channel_id)), copy.deepcopy(channel_id)):
        assert clone == channel_id
        assert isinstance(clone, ChannelId)
        assert clone.sub_channel == "COPILOT"


def test_get_channel_and_get_sub_channel() -> None:
    assert ChannelId.get_channel("msteams:COPILOT") == "msteams"
    assert ChannelId.get_channel(ChannelId("webchat")) == "webchat"
    assert ChannelId.get_channel(None) is None
    assert ChannelId.get_sub_channel("msteams:COPILOT") == "COPILOT"
    assert ChannelId.get_sub_channel(ChannelId("msteams:X")) == "X"
    assert ChannelId.get_sub_channel("msteams") is None
    assert ChannelId.get_sub_channel(None) is None


# -- includes (filter semantics) ---------------------------------------------------------------

INCLUDES_TABLE = [
    # filter, candidate, expected
    ("msteams", "msteams", True),
    ("msteams", "msteams:COPILOT", True),
    ("msteams", "webchat", False),
    ("msteams", "webchat:COPILOT", False),
    ("msteams:*", "msteams", True),
    ("msteams:*", "msteams:COPILOT", True),
    ("msteams:*", "webchat:COPILOT", False),
    ("msteams:COPILOT", "msteams:COPILOT", True),
    ("msteams:COPILOT", "msteams:OTHER", False),
    ("msteams:COPILOT", "msteams", False),
    ("msteams:COPILOT", "webchat:COPILOT", False),
    ("*", "msteams", True),
    ("*", "webchat:anything", True),
    ("*:*", "msteams:X", True),
    ("*:COPILOT", "msteams:COPILOT", True),
    ("*:COPILOT", "webchat:COPILOT", True),
    ("*:COPILOT", "msteams", False),
    ("*:COPILOT", "msteams:OTHER", False),
    # case-sensitive
    ("msteams", "MSTEAMS", False),
    ("MSTEAMS", "msteams", False),
    ("msteams:copilot", "msteams:COPILOT", False),
]


@pytest.mark.parametrize(("filter_", "candidate", "expected"), INCLUDES_TABLE)
def test_includes(filter_: str, candidate: str, expected: bool) -> None:
    assert ChannelId(filter_).includes(candidate) is expected
    assert ChannelId(filter_).includes(ChannelId(candidate)) is expected


# -- pydantic / wire mapping on Activity ------------------------------------------------------


def test_activity_channel_id_is_parsed_into_channel_id() -> None:
    activity = Activity.model_validate({"type": "message", "channelId": "msteams"})
    assert isinstance(activity.channel_id, ChannelId)
    assert activity.channel_id == "msteams"
    assert activity.channel_id.sub_channel is None
    assert wire(activity) == {"type": "message", "channelId": "msteams"}


def test_activity_accepts_a_channel_id_instance() -> None:
    channel_id = ChannelId("msteams:COPILOT")
    activity = Activity(type="message", channel_id=channel_id)
    assert activity.channel_id is channel_id


def test_activity_rejects_empty_channel_id() -> None:
    with pytest.raises(ValidationError):
        Activity.model_validate({"type": "message", "channelId": ""})


def test_sub_channel_is_written_as_base_channel_plus_product_info() -> None:
    activity = Activity(type="message", channel_id="msteams:COPILOT")
    assert activity.channel_id == "msteams:COPILOT"
    expected = {
        "type": "message",
        "channelId": "msteams",
        "entities": [{"type": "ProductInfo", "id": "COPILOT"}],
    }
    assert wire(activity) == expected
    assert json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True)) == expected
    python_dump = activity.model_dump(by_alias=True, exclude_unset=True)
    assert python_dump["channelId"] == "msteams"


def test_sub_channel_product_info_is_appended_to_existing_entities() -> None:
    activity = Activity(
        type="message", channel_id="msteams:COPILOT", entities=[Mention(text="<at>x</at>")]
    )
    assert wire(activity)["entities"] == [
        {"type": "mention", "text": "<at>x</at>"},
        {"type": "ProductInfo", "id": "COPILOT"},
    ]
    # Serialising does not mutate the activity.
    assert len(activity.entities or []) == 1
    assert wire(activity) == wire(activity)


def test_matching_product_info_is_not_duplicated() -> None:
    activity = Activity(
        type="message", channel_id="msteams:COPILOT", entities=[ProductInfo(id="COPILOT")]
    )
    assert wire(activity)["entities"] == [{"type": "ProductInfo", "id": "COPILOT"}]


def test_conflicting_product_info_on_parse_raises() -> None:
    with pytest.raises(ValidationError):
        Activity.model_validate(
            {
                "type": "message",
                "channelId": "msteams:COPILOT",
                "entities": [{"type": "ProductInfo", "id": "OTHER"}],
            }
        )


def test_conflicting_product_info_on_serialisation_raises() -> None:
    activity = Activity(type="message", channel_id="msteams:COPILOT")
    activity.add_entity(ProductInfo(id="OTHER"))
    with pytest.raises(ValueError):
        wire(activity)
    with pytest.raises(ValueError):
        activity.model_dump_json(by_alias=True, exclude_unset=True)


def test_product_info_is_removed_when_there_is_no_sub_channel() -> None:
    no_channel = Activity(type="message", entities=[ProductInfo(id="X"), Mention(text="m")])
    assert wire(no_channel)["entities"] == [{"type": "mention", "text": "m"}]

    changed = Activity.model_validate(
        {
            "type": "message",
            "channelId": "msteams",
            "entities": [{"type": "ProductInfo", "id": "COPILOT"}],
        }
    )
    changed.channel_id = ChannelId("msteams")
    assert wire(changed) == {"type": "message", "channelId": "msteams", "entities": []}


def test_parse_sets_sub_channel_from_product_info() -> None:
    payload = {
        "type": "message",
        "channelId": "msteams",
        "entities": [{"type": "mention", "text": "m"}, {"type": "ProductInfo", "id": "COPILOT"}],
    }
    activity = Activity.model_validate(payload)
    assert isinstance(activity.channel_id, ChannelId)
    assert activity.channel_id == "msteams:COPILOT"
    assert activity.channel_id.channel == "msteams"
    assert activity.channel_id.sub_channel == "COPILOT"
    assert wire(activity) == payload


def test_parse_sets_sub_channel_from_product_info_json_and_case_insensitive_type() -> None:
    raw = json.dumps(
        {
            "type": "message",
            "channelId": "msteams",
            "entities": [{"type": "productinfo", "id": "COPILOT"}],
        }
    )
    activity = Activity.model_validate_json(raw)
    assert activity.channel_id == "msteams:COPILOT"
    assert wire(activity)["entities"] == [{"type": "ProductInfo", "id": "COPILOT"}]


def test_wire_round_trip_keeps_the_sub_channel() -> None:
    original = Activity(type="message", channel_id="msteams:COPILOT", text="hi")
    again = Activity.model_validate_json(
        original.model_dump_json(by_alias=True, exclude_unset=True)
    )
    assert again.channel_id == "msteams:COPILOT"
    assert again.text == "hi"


def test_assigning_a_plain_string_channel_id() -> None:
    activity = Activity(type="message")
    activity.channel_id = "webchat"  # type: ignore[assignment]
    assert isinstance(activity.channel_id, ChannelId)
    assert wire(activity) == {"type": "message", "channelId": "webchat"}

    activity.channel_id = "msteams:COPILOT"  # type: ignore[assignment]
    assert activity.channel_id.sub_channel == "COPILOT"
    assert wire(activity) == {
        "type": "message",
        "channelId": "msteams",
        "entities": [{"type": "ProductInfo", "id": "COPILOT"}],
    }


def test_assigning_a_sub_channel_channel_id_instance() -> None:
    activity = Activity(type="message")
    activity.channel_id = ChannelId(channel="msteams", sub_channel="COPILOT")
    assert wire(activity)["entities"] == [{"type": "ProductInfo", "id": "COPILOT"}]


def test_unknown_entities_are_untouched_by_the_mapping() -> None:
    activity = Activity.model_validate(
        {
            "type": "message",
            "channelId": "msteams:COPILOT",
            "entities": [{"type": "clientInfo", "locale": "en"}],
        }
    )
    assert isinstance(activity.entities, list)
    assert type(activity.entities[0]) is Entity
    assert wire(activity)["entities"] == [
        {"type": "clientInfo", "locale": "en"},
        {"type": "ProductInfo", "id": "COPILOT"},
    ]


def test_activity_channel_id_compares_with_plain_string() -> None:
    activity = Activity(type="message", channel_id="msteams")
    assert activity.channel_id == "msteams"
    assert activity.channel_id == Channels.ms_teams


# -- ConversationReference keeps the full value ---------------------------------------------------


def test_conversation_reference_serialises_full_channel_id() -> None:
    reference = ConversationReference(
        conversation=ConversationAccount(id="c"), channel_id="msteams:COPILOT"
    )
    assert isinstance(reference.channel_id, ChannelId)
    assert reference.channel_id.sub_channel == "COPILOT"
    assert wire(reference) == {"conversation": {"id": "c"}, "channelId": "msteams:COPILOT"}
    again = ConversationReference.model_validate_json(
        reference.model_dump_json(by_alias=True, exclude_unset=True)
    )
    assert again.channel_id == "msteams:COPILOT"
    assert again.channel_id is not None
    assert again.channel_id.sub_channel == "COPILOT"


def test_relates_to_inside_activity_keeps_full_channel_id() -> None:
    reference = ConversationReference(
        conversation=ConversationAccount(id="c"), channel_id="msteams:COPILOT"
    )
    activity = Activity(type="event", channel_id="msteams:COPILOT", relates_to=reference)
    out = wire(activity)
    assert out["channelId"] == "msteams"
    assert out["relatesTo"]["channelId"] == "msteams:COPILOT"


@pytest.mark.parametrize(
    "entities",
    [
        [{"type": "ProductInfo", "id": "A"}, {"type": "ProductInfo", "id": "A"}],
        [{"type": "ProductInfo", "id": "A"}, {"type": "ProductInfo", "id": "B"}],
        [{"type": "ProductInfo"}, {"type": "ProductInfo"}],
    ],
)
@pytest.mark.parametrize("channel_id", ["msteams", None])
def test_repeated_product_info_entities_dump_stably(
    entities: list[dict[str, str]], channel_id: str | None
) -> None:
    data: dict[str, object] = {"type": "message", "entities": entities}
    if channel_id is not None:
        data["channelId"] = channel_id
    first = Activity.model_validate(data).model_dump(mode="json", by_alias=True, exclude_unset=True)
    second = Activity.model_validate(first).model_dump(
        mode="json", by_alias=True, exclude_unset=True
    )
    assert second == first
