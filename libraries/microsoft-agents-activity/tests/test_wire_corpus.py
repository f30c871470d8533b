"""Wire fidelity of ``Activity`` over a corpus of realistic payloads.

Every file in ``tests/data/activities`` holds one activity as a channel or an agent would put
it on the wire. Parsing it and dumping it back with ``by_alias=True, exclude_unset=True`` must
give the same JSON object.

One normalisation is applied before comparing, and only one: values the model types as
``datetime`` (``timestamp``, ``localTimestamp``, ``expiration`` and any other datetime field at
any depth) are compared as parsed datetimes, rendered with microseconds and their UTC offset.
The package re-emits date-times with six fractional digits (``.123Z`` goes out as
``.123000Z``, seven-digit Direct Line stamps are cut to six), so the strings differ while the
instant and the offset are the same. Everything else must match exactly.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from microsoft_agents.activity import Activity

CORPUS_DIR = Path(__file__).parent / "data" / "activities"
CORPUS = sorted(CORPUS_DIR.glob("*.json"))

_DATETIME = TypeAdapter(datetime)
_CANONICAL_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?(Z|[+-]\d\d:\d\d)$")

Path_ = tuple[str | int, ...]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _wire(activity: Activity) -> dict[str, Any]:
    return activity.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _wire_name(model: BaseModel, name: str) -> str:
    field = type(model).model_fields[name]
    return field.serialization_alias or field.alias or name


def _datetime_paths(value: Any, prefix: Path_ = ()) -> list[Path_]:
    """Wire paths of every set field that the parsed model holds as a ``datetime``."""
    paths: list[Path_] = []
    if isinstance(value, datetime):
        paths.append(prefix)
    elif isinstance(value, BaseModel):
        for name in value.model_fields_set:
            if name not in type(value).model_fields:
                continue
            paths.extend(_datetime_paths(getattr(value, name), (*prefix, _wire_name(value, name))))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.extend(_datetime_paths(item, (*prefix, index)))
    return paths


def _normalise(data: dict[str, Any], paths: list[Path_]) -> dict[str, Any]:
    """Copy of ``data`` with the date-time strings at ``paths`` replaced by a canonical form."""
    data = json.loads(json.dumps(data))
    for path in paths:
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        raw = parent[path[-1]]
        parent[path[-1]] = _DATETIME.validate_python(raw).isoformat(timespec="microseconds")
    return data


def _assert_same_wire(expected: dict[str, Any], activity: Activity) -> None:
    paths = _datetime_paths(activity)
    got = _wire(activity)
    assert _normalise(got, paths) == _normalise(expected, paths)


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 18
    kinds = {json.loads(_read(path))["type"] for path in CORPUS}
    assert {
        "message",
        "conversationUpdate",
        "event",
        "invoke",
        "typing",
        "messageReaction",
        "messageUpdate",
        "messageDelete",
        "installationUpdate",
        "endOfConversation",
        "trace",
        "handoff",
    } <= kinds


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_parse_then_dump_gives_back_the_same_json(path: Path) -> None:
    raw = _read(path)
    activity = Activity.model_validate_json(raw)
    _assert_same_wire(json.loads(raw), activity)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_parse_from_python_dict_gives_back_the_same_json(path: Path) -> None:
    raw = json.loads(_read(path))
    activity = Activity.model_validate(raw)
    _assert_same_wire(raw, activity)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_model_dump_json_matches_model_dump(path: Path) -> None:
    activity = Activity.model_validate_json(_read(path))
    as_json = activity.model_dump_json(by_alias=True, exclude_unset=True)
    assert json.loads(as_json) == _wire(activity)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_second_round_trip_is_byte_identical(path: Path) -> None:
    first = Activity.model_validate_json(_read(path)).model_dump_json(
        by_alias=True, exclude_unset=True
    )
    second = Activity.model_validate_json(first).model_dump_json(by_alias=True, exclude_unset=True)
    assert second == first


def test_dumped_datetimes_use_the_canonical_form() -> None:
    # The one normalisation above is only sound if the package always writes this form.
    seen = 0
    for path in CORPUS:
        activity = Activity.model_validate_json(_read(path))
        wire = _wire(activity)
        for key_path in _datetime_paths(activity):
            value: Any = wire
            for key in key_path:
                value = value[key]
            assert _CANONICAL_DATETIME.match(value), (path.name, key_path, value)
            seen += 1
    assert seen >= 40


def test_datetime_normalisation_still_sees_offsets() -> None:
    # Same instant, different offset: the normalisation must not hide a lost offset.
    a = Activity.model_validate({"type": "message", "localTimestamp": "2026-11-02T11:15:30+01:00"})
    paths = _datetime_paths(a)
    assert paths == [("localTimestamp",)]
    assert _normalise({"localTimestamp": "2026-11-02T10:15:30Z"}, paths) != _normalise(
        _wire(a), paths
    )


def test_seven_digit_fraction_is_cut_to_six() -> None:
    raw = json.loads(_read(CORPUS_DIR / "directline_event.json"))
    wire = _wire(Activity.model_validate(raw))
    assert raw["timestamp"] == "2026-11-02T10:15:11.0031462Z"
    assert wire["timestamp"] == "2026-11-02T10:15:11.003146Z"


# -- sub-channel carried by ProductInfo -------------------------------------------------------


def test_copilot_message_keeps_sub_channel_and_product_info() -> None:
    raw = json.loads(_read(CORPUS_DIR / "copilot_message.json"))
    activity = Activity.model_validate(raw)
    assert activity.channel_id == "msteams:COPILOT"
    assert activity.channel_id is not None
    assert activity.channel_id.channel == "msteams"
    assert activity.channel_id.sub_channel == "COPILOT"
    wire = _wire(activity)
    assert wire["channelId"] == "msteams"
    assert wire["entities"] == raw["entities"]


# -- unknown keys survive --------------------------------------------------------------------


def test_unknown_channel_data_keys_survive() -> None:
    raw = json.loads(_read(CORPUS_DIR / "teams_channel_message_mentions.json"))
    activity = Activity.model_validate_json(json.dumps(raw))
    channel_data = _wire(activity)["channelData"]
    assert channel_data == raw["channelData"]
    assert channel_data["contosoRouting"] == {
        "region": "weu",
        "shard": 17,
        "flags": ["beta-approvals", "audit"],
    }
    assert channel_data["futureTeamsProperty"]["nested"]["deeper"] == [1, 2.5, None, True, "x"]
    assert channel_data["legacy_snake_key"] == "kept as is"
    assert activity.channel_data["settings"]["notificationPreference"] == "mentionsOnly"


def test_unknown_entity_keys_survive() -> None:
    entities = [
        {
            "type": "x-contoso/annotation",
            "snake_case_key": 1,
            "camelCaseKey": {"inner_snake": [1, 2], "innerCamel": None},
            "PascalKey": "P",
            "@context": "https://schemas.contoso.example",
            "@id": "urn:contoso:1",
            "@type": "Annotation",
            "key with spaces": True,
        },
        {
            "type": "mention",
            "mentioned": {"id": "29:abc", "name": "Ana", "extra_account_key": "kept"},
            "text": "<at>Ana</at>",
            "mention_source": "composer",
            "@id": "m-1",
        },
        {
            "type": "streaminfo",
            "streamId": "s-1",
            "streamType": "streaming",
            "streamSequence": 3,
            "chunk_hint": "partial",
        },
        {
            "type": "https://schema.org/Message",
            "@type": "Message",
            "@context": "https://schema.org",
            "additionalType": ["AIGeneratedContent"],
            "contentRating": {"model_name": "contoso-1"},
        },
    ]
    raw = {"type": "message", "entities": entities}
    for activity in (
        Activity.model_validate_json(json.dumps(raw)),
        Activity.model_validate(json.loads(json.dumps(raw))),
    ):
        assert _wire(activity)["entities"] == entities
        assert activity.entities is not None
        first = activity.entities[0]
        assert first.additional_properties["snake_case_key"] == 1
        assert first.additional_properties["@context"] == "https://schemas.contoso.example"
        mention = activity.get_mentions()[0]
        assert mention.mentioned is not None
        assert mention.mentioned.properties == {"extra_account_key": "kept"}


def test_unknown_value_keys_survive() -> None:
    value = {
        "Id": "MCMx",
        "snake_key": {"nested_snake": [{"a_b": 1}, None, 2.25]},
        "@odata.type": "#microsoft.graph.chatMessage",
        "": "empty key",
        "emoji": "🙂",
        "big": 12345678901234567890123,
    }
    raw = {"type": "invoke", "name": "custom/op", "value": value}
    activity = Activity.model_validate_json(json.dumps(raw))
    assert activity.value == value
    assert _wire(activity) == raw
    assert json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True)) == raw


@pytest.mark.parametrize("value", [[1, "two", {"three": 3}], "plain string", 0, False, None])
def test_non_object_value_and_channel_data_survive(value: Any) -> None:
    raw = {"type": "event", "name": "x", "value": value, "channelData": value}
    assert _wire(Activity.model_validate_json(json.dumps(raw))) == raw


def test_unknown_channel_account_keys_survive() -> None:
    def account(account_id: str) -> dict[str, Any]:
        return {
            "id": account_id,
            "name": "",
            "role": "user",
            "userRole": "guest",
            "given_name": "Ana",
            "@contosoTier": "gold",
            "profile": {"job_title": "Pilot", "languages": ["pt", "en"]},
        }

    raw = {
        "type": "conversationUpdate",
        "from": account("u-1"),
        "recipient": account("b-1"),
        "membersAdded": [account("u-2"), {"id": "u-3"}],
        "membersRemoved": [account("u-4")],
        "relatesTo": {
            "conversation": {"id": "c-1"},
            "user": account("u-1"),
            "bot": account("b-1"),
        },
    }
    activity = Activity.model_validate_json(json.dumps(raw))
    assert _wire(activity) == raw
    assert activity.from_property is not None
    assert activity.from_property.properties == {
        "userRole": "guest",
        "given_name": "Ana",
        "@contosoTier": "gold",
        "profile": {"job_title": "Pilot", "languages": ["pt", "en"]},
    }
    assert activity.members_added is not None
    assert activity.members_added[1].properties == {}


# -- anything the package accepts it must be able to write back -----------------------------


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "message", "channelId": "msteams:COPILOT", "entities": [{"type": "ProductInfo"}]},
        {
            "type": "message",
            "channelId": "msteams:COPILOT",
            "entities": [{"type": "ProductInfo", "id": ""}],
        },
        {
            "type": "message",
            "channelId": "msteams",
            "entities": [{"type": "ProductInfo", "id": " COPILOT "}],
        },
    ],
    ids=["product-info-without-id", "product-info-empty-id", "product-info-padded-id"],
)
def test_accepted_activity_can_be_serialised(raw: dict[str, Any]) -> None:
    # A ProductInfo entity without a usable id next to a sub-channel once parsed fine but then
    # failed to serialise. Rejecting such input would be acceptable too; accepting it and then
    # failing on the way out is not.
    try:
        activity = Activity.model_validate_json(json.dumps(raw))
    except ValidationError:
        return
    first = activity.model_dump_json(by_alias=True, exclude_unset=True)
    again = Activity.model_validate_json(first)
    assert again.channel_id == activity.channel_id
    assert again.model_dump_json(by_alias=True, exclude_unset=True) == first
