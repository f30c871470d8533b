"""Bad wire input: every rejection is a pydantic ``ValidationError`` that names the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from microsoft_agents.activity import Activity, ChannelId

_BASE: dict[str, Any] = {
    "type": "message",
    "id": "1762078530123",
    "channelId": "webchat",
    "serviceUrl": "https://webchat.botframework.com/",
    "from": {"id": "dl_user", "name": "Dana"},
    "recipient": {"id": "agent", "name": "Agent"},
    "conversation": {"id": "conv-1"},
    "text": "hello",
}


def _with(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(_BASE))
    data.update(changes)
    return data


def _errors_json(data: Any) -> list[ErrorDetails]:
    with pytest.raises(ValidationError) as info:
        Activity.model_validate_json(json.dumps(data))
    return info.value.errors()


def _errors_python(data: Any) -> list[ErrorDetails]:
    with pytest.raises(ValidationError) as info:
        Activity.model_validate(data)
    return info.value.errors()


def test_base_payload_is_valid() -> None:
    # Guards the parametrised cases below: each fails only because of its one change.
    Activity.model_validate_json(json.dumps(_BASE))
    Activity.model_validate(_BASE)


# -- invalid JSON and non-object documents --------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "{bad",
        "",
        '{"type": "message",}',
        '{"type": "message"',
        "{'type': 'message'}",
        '{"type": "message"} trailing',
        b"\xff\xfe\x00",
        b'{"type": "\xc3\x28"}',
    ],
)
def test_invalid_json_raises_validation_error(raw: str | bytes) -> None:
    with pytest.raises(ValidationError) as info:
        Activity.model_validate_json(raw)
    errors = info.value.errors()
    assert errors
    assert all(error["loc"] == () for error in errors)
    assert any(error["type"] in {"json_invalid", "string_unicode"} for error in errors)


@pytest.mark.parametrize("raw", ["[]", "1", "null", '"message"', "true", '[{"type": "message"}]'])
def test_json_that_is_not_an_object_raises_validation_error(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        Activity.model_validate_json(raw)
    assert [error["loc"] for error in info.value.errors()] == [()]


@pytest.mark.parametrize("value", [[], 1, None, "message", True])
def test_python_value_that_is_not_a_mapping_raises_validation_error(value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        Activity.model_validate(value)
    assert [error["loc"] for error in info.value.errors()] == [()]


# -- wrong field types ----------------------------------------------------------------------

_WRONG_TYPES: list[tuple[str, dict[str, Any], tuple[str | int, ...]]] = [
    ("membersAdded-not-a-list", {"membersAdded": {"id": "u"}}, ("membersAdded",)),
    ("membersAdded-item-a-string", {"membersAdded": ["u"]}, ("membersAdded", 0)),
    ("membersRemoved-item-a-number", {"membersRemoved": [{"id": "u"}, 7]}, ("membersRemoved", 1)),
    ("conversation-a-string", {"conversation": "conv-1"}, ("conversation",)),
    ("conversation-without-id", {"conversation": {"name": "x"}}, ("conversation", "id")),
    (
        "conversation-isGroup-word",
        {"conversation": {"id": "c", "isGroup": "yes please"}},
        ("conversation", "isGroup"),
    ),
    ("timestamp-garbage", {"timestamp": "yesterday at noon"}, ("timestamp",)),
    ("timestamp-bad-month", {"timestamp": "2026-13-02T10:15:30Z"}, ("timestamp",)),
    ("localTimestamp-a-list", {"localTimestamp": ["2026-11-02"]}, ("localTimestamp",)),
    ("expiration-a-bool", {"expiration": True}, ("expiration",)),
    ("entities-a-dict", {"entities": {"type": "mention"}}, ("entities",)),
    ("entity-without-type", {"entities": [{"text": "<at>x</at>"}]}, ("entities", 0)),
    ("entity-empty-type", {"entities": [{"type": "clientInfo"}, {"type": ""}]}, ("entities", 1)),
    ("entity-numeric-type", {"entities": [{"type": 3}]}, ("entities", 0)),
    ("entity-a-string", {"entities": ["mention"]}, ("entities", 0)),
    (
        "mention-mentioned-a-string",
        {"entities": [{"type": "mention", "mentioned": "bob"}]},
        ("entities", 0),
    ),
    (
        "streaminfo-sequence-a-word",
        {"entities": [{"type": "streaminfo", "streamSequence": "first"}]},
        ("entities", 0),
    ),
    (
        "attachment-without-contentType",
        {"attachments": [{"contentUrl": "https://x/y.png"}]},
        ("attachments", 0, "contentType"),
    ),
    ("attachments-a-dict", {"attachments": {"contentType": "image/png"}}, ("attachments",)),
    ("from-a-number", {"from": 42}, ("from",)),
    ("from-id-a-number", {"from": {"id": 42}}, ("from", "id")),
    ("recipient-empty-id", {"recipient": {"id": ""}}, ("recipient", "id")),
    ("historyDisclosed-a-word", {"historyDisclosed": "perhaps"}, ("historyDisclosed",)),
    ("text-a-number", {"text": 42}, ("text",)),
    ("locale-empty", {"locale": ""}, ("locale",)),
    (
        "suggestedActions-action-without-type",
        {"suggestedActions": {"actions": [{"title": "Yes"}]}},
        ("suggestedActions", "actions", 0, "type"),
    ),
    (
        "suggestedActions-actions-a-string",
        {"suggestedActions": {"actions": "Yes"}},
        ("suggestedActions", "actions"),
    ),
    ("reaction-without-type", {"reactionsAdded": [{}]}, ("reactionsAdded", 0, "type")),
    (
        "textHighlight-occurrence-a-word",
        {"textHighlights": [{"text": "a", "occurrence": "one"}]},
        ("textHighlights", 0, "occurrence"),
    ),
    ("semanticAction-without-id", {"semanticAction": {"state": "start"}}, ("semanticAction", "id")),
    ("listenFor-a-string", {"listenFor": "yes"}, ("listenFor",)),
    (
        "relatesTo-without-conversation",
        {"relatesTo": {"activityId": "1"}},
        ("relatesTo", "conversation"),
    ),
]


@pytest.mark.parametrize(
    ("changes", "loc"),
    [pytest.param(changes, loc, id=case_id) for case_id, changes, loc in _WRONG_TYPES],
)
@pytest.mark.parametrize("mode", ["json", "python"])
def test_wrong_field_type_is_reported_at_the_field(
    changes: dict[str, Any], loc: tuple[str | int, ...], mode: str
) -> None:
    data = _with(**changes)
    errors = _errors_json(data) if mode == "json" else _errors_python(data)
    assert errors
    for error in errors:
        assert tuple(error["loc"][: len(loc)]) == loc, error


def test_entity_error_names_the_bad_inner_field() -> None:
    errors = _errors_json(_with(entities=[{"type": "mention", "mentioned": "bob"}]))
    assert any("mentioned" in error["loc"] for error in errors)
    errors = _errors_json(_with(entities=[{"type": "streaminfo", "streamSequence": "first"}]))
    assert any("streamSequence" in error["loc"] for error in errors)


def test_entity_without_type_has_a_clear_message() -> None:
    (error,) = _errors_json(_with(entities=[{"text": "x"}]))
    assert "type" in error["msg"]


# -- missing required values ----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["json", "python"])
def test_missing_type_is_reported_at_type(mode: str) -> None:
    data = {key: value for key, value in _BASE.items() if key != "type"}
    errors = _errors_json(data) if mode == "json" else _errors_python(data)
    assert [(error["loc"], error["type"]) for error in errors] == [(("type",), "missing")]


@pytest.mark.parametrize("bad", ["", None, 5, ["message"]])
def test_empty_or_non_string_type_is_reported_at_type(bad: Any) -> None:
    errors = _errors_json(_with(type=bad))
    assert [error["loc"] for error in errors] == [("type",)]


def test_missing_values_are_all_reported() -> None:
    data = _with(conversation={}, attachments=[{"name": "a.txt"}])
    del data["type"]
    locs = {tuple(error["loc"]) for error in _errors_json(data)}
    assert locs == {("type",), ("conversation", "id"), ("attachments", 0, "contentType")}


# -- channelId ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["", "   ", ":COPILOT", " :COPILOT"])
@pytest.mark.parametrize("mode", ["json", "python"])
def test_empty_channel_id_is_rejected_clearly(bad: str, mode: str) -> None:
    data = _with(channelId=bad)
    errors = _errors_json(data) if mode == "json" else _errors_python(data)
    assert all(error["loc"][0] == "channelId" for error in errors)
    assert any("empty" in error["msg"].lower() for error in errors), errors


@pytest.mark.parametrize("bad", [5, 1.5, True, ["msteams"], {"id": "msteams"}])
@pytest.mark.parametrize("mode", ["json", "python"])
def test_channel_id_of_wrong_type_is_rejected_clearly(bad: Any, mode: str) -> None:
    data = _with(channelId=bad)
    errors = _errors_json(data) if mode == "json" else _errors_python(data)
    assert all(error["loc"][0] == "channelId" for error in errors)
    assert any("string" in error["msg"].lower() for error in errors), errors


def test_channel_id_sub_channel_conflicting_with_product_info_is_a_validation_error() -> None:
    data = _with(channelId="msteams:COPILOT", entities=[{"type": "ProductInfo", "id": "OTHER"}])
    errors = _errors_json(data)
    assert len(errors) == 1
    assert "COPILOT" in errors[0]["msg"]
    assert "OTHER" in errors[0]["msg"]


@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
def test_channel_id_constructor_rejects_empty_value(value: str) -> None:
    with pytest.raises(ValueError, match=r"(?i)empty"):
        ChannelId(value)


def test_channel_id_constructor_rejects_empty_channel_keyword() -> None:
    with pytest.raises(ValueError, match=r"(?i)empty"):
        ChannelId(channel="")


def test_channel_id_constructor_rejects_colon_in_channel() -> None:
    with pytest.raises(TypeError, match="a:b") as info:
        ChannelId(channel="a:b")
    assert ":" in str(info.value)


def test_channel_id_constructor_rejects_value_and_keywords_together() -> None:
    with pytest.raises(ValueError):
        ChannelId("msteams", channel="msteams")
    with pytest.raises(ValueError):
        ChannelId("msteams", sub_channel="COPILOT")
