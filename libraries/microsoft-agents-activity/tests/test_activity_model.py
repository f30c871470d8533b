"""Spec conformance of ``AgentsModel`` and the ``Activity`` fields (activity.md §2, §3)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import microsoft_agents.activity as activity_package
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AgentsModel,
    Attachment,
    AttachmentData,
    AttachmentInfo,
    AttachmentView,
    CardAction,
    CardImage,
    ChannelAccount,
    ChannelId,
    ConversationAccount,
    ConversationMembers,
    ConversationParameters,
    ConversationReference,
    ConversationResourceResponse,
    ConversationsResult,
    DeliveryModes,
    ExpectedReplies,
    Fact,
    HeroCard,
    InputHints,
    InvokeResponse,
    MediaEventValue,
    MediaUrl,
    MessageReaction,
    PagedMembersResult,
    ReceiptItem,
    ResourceResponse,
    SemanticAction,
    SuggestedActions,
    TextHighlight,
    ThumbnailUrl,
    TokenResponse,
    Transcript,
)
from microsoft_agents.activity._model import NonEmptyString
from microsoft_agents.activity._model_utils import SkipIf, SkipNone, pick_model, pick_model_dict


def wire(model: BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


# A typical inbound Teams message (timestamps with the 7 fractional digits Teams sends).
TEAMS_MESSAGE: dict[str, Any] = {
    "text": "<at>Echo</at> hello there",
    "textFormat": "plain",
    "attachments": [
        {"contentType": "text/html", "content": "<div><at>Echo</at> hello there</div>"}
    ],
    "type": "message",
    "timestamp": "2024-05-01T10:20:30.1234567Z",
    "localTimestamp": "2024-05-01T12:20:30.1234567+02:00",
    "id": "1714558830123",
    "channelId": "msteams",
    "serviceUrl": "https://smba.trafficmanager.net/emea/",
    "from": {"id": "29:1abc", "name": "Jane Doe", "aadObjectId": "4f1c-aad"},
    "conversation": {
        "conversationType": "personal",
        "tenantId": "72f9-tenant",
        "id": "a:1xyz-conversation",
    },
    "recipient": {"id": "28:echo-bot", "name": "Echo"},
    "entities": [
        {
            "mentioned": {"id": "28:echo-bot", "name": "Echo"},
            "text": "<at>Echo</at>",
            "type": "mention",
        },
        {
            "locale": "en-US",
            "country": "US",
            "platform": "Web",
            "timezone": "Europe/Berlin",
            "type": "clientInfo",
        },
    ],
    "channelData": {
        "tenant": {"id": "72f9-tenant"},
        "source": {"name": "message"},
        "legacy": {"replyToId": "1:xyz"},
    },
    "locale": "en-US",
    "localTimezone": "Europe/Berlin",
}

# A typical inbound Web Chat / Direct Line message.
WEBCHAT_MESSAGE: dict[str, Any] = {
    "type": "message",
    "id": "Abc123-1|0000001",
    "timestamp": "2024-05-01T10:20:30.123Z",
    "serviceUrl": "https://directline.botframework.com/",
    "channelId": "webchat",
    "from": {"id": "dl_123", "name": "", "role": "user"},
    "conversation": {"id": "Abc123-1"},
    "recipient": {"id": "echo-bot@abc", "name": "echo-bot"},
    "textFormat": "plain",
    "locale": "en-US",
    "text": "hi",
    "attachments": [],
    "entities": [
        {
            "type": "ClientCapabilities",
            "requiresBotState": True,
            "supportsListening": True,
            "supportsTts": True,
        }
    ],
    "channelData": {"clientActivityID": "17145588", "clientTimestamp": "2024-05-01T10:20:30Z"},
}

# Every Activity field: python name -> wire key.
FIELD_ALIASES = {
    "type": "type",
    "id": "id",
    "timestamp": "timestamp",
    "local_timestamp": "localTimestamp",
    "local_timezone": "localTimezone",
    "service_url": "serviceUrl",
    "channel_id": "channelId",
    "from_property": "from",
    "conversation": "conversation",
    "recipient": "recipient",
    "text_format": "textFormat",
    "attachment_layout": "attachmentLayout",
    "members_added": "membersAdded",
    "members_removed": "membersRemoved",
    "reactions_added": "reactionsAdded",
    "reactions_removed": "reactionsRemoved",
    "topic_name": "topicName",
    "history_disclosed": "historyDisclosed",
    "locale": "locale",
    "text": "text",
    "speak": "speak",
    "input_hint": "inputHint",
    "summary": "summary",
    "suggested_actions": "suggestedActions",
    "attachments": "attachments",
    "entities": "entities",
    "channel_data": "channelData",
    "action": "action",
    "reply_to_id": "replyToId",
    "label": "label",
    "value_type": "valueType",
    "value": "value",
    "name": "name",
    "relates_to": "relatesTo",
    "code": "code",
    "expiration": "expiration",
    "importance": "importance",
    "delivery_mode": "deliveryMode",
    "listen_for": "listenFor",
    "text_highlights": "textHighlights",
    "semantic_action": "semanticAction",
    "caller_id": "callerId",
}

# One wire value per field, used to check both the Python name and the alias are accepted.
SAMPLE_WIRE: dict[str, Any] = {
    "type": "message",
    "id": "a-1",
    "timestamp": "2024-05-01T10:20:30.123456Z",
    "localTimestamp": "2024-05-01T03:20:30.123456-07:00",
    "localTimezone": "America/Los_Angeles",
    "serviceUrl": "https://service.example/",
    "channelId": "msteams",
    "from": {"id": "user-1", "name": "User"},
    "conversation": {"id": "conv-1"},
    "recipient": {"id": "bot-1", "name": "Bot"},
    "textFormat": "markdown",
    "attachmentLayout": "carousel",
    "membersAdded": [{"id": "user-2"}],
    "membersRemoved": [{"id": "user-3"}],
    "reactionsAdded": [{"type": "like"}],
    "reactionsRemoved": [{"type": "heart"}],
    "topicName": "Topic",
    "historyDisclosed": False,
    "locale": "en-US",
    "text": "hello",
    "speak": "<speak>hello</speak>",
    "inputHint": "acceptingInput",
    "summary": "a summary",
    "suggestedActions": {"to": ["user-1"], "actions": [{"type": "imBack", "title": "Yes"}]},
    "attachments": [{"contentType": "text/plain", "content": "x"}],
    "entities": [{"type": "custom", "someKey": 1}],
    "channelData": {"any": {"nested_key": [1, 2]}},
    "action": "add",
    "replyToId": "a-0",
    "label": "a label",
    "valueType": "dict",
    "value": {"snake_key": 1, "camelKey": [None, True]},
    "name": "some/name",
    "relatesTo": {"activityId": "a-0", "conversation": {"id": "conv-1"}},
    "code": "completedSuccessfully",
    "expiration": "2024-05-02T10:20:30Z",
    "importance": "high",
    "deliveryMode": "expectReplies",
    "listenFor": ["yes", "no"],
    "textHighlights": [{"text": "hello", "occurrence": 1}],
    "semanticAction": {"id": "sa-1", "entities": {"e": {"type": "x"}}, "state": "start"},
    "callerId": "urn:botframework:azure",
}


# -- AgentsModel -----------------------------------------------------------------------------


class _Sample(AgentsModel):
    some_field: str | None = None
    other_value: int | None = None
    third: NonEmptyString | None = None


def test_agents_model_camel_aliases_and_both_input_spellings() -> None:
    assert _Sample(some_field="a").some_field == "a"
    assert _Sample.model_validate({"someField": "a"}).some_field == "a"
    assert _Sample.model_validate({"some_field": "a"}).some_field == "a"
    assert wire(_Sample(some_field="a", other_value=2)) == {"someField": "a", "otherValue": 2}


def test_agents_model_ignores_unknown_keys() -> None:
    model = _Sample.model_validate({"someField": "a", "unknownKey": 1, "other": 2})
    assert model.model_extra is None
    assert wire(model) == {"someField": "a"}
    assert not hasattr(model, "unknownKey")


def test_non_empty_string_rejects_empty_but_accepts_none() -> None:
    with pytest.raises(ValidationError):
        _Sample(third="")
    assert _Sample(third=None).third is None
    assert _Sample(third="x").third == "x"


def test_pick_properties_copies_only_set_fields() -> None:
    original = _Sample(some_field="a")
    copy = _Sample.pick_properties(original)
    assert copy is not None
    assert copy is not original
    assert copy.model_fields_set == {"some_field"}
    assert wire(copy) == {"someField": "a"}


def test_pick_properties_intersects_fields_to_copy_and_adds_kwargs() -> None:
    original = _Sample(some_field="a", other_value=1)
    copy = _Sample.pick_properties(original, ["other_value", "third"], third="t")
    assert copy is not None
    assert copy.model_fields_set == {"other_value", "third"}
    assert (copy.some_field, copy.other_value, copy.third) == (None, 1, "t")


def test_pick_properties_kwargs_override_copied_values() -> None:
    copy = _Sample.pick_properties(_Sample(some_field="a"), some_field="b")
    assert copy is not None
    assert copy.some_field == "b"


def test_pick_properties_on_activity_keeps_set_fields_only() -> None:
    original = Activity(type="message", text="hi", locale="en-US")
    copy = Activity.pick_properties(original, ["type", "text"], id="new")
    assert copy is not None
    assert wire(copy) == {"type": "message", "text": "hi", "id": "new"}


def test_pick_properties_returns_none_for_falsy_original() -> None:
    assert _Sample.pick_properties(None) is None
    # TokenResponse is falsy without a token.
    assert TokenResponse.pick_properties(TokenResponse(connection_name="c")) is None


# -- _model_utils ----------------------------------------------------------------------------


def test_pick_model_dict_drops_skipped_values_and_unwraps_the_rest() -> None:
    out = pick_model_dict(
        a=SkipNone(None),
        b=SkipNone(0),
        c=None,
        d=SkipIf("", lambda v: not v),
        e=SkipIf("kept", lambda v: not v),
    )
    assert out == {"b": 0, "c": None, "e": "kept"}


def test_pick_model_leaves_skipped_fields_unset() -> None:
    activity = pick_model(
        Activity,
        type="message",
        text=SkipNone(None),
        locale=SkipNone("en-US"),
        name=SkipIf("n", lambda v: v == "n"),
        id=SkipIf("a-1", lambda v: v == "n"),
    )
    assert isinstance(activity, Activity)
    assert activity.model_fields_set == {"type", "locale", "id"}
    assert wire(activity) == {"type": "message", "locale": "en-US", "id": "a-1"}


def test_skip_if_predicate_is_evaluated_on_the_wrapped_value() -> None:
    seen: list[Any] = []
    wrapped = SkipIf(5, lambda v: seen.append(v) or v > 3)
    assert wrapped.skipped() is True
    assert seen == [5]
    assert SkipNone(None).skipped() is True
    assert SkipNone(False).skipped() is False


# -- Activity fields -------------------------------------------------------------------------


def test_type_is_required() -> None:
    with pytest.raises(ValidationError):
        Activity()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Activity.model_validate({"text": "hi"})


def test_type_must_not_be_empty() -> None:
    with pytest.raises(ValidationError):
        Activity(type="")


def test_only_type_is_set_by_default() -> None:
    activity = Activity(type="message")
    assert activity.model_fields_set == {"type"}
    assert wire(activity) == {"type": "message"}
    for name in FIELD_ALIASES:
        if name != "type":
            assert getattr(activity, name) is None, name
    assert activity.request_id is None


def test_field_aliases_match_the_wire_names() -> None:
    fields = Activity.model_fields
    for name, alias in FIELD_ALIASES.items():
        assert name in fields, name
        assert (fields[name].alias or name) == alias, name


def test_every_field_parses_from_its_wire_key_and_round_trips() -> None:
    activity = Activity.model_validate(SAMPLE_WIRE)
    assert set(activity.model_fields_set) == set(FIELD_ALIASES)
    assert wire(activity) == SAMPLE_WIRE
    assert json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True)) == SAMPLE_WIRE


def test_every_field_parses_from_its_python_name() -> None:
    by_alias = Activity.model_validate(SAMPLE_WIRE)
    by_name = Activity.model_validate(
        {name: SAMPLE_WIRE[alias] for name, alias in FIELD_ALIASES.items()}
    )
    assert by_name == by_alias


def test_from_alias_and_from_property_name() -> None:
    by_alias = Activity(type="message", **{"from": {"id": "u1"}})
    by_name = Activity(type="message", from_property=ChannelAccount(id="u1"))
    assert by_alias.from_property == by_name.from_property == ChannelAccount(id="u1")
    assert wire(by_name) == {"type": "message", "from": {"id": "u1"}}
    python_dump = by_name.model_dump(exclude_unset=True)
    assert python_dump == {"type": "message", "from_property": {"id": "u1"}}


def test_typed_sub_models() -> None:
    activity = Activity.model_validate(SAMPLE_WIRE)
    assert isinstance(activity.from_property, ChannelAccount)
    assert isinstance(activity.recipient, ChannelAccount)
    assert isinstance(activity.conversation, ConversationAccount)
    assert isinstance(activity.channel_id, ChannelId)
    assert isinstance(activity.relates_to, ConversationReference)
    assert isinstance(activity.suggested_actions, SuggestedActions)
    assert isinstance(activity.suggested_actions.actions[0], CardAction)
    assert isinstance(activity.attachments, list)
    assert isinstance(activity.attachments[0], Attachment)
    assert isinstance(activity.reactions_added, list)
    assert isinstance(activity.reactions_added[0], MessageReaction)
    assert isinstance(activity.text_highlights, list)
    assert isinstance(activity.text_highlights[0], TextHighlight)
    assert isinstance(activity.semantic_action, SemanticAction)
    assert isinstance(activity.timestamp, datetime)
    assert isinstance(activity.expiration, datetime)
    assert activity.history_disclosed is False


def test_channel_data_and_value_are_kept_verbatim() -> None:
    data = {"snake_key": {"inner_key": 1}, "camelKey": [1, {"x_y": None}]}
    activity = Activity.model_validate({"type": "event", "channelData": data, "value": data})
    assert activity.channel_data == data
    assert activity.value == data
    assert wire(activity) == {"type": "event", "channelData": data, "value": data}


def test_non_dict_value_is_kept() -> None:
    for value in ("text", 3, [1, "a"], True):
        assert Activity(type="event", value=value).value == value


NON_EMPTY_ACTIVITY_FIELDS = [
    "id",
    "local_timezone",
    "service_url",
    "channel_id",
    "text_format",
    "attachment_layout",
    "topic_name",
    "locale",
    "input_hint",
    "summary",
    "action",
    "reply_to_id",
    "label",
    "value_type",
    "name",
    "code",
    "importance",
    "delivery_mode",
    "caller_id",
]


@pytest.mark.parametrize("name", NON_EMPTY_ACTIVITY_FIELDS)
def test_optional_strings_reject_empty_string(name: str) -> None:
    with pytest.raises(ValidationError):
        Activity.model_validate({"type": "message", name: ""})
    with pytest.raises(ValidationError):
        Activity.model_validate({"type": "message", FIELD_ALIASES[name]: ""})


@pytest.mark.parametrize("name", NON_EMPTY_ACTIVITY_FIELDS)
def test_optional_strings_accept_none(name: str) -> None:
    activity = Activity.model_validate({"type": "message", name: None})
    assert getattr(activity, name) is None


def test_listen_for_items_reject_empty_string() -> None:
    with pytest.raises(ValidationError):
        Activity(type="message", listen_for=[""])


def test_text_and_speak_accept_empty_string() -> None:
    activity = Activity(type="message", text="", speak="")
    assert activity.text == ""
    assert activity.speak == ""
    assert wire(activity) == {"type": "message", "text": "", "speak": ""}


def test_channel_account_name_and_card_text_accept_empty_string() -> None:
    assert ChannelAccount(name="").name == ""
    assert HeroCard(text="").text == ""
    with pytest.raises(ValidationError):
        ChannelAccount(id="")


def test_request_id_is_never_serialised() -> None:
    activity = Activity(type="message", request_id="req-1")
    assert activity.request_id == "req-1"
    for dump in (
        activity.model_dump(),
        activity.model_dump(by_alias=True),
        activity.model_dump(mode="json", by_alias=True, exclude_unset=True),
    ):
        assert "request_id" not in dump
        assert "requestId" not in dump
    assert "req" not in activity.model_dump_json(by_alias=True)


def test_request_id_given_on_input_is_not_reemitted() -> None:
    activity = Activity.model_validate({"type": "message", "requestId": "from-wire"})
    assert "requestId" not in wire(activity)


def test_timestamp_with_seven_fractional_digits_is_accepted_and_reemitted_with_six() -> None:
    activity = Activity.model_validate_json(
        '{"type":"message","timestamp":"2024-05-01T10:20:30.1234567Z"}'
    )
    assert activity.timestamp == datetime(2024, 5, 1, 10, 20, 30, 123456, tzinfo=timezone.utc)
    assert wire(activity)["timestamp"] == "2024-05-01T10:20:30.123456Z"
    from_python = Activity.model_validate(
        {"type": "message", "timestamp": "2024-05-01T10:20:30.1234567Z"}
    )
    assert from_python.timestamp == activity.timestamp


def test_local_timestamp_keeps_its_offset() -> None:
    activity = Activity.model_validate(
        {"type": "message", "localTimestamp": "2024-05-01T12:20:30.1234567+02:00"}
    )
    assert activity.local_timestamp is not None
    assert activity.local_timestamp.utcoffset() == timedelta(hours=2)
    assert wire(activity)["localTimestamp"] == "2024-05-01T12:20:30.123456+02:00"


def test_expiration_is_a_datetime() -> None:
    activity = Activity.model_validate({"type": "message", "expiration": "2030-01-01T00:00:00Z"})
    assert activity.expiration == datetime(2030, 1, 1, tzinfo=timezone.utc)


def test_invalid_timestamp_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Activity.model_validate({"type": "message", "timestamp": "yesterday"})


def test_unknown_top_level_keys_are_ignored() -> None:
    activity = Activity.model_validate({"type": "message", "text": "x", "madeUpKey": {"a": 1}})
    assert activity.model_extra is None
    assert activity.model_fields_set == {"type", "text"}
    assert wire(activity) == {"type": "message", "text": "x"}


def test_explicit_none_is_set_and_emitted_as_null() -> None:
    activity = Activity.model_validate({"type": "message", "text": None})
    assert "text" in activity.model_fields_set
    assert wire(activity) == {"type": "message", "text": None}


def test_assignment_marks_a_field_as_set() -> None:
    activity = Activity(type="message")
    activity.text = "later"
    activity.locale = "fr-FR"
    assert activity.model_fields_set == {"type", "text", "locale"}
    assert wire(activity) == {"type": "message", "text": "later", "locale": "fr-FR"}


def test_exclude_unset_omits_defaults_of_nested_models() -> None:
    activity = Activity(type="message", conversation=ConversationAccount(id="c"))
    assert wire(activity) == {"type": "message", "conversation": {"id": "c"}}


def test_model_copy_keeps_fields_set() -> None:
    activity = Activity(type="message", text="hi")
    copy = activity.model_copy(update={"locale": "en-US"})
    assert copy.model_fields_set == {"type", "text", "locale"}
    assert copy.text == "hi"


def test_enum_values_serialise_as_plain_strings() -> None:
    activity = Activity(
        type=ActivityTypes.message,
        input_hint=InputHints.expecting_input,
        delivery_mode=DeliveryModes.expect_replies,
    )
    expected = {
        "type": "message",
        "inputHint": "expectingInput",
        "deliveryMode": "expectReplies",
    }
    assert wire(activity) == expected
    assert json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True)) == expected
    assert activity.type == "message"


@pytest.mark.parametrize("payload", [TEAMS_MESSAGE, WEBCHAT_MESSAGE], ids=["teams", "webchat"])
def test_inbound_payload_keeps_every_top_level_key(payload: dict[str, Any]) -> None:
    activity = Activity.model_validate_json(json.dumps(payload))
    out = json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True))
    assert set(out) == set(payload)
    for key, value in payload.items():
        if key in {"timestamp", "localTimestamp"}:
            continue
        assert out[key] == value, key


def test_inbound_payload_round_trips_through_python_mode() -> None:
    activity = Activity.model_validate(TEAMS_MESSAGE)
    again = Activity.model_validate(activity.model_dump(by_alias=True, exclude_unset=True))
    assert again == activity
    assert again.model_fields_set == activity.model_fields_set


def test_webchat_timestamp_reemitted_with_microseconds() -> None:
    activity = Activity.model_validate(WEBCHAT_MESSAGE)
    assert wire(activity)["timestamp"] == "2024-05-01T10:20:30.123000Z"


def test_activity_list_fields_hold_typed_members() -> None:
    activity = Activity.model_validate(
        {
            "type": "conversationUpdate",
            "membersAdded": [{"id": "a", "name": "A", "role": "user"}],
            "membersRemoved": [{"id": "b"}],
        }
    )
    assert activity.members_added == [ChannelAccount(id="a", name="A", role="user")]
    assert activity.members_removed == [ChannelAccount(id="b")]


# -- §5 supporting models: accounts and conversations -------------------------------------------


def test_channel_account_fields_and_wire_names() -> None:
    account = ChannelAccount(
        id="u1",
        name="User",
        aad_object_id="aad",
        role="user",
        agentic_user_id="au",
        agentic_app_id="app",
        tenant_id="t",
    )
    assert wire(account) == {
        "id": "u1",
        "name": "User",
        "aadObjectId": "aad",
        "role": "user",
        "agenticUserId": "au",
        "agenticAppId": "app",
        "tenantId": "t",
    }
    assert ChannelAccount.model_validate(wire(account)) == account


def test_channel_account_keeps_unknown_keys_as_properties() -> None:
    account = ChannelAccount.model_validate(
        {"id": "u1", "userPrincipalName": "u@x", "email": "e@x", "given_name": "G"}
    )
    expected = {"userPrincipalName": "u@x", "email": "e@x", "given_name": "G"}
    assert account.properties == expected
    assert account.model_extra == expected
    assert wire(account) == {"id": "u1", **expected}
    assert ChannelAccount(id="x").properties == {}


@pytest.mark.parametrize(
    "field", ["id", "aad_object_id", "role", "agentic_user_id", "agentic_app_id", "tenant_id"]
)
def test_channel_account_optional_strings_reject_empty(field: str) -> None:
    with pytest.raises(ValidationError):
        ChannelAccount.model_validate({field: ""})


def test_conversation_account_fields() -> None:
    conversation = ConversationAccount(
        is_group=True,
        conversation_type="channel",
        id="c1",
        name="General",
        aad_object_id="aad",
        role="bot",
        tenant_id="t",
        properties={"k": "v"},
    )
    assert wire(conversation) == {
        "isGroup": True,
        "conversationType": "channel",
        "id": "c1",
        "name": "General",
        "aadObjectId": "aad",
        "role": "bot",
        "tenantId": "t",
        "properties": {"k": "v"},
    }


def test_conversation_account_id_is_required_and_extras_are_dropped() -> None:
    with pytest.raises(ValidationError):
        ConversationAccount()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        ConversationAccount(id="")
    conversation = ConversationAccount.model_validate({"id": "c", "madeUp": 1})
    assert wire(conversation) == {"id": "c"}


def test_conversation_reference_agent_uses_bot_alias() -> None:
    reference = ConversationReference(
        activity_id="a",
        user=ChannelAccount(id="u"),
        agent=ChannelAccount(id="b"),
        conversation=ConversationAccount(id="c"),
        channel_id="msteams",
        locale="en-US",
        service_url="https://s/",
    )
    out = wire(reference)
    assert out == {
        "activityId": "a",
        "user": {"id": "u"},
        "bot": {"id": "b"},
        "conversation": {"id": "c"},
        "channelId": "msteams",
        "locale": "en-US",
        "serviceUrl": "https://s/",
    }
    parsed = ConversationReference.model_validate(out)
    assert parsed.agent == ChannelAccount(id="b")
    assert parsed == reference
    by_bot_kw = ConversationReference(bot=ChannelAccount(id="b"), conversation={"id": "c"})
    assert by_bot_kw.agent == ChannelAccount(id="b")


def test_conversation_reference_requires_conversation_and_hides_request_id() -> None:
    with pytest.raises(ValidationError):
        ConversationReference()  # type: ignore[call-arg]
    reference = ConversationReference(conversation={"id": "c"}, request_id="r")
    assert reference.request_id == "r"
    assert wire(reference) == {"conversation": {"id": "c"}}


def test_conversation_parameters() -> None:
    params = ConversationParameters(
        is_group=False,
        agent=ChannelAccount(id="b"),
        members=[ChannelAccount(id="u")],
        topic_name="Topic",
        activity=Activity(type="message", text="first"),
        channel_data={"tenant": {"id": "t"}},
        tenant_id="t",
        conversation=ConversationAccount(id="c"),
    )
    out = wire(params)
    assert out == {
        "isGroup": False,
        "bot": {"id": "b"},
        "members": [{"id": "u"}],
        "topicName": "Topic",
        "activity": {"type": "message", "text": "first"},
        "channelData": {"tenant": {"id": "t"}},
        "tenantId": "t",
        "conversation": {"id": "c"},
    }
    parsed = ConversationParameters.model_validate(out)
    assert parsed.agent == ChannelAccount(id="b")
    assert isinstance(parsed.activity, Activity)


def test_small_response_envelopes() -> None:
    assert wire(ConversationResourceResponse(activity_id="a", service_url="s", id="i")) == {
        "activityId": "a",
        "serviceUrl": "s",
        "id": "i",
    }
    result = ConversationsResult.model_validate(
        {"continuationToken": "tok", "conversations": [{"id": "c", "members": [{"id": "m"}]}]}
    )
    assert result.continuation_token == "tok"
    assert result.conversations is not None
    assert isinstance(result.conversations[0], ConversationMembers)
    assert result.conversations[0].members == [ChannelAccount(id="m")]
    paged = PagedMembersResult.model_validate({"continuationToken": "t", "members": [{"id": "m"}]})
    assert paged.members == [ChannelAccount(id="m")]
    assert wire(ResourceResponse(id="r")) == {"id": "r"}


def test_expected_replies_and_transcript_hold_activities() -> None:
    payload = {
        "activities": [
            {"type": "message", "text": "a"},
            {
                "type": "message",
                "channelId": "msteams",
                "entities": [{"type": "ProductInfo", "id": "X"}],
            },
        ]
    }
    for cls in (ExpectedReplies, Transcript):
        parsed = cls.model_validate(payload)
        assert parsed.activities is not None
        assert all(isinstance(a, Activity) for a in parsed.activities)
        assert parsed.activities[1].channel_id == "msteams:X"
        assert wire(parsed) == payload


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, False),
        (100, False),
        (199, False),
        (200, True),
        (204, True),
        (299, True),
        (300, False),
    ],
)
def test_invoke_response_success_range(status: int | None, expected: bool) -> None:
    assert InvokeResponse(status=status).is_successful_status_code() is expected


def test_invoke_response_wire_form() -> None:
    response = InvokeResponse(status=200, body={"any_key": [1]})
    assert wire(response) == {"status": 200, "body": {"any_key": [1]}}


# -- §5 supporting models: content ----------------------------------------------------------------


def test_attachment() -> None:
    with pytest.raises(ValidationError):
        Attachment()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Attachment(content_type="")
    attachment = Attachment(
        content_type="image/png",
        content_url="https://img",
        content={"k": 1},
        name="pic.png",
        thumbnail_url="https://thumb",
    )
    assert wire(attachment) == {
        "contentType": "image/png",
        "contentUrl": "https://img",
        "content": {"k": 1},
        "name": "pic.png",
        "thumbnailUrl": "https://thumb",
    }


def test_attachment_data_info_and_view() -> None:
    data = AttachmentData(type="image/png", name="a", original_base64=b"raw", thumbnail_base64=b"t")
    assert data.original_base64 == b"raw"
    assert set(wire(data)) == {"type", "name", "originalBase64", "thumbnailBase64"}
    info = AttachmentInfo.model_validate(
        {"name": "n", "type": "t", "views": [{"viewId": "original", "size": 12}]}
    )
    assert info.views == [AttachmentView(view_id="original", size=12)]
    assert wire(info) == {"name": "n", "type": "t", "views": [{"viewId": "original", "size": 12}]}


def test_message_reaction_type_required() -> None:
    with pytest.raises(ValidationError):
        MessageReaction()  # type: ignore[call-arg]
    assert wire(MessageReaction(type="like")) == {"type": "like"}


def test_card_action_type_and_title_required() -> None:
    with pytest.raises(ValidationError):
        CardAction(type="imBack")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        CardAction(title="t")  # type: ignore[call-arg]
    action = CardAction(
        type="messageBack",
        title="Go",
        image="https://i",
        text="go",
        display_text="Go!",
        value={"k": 1},
        channel_data={"c": 1},
        image_alt_text="alt",
    )
    assert wire(action) == {
        "type": "messageBack",
        "title": "Go",
        "image": "https://i",
        "text": "go",
        "displayText": "Go!",
        "value": {"k": 1},
        "channelData": {"c": 1},
        "imageAltText": "alt",
    }


def test_suggested_actions_defaults_and_builders() -> None:
    actions = SuggestedActions()
    assert actions.to == []
    assert actions.actions == []
    assert SuggestedActions().to is not actions.to
    yes, no, maybe = (CardAction(type="imBack", title=t) for t in ("Yes", "No", "Maybe"))
    assert actions.add_action(yes) is actions
    assert actions.add_actions(no, maybe) is actions
    assert actions.add_recipients("u1", "u2") is actions
    assert actions.actions == [yes, no, maybe]
    assert actions.to == ["u1", "u2"]
    assert wire(actions) == {
        "to": ["u1", "u2"],
        "actions": [
            {"type": "imBack", "title": "Yes"},
            {"type": "imBack", "title": "No"},
            {"type": "imBack", "title": "Maybe"},
        ],
    }
    assert SuggestedActions().to == []


def test_card_parts() -> None:
    image = CardImage(url="u", alt="a", tap=CardAction(type="openUrl", title="t", value="v"))
    assert wire(image) == {
        "url": "u",
        "alt": "a",
        "tap": {"type": "openUrl", "title": "t", "value": "v"},
    }
    assert wire(TextHighlight(text="t", occurrence=2)) == {"text": "t", "occurrence": 2}
    assert wire(Fact(key="k", value="v")) == {"key": "k", "value": "v"}
    assert wire(MediaUrl(url="u", profile="p")) == {"url": "u", "profile": "p"}
    assert wire(ThumbnailUrl(url="u", alt="a")) == {"url": "u", "alt": "a"}
    item = ReceiptItem(
        title="t",
        subtitle="s",
        text="x",
        image=CardImage(url="u"),
        price="$1",
        quantity="2",
        tap=CardAction(type="imBack", title="b"),
    )
    assert wire(item) == {
        "title": "t",
        "subtitle": "s",
        "text": "x",
        "image": {"url": "u"},
        "price": "$1",
        "quantity": "2",
        "tap": {"type": "imBack", "title": "b"},
    }
    assert wire(MediaEventValue(card_value={"a": 1})) == {"cardValue": {"a": 1}}


def test_semantic_action() -> None:
    with pytest.raises(ValidationError):
        SemanticAction()  # type: ignore[call-arg]
    action = SemanticAction.model_validate(
        {"id": "sa", "entities": {"e1": {"type": "x", "k": 1}}, "state": "done"}
    )
    assert action.entities == {"e1": {"type": "x", "k": 1}}
    assert wire(action) == {"id": "sa", "entities": {"e1": {"type": "x", "k": 1}}, "state": "done"}


@pytest.mark.parametrize(
    ("cls", "field"),
    [
        ("ConversationReference", "activity_id"),
        ("ConversationReference", "locale"),
        ("ConversationReference", "service_url"),
        ("ConversationResourceResponse", "activity_id"),
        ("Attachment", "content_url"),
        ("Attachment", "name"),
        ("CardAction", "image"),
        ("MediaUrl", "url"),
        ("TextHighlight", "text"),
        ("SemanticAction", "state"),
    ],
)
def test_supporting_models_reject_empty_optional_strings(cls: str, field: str) -> None:
    base: dict[str, Any] = {
        "ConversationReference": {"conversation": {"id": "c"}},
        "Attachment": {"content_type": "t"},
        "CardAction": {"type": "imBack", "title": "t"},
        "SemanticAction": {"id": "s"},
    }.get(cls, {})
    model = getattr(activity_package, cls)
    assert model.model_validate(base)
    with pytest.raises(ValidationError):
        model.model_validate({**base, field: ""})


def test_attachment_data_bytes_travel_as_standard_base64() -> None:
    from microsoft_agents.activity import AttachmentData

    raw = b"\x89PNG\xff\x00\xfb"
    data = AttachmentData(type="image/png", name="x.png", original_base64=raw)
    wire = data.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert wire == {"type": "image/png", "name": "x.png", "originalBase64": "iVBOR/8A+w=="}
    assert AttachmentData.model_validate(wire).original_base64 == raw
    assert (
        AttachmentData.model_validate_json(data.model_dump_json(by_alias=True)).original_base64
        == raw
    )
    with pytest.raises(ValidationError):
        AttachmentData.model_validate({"originalBase64": "not base64!"})
