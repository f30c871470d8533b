"""Property tests for the ``Activity`` wire form.

1. Generated wire-form activities (random subsets of fields with valid values, unknown keys in
   accounts and entities, arbitrary JSON in ``channelData``/``value``) come back *exactly* from
   ``parse -> model_dump(mode="json", by_alias=True, exclude_unset=True)``. Date-times are
   generated in the canonical form the package writes (six fractional digits, ``Z`` or
   ``+HH:MM``), so no normalisation is needed.
2. Arbitrary JSON values, strings and bytes fed to ``Activity.model_validate_json`` /
   ``Activity.model_validate`` never raise anything but ``pydantic.ValidationError``.
"""

from __future__ import annotations

import contextlib
import json
import string
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    Entity,
    EntityTypes,
    Mention,
    StreamInfo,
)

_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- building blocks ------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
json_objects = st.dictionaries(st.text(max_size=10), json_values, max_size=5)

text = st.text(max_size=30)
non_empty = st.text(min_size=1, max_size=30)
ids = non_empty | st.uuids().map(str) | st.from_regex(r"\A(29|28):[A-Za-z0-9_-]{8,40}\Z")


channel_names = st.sampled_from(
    ["msteams", "webchat", "directline", "emulator", "directlinespeech", "test", "agents"]
) | st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=1, max_size=12)
sub_channels = st.sampled_from(["COPILOT", "OUTLOOK", "WORD"]) | st.text(
    alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=10
)


@st.composite
def canonical_datetimes(draw: st.DrawFn) -> str:
    """A date-time string in the form the package writes back (6 fractional digits)."""
    moment = draw(
        st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
    ).replace(microsecond=draw(st.integers(1, 999_999)))
    offset_minutes = draw(st.sampled_from([0, 0, 60, -300, 330, 345, -480, 540, 840, -720]))
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if offset_minutes == 0:
        return stamp + "Z"
    sign = "+" if offset_minutes > 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{stamp}{sign}{hours:02d}:{minutes:02d}"


def _reserved(*models: type[BaseModel]) -> frozenset[str]:
    names: set[str] = set()
    for model in models:
        for name, field in model.model_fields.items():
            names.add(name)
            if field.alias:
                names.add(field.alias)
    return frozenset(names)


_EXTRA_KEY_SAMPLES = [
    "snake_case_key",
    "camelKey",
    "PascalKey",
    "@context",
    "@id",
    "@type",
    "x-custom",
    "key with spaces",
    "ünïcödé",
    "$ref",
]


def extra_keys(reserved: frozenset[str]) -> st.SearchStrategy[str]:
    # Keys starting with ``at_`` are the documented Python spelling of ``@`` keys on
    # entities, so they are not expected to come back unchanged.
    return (st.sampled_from(_EXTRA_KEY_SAMPLES) | st.text(min_size=1, max_size=12)).filter(
        lambda key: key not in reserved and not key.startswith("at_")
    )


def extras(reserved: frozenset[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(extra_keys(reserved), json_values, max_size=3)


def _object(
    required: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]],
    reserved: frozenset[str] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    base = st.fixed_dictionaries(required, optional=optional)
    if reserved is None:
        return base
    return st.tuples(base, extras(reserved)).map(lambda pair: {**pair[1], **pair[0]})


accounts = _object(
    {},
    {
        "id": ids,
        "name": text,
        "aadObjectId": st.uuids().map(str),
        "role": st.sampled_from(["user", "bot", "skill", "agenticUser", "agenticAppInstance"]),
        "agenticUserId": non_empty,
        "agenticAppId": non_empty,
        "tenantId": st.uuids().map(str),
    },
    _reserved(ChannelAccount),
)
conversations = _object(
    {"id": ids},
    {
        "isGroup": st.booleans(),
        "conversationType": st.sampled_from(["personal", "channel", "groupChat"]),
        "name": non_empty,
        "aadObjectId": st.uuids().map(str),
        "role": non_empty,
        "tenantId": st.uuids().map(str),
        "properties": json_values,
    },
)
full_channel_ids = st.builds(
    lambda base, sub: base if sub is None else f"{base}:{sub}",
    channel_names,
    st.none() | sub_channels,
)
conversation_references = _object(
    {"conversation": conversations},
    {
        "activityId": non_empty,
        "user": accounts,
        "bot": accounts,
        "channelId": full_channel_ids,
        "locale": non_empty,
        "serviceUrl": non_empty,
    },
)
card_actions = _object(
    {"type": st.sampled_from(["imBack", "postBack", "openUrl", "messageBack"]), "title": text},
    {
        "image": non_empty,
        "text": text,
        "displayText": text,
        "value": json_values,
        "channelData": json_values,
        "imageAltText": non_empty,
    },
)
attachments = _object(
    {"contentType": non_empty},
    {"contentUrl": non_empty, "content": json_values, "name": non_empty, "thumbnailUrl": non_empty},
)

mentions = _object(
    {"type": st.just("mention")},
    {"mentioned": accounts, "text": text},
    _reserved(Mention),
)
stream_infos = _object(
    {"type": st.just("streaminfo")},
    {
        "streamType": st.sampled_from(["informative", "streaming", "final"]),
        "streamSequence": st.integers(min_value=1, max_value=10_000),
        "streamId": text,
        "streamResult": st.sampled_from(["", "success", "error"]),
        "feedbackLoopEnabled": st.booleans(),
        "feedbackLoop": json_objects,
    },
    _reserved(StreamInfo),
)
_KNOWN_ENTITY_TYPES = frozenset(kind.value.casefold() for kind in EntityTypes)
unknown_entity_types = (
    st.sampled_from(["clientInfo", "ClientCapabilities", "x-contoso/tracking"]) | non_empty
).filter(lambda value: value.casefold() not in _KNOWN_ENTITY_TYPES)
unknown_entities = _object({"type": unknown_entity_types}, {}, _reserved(Entity))
citations = _object(
    {
        "@type": st.just("Claim"),
        "position": st.integers(min_value=0, max_value=50),
        "appearance": _object(
            {"@type": st.just("DigitalDocument")},
            {
                "name": text,
                "url": non_empty,
                "abstract": text,
                "text": text,
                "keywords": st.lists(text, max_size=3),
            },
        ),
    },
    {},
)
ai_entities = _object(
    {
        "type": st.just("https://schema.org/Message"),
        "@type": st.just("Message"),
        "@context": st.just("https://schema.org"),
    },
    {
        "@id": text,
        "id": text,
        "additionalType": st.just(["AIGeneratedContent"]),
        "citation": st.lists(citations, max_size=2),
        "usageInfo": _object(
            {"@type": st.just("CreativeWork")}, {"name": text, "description": text}
        ),
    },
)
entities = st.lists(mentions | stream_infos | unknown_entities | ai_entities, max_size=4)

_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "id": non_empty,
    "timestamp": canonical_datetimes(),
    "localTimestamp": canonical_datetimes(),
    "localTimezone": st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Tokyo"]),
    "serviceUrl": st.sampled_from(
        ["https://smba.trafficmanager.net/emea/", "https://webchat.botframework.com/"]
    )
    | non_empty,
    "from": accounts,
    "conversation": conversations,
    "recipient": accounts,
    "textFormat": st.sampled_from(["plain", "markdown", "xml"]),
    "attachmentLayout": st.sampled_from(["list", "carousel"]),
    "membersAdded": st.lists(accounts, max_size=3),
    "membersRemoved": st.lists(accounts, max_size=3),
    "reactionsAdded": st.lists(st.fixed_dictionaries({"type": non_empty}), max_size=3),
    "reactionsRemoved": st.lists(st.fixed_dictionaries({"type": non_empty}), max_size=3),
    "topicName": non_empty,
    "historyDisclosed": st.booleans(),
    "locale": st.sampled_from(["en-US", "de-DE", "ja-JP"]) | non_empty,
    "text": text,
    "speak": text,
    "inputHint": st.sampled_from(["acceptingInput", "ignoringInput", "expectingInput"]),
    "summary": non_empty,
    "suggestedActions": _object(
        {}, {"to": st.lists(non_empty, max_size=2), "actions": st.lists(card_actions, max_size=3)}
    ),
    "attachments": st.lists(attachments, max_size=3),
    "channelData": json_values,
    "action": st.sampled_from(["add", "remove", "add-upgrade", "remove-upgrade"]),
    "replyToId": non_empty,
    "label": non_empty,
    "valueType": non_empty,
    "value": json_values,
    "name": non_empty,
    "relatesTo": conversation_references,
    "code": st.sampled_from(["completedSuccessfully", "userCancelled", "botTimedOut"]),
    "expiration": canonical_datetimes(),
    "importance": st.sampled_from(["low", "normal", "high"]),
    "deliveryMode": st.sampled_from(["normal", "expectReplies", "stream", "ephemeral"]),
    "listenFor": st.lists(non_empty, max_size=3),
    "textHighlights": st.lists(
        _object({}, {"text": non_empty, "occurrence": st.integers(0, 100)}), max_size=2
    ),
    "semanticAction": _object(
        {"id": non_empty}, {"entities": json_objects, "state": st.sampled_from(["start", "done"])}
    ),
    "callerId": non_empty,
}
activity_types = (
    st.sampled_from(
        ["message", "typing", "event", "invoke", "conversationUpdate", "trace", "handoff"]
    )
    | non_empty
)


@st.composite
def wire_activities(draw: st.DrawFn) -> dict[str, Any]:
    """A wire-form activity with a random subset of fields, all holding valid values."""
    activity = draw(st.fixed_dictionaries({"type": activity_types}, optional=_FIELDS))
    entity_list = draw(st.none() | entities)
    channel = draw(st.none() | channel_names)
    if channel is not None:
        activity["channelId"] = channel
        # A sub-channel travels as one ProductInfo entity next to the base channel.
        sub = draw(st.none() | sub_channels)
        if sub is not None:
            entity_list = list(entity_list or [])
            position = draw(st.integers(0, len(entity_list)))
            entity_list.insert(position, {"type": "ProductInfo", "id": sub})
    if entity_list is not None:
        activity["entities"] = entity_list
    return activity


def _exact(value: Any) -> str:
    # Key order is irrelevant; everything else (including int vs float) must match.
    return json.dumps(value, sort_keys=True)


# -- property 1: lossless round trip -------------------------------------------------------


@_SETTINGS
@given(wire_activities())
def test_generated_activity_round_trips_exactly(wire: dict[str, Any]) -> None:
    raw = json.dumps(wire)
    activity = Activity.model_validate_json(raw)
    dumped = activity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert _exact(dumped) == _exact(wire)
    as_json = activity.model_dump_json(by_alias=True, exclude_unset=True)
    assert _exact(json.loads(as_json)) == _exact(wire)
    again = Activity.model_validate_json(as_json).model_dump_json(by_alias=True, exclude_unset=True)
    assert again == as_json


@_SETTINGS
@given(wire_activities())
def test_generated_activity_round_trips_from_python_dict(wire: dict[str, Any]) -> None:
    activity = Activity.model_validate(json.loads(json.dumps(wire)))
    dumped = activity.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert _exact(dumped) == _exact(wire)


# -- property 2: nothing but ValidationError -----------------------------------------------

_ACTIVITY_KEYS = sorted(
    {field.alias or name for name, field in Activity.model_fields.items()} | {"from"}
)


@st.composite
def near_activities(draw: st.DrawFn) -> dict[str, Any]:
    """Activity-shaped dicts whose fields hold either a valid value or arbitrary JSON."""
    keys = draw(st.lists(st.sampled_from(_ACTIVITY_KEYS), unique=True, max_size=8))
    data: dict[str, Any] = {}
    for key in keys:
        valid = _FIELDS.get(key)
        if key == "type":
            valid = activity_types
        elif key == "entities":
            valid = st.lists(
                mentions
                | stream_infos
                | unknown_entities
                | ai_entities
                | _object({"type": st.just("ProductInfo")}, {"id": text})
                | json_values,
                max_size=3,
            )
        elif key == "channelId":
            valid = full_channel_ids | text
        data[key] = draw(json_values if valid is None else valid | json_values)
    return data


def _parse_python(value: Any) -> None:
    with contextlib.suppress(ValidationError):
        Activity.model_validate(value)


def _parse_json(raw: str | bytes) -> None:
    with contextlib.suppress(ValidationError):
        Activity.model_validate_json(raw)


@_SETTINGS
@given(json_values | json_objects | near_activities())
def test_arbitrary_json_only_raises_validation_error(value: Any) -> None:
    _parse_python(value)
    _parse_json(json.dumps(value))


@_SETTINGS
@given(near_activities())
def test_activity_shaped_input_only_raises_validation_error(value: dict[str, Any]) -> None:
    _parse_python(value)
    _parse_json(json.dumps(value))
    _parse_json(json.dumps(value).encode("utf-16"))


@_SETTINGS
@given(near_activities())
def test_whatever_parses_can_be_written_back(value: dict[str, Any]) -> None:
    try:
        activity = Activity.model_validate_json(json.dumps(value))
    except ValidationError:
        return
    first = activity.model_dump_json(by_alias=True, exclude_unset=True)
    second = Activity.model_validate_json(first).model_dump_json(by_alias=True, exclude_unset=True)
    assert second == first


@_SETTINGS
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_bytes_and_text_only_raise_validation_error(raw: str | bytes) -> None:
    _parse_json(raw)
