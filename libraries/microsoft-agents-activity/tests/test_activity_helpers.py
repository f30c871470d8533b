"""Spec conformance of the ``Activity`` helper methods (activity.md §3.1-§3.4)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel

from microsoft_agents.activity import (
    Activity,
    ActivityTreatment,
    ActivityTypes,
    AIEntity,
    Attachment,
    CardAction,
    ChannelAccount,
    ChannelId,
    ClientCitation,
    ClientCitationAppearance,
    ConversationAccount,
    ConversationReference,
    Entity,
    Mention,
    ProductInfo,
    ResourceResponse,
    RoleTypes,
    SensitivityUsageInfo,
    SuggestedActions,
)


def wire(model: BaseModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def inbound(**overrides: Any) -> Activity:
    data: dict[str, Any] = {
        "type": "message",
        "id": "act-1",
        "channelId": "msteams",
        "serviceUrl": "https://smba.example/",
        "locale": "en-US",
        "from": {"id": "user-1", "name": "User", "aadObjectId": "aad-1", "role": "user"},
        "recipient": {"id": "bot-1", "name": "Bot", "role": "bot"},
        "conversation": {
            "id": "conv-1",
            "name": "Team chat",
            "isGroup": True,
            "conversationType": "groupChat",
            "tenantId": "tenant-1",
        },
        "text": "hello",
    }
    data.update(overrides)
    return Activity.model_validate(data)


# -- 3.1 factories ---------------------------------------------------------------------------

FACTORIES: list[tuple[Callable[[], Activity], str]] = [
    (Activity.create_message_activity, "message"),
    (Activity.create_typing_activity, "typing"),
    (Activity.create_event_activity, "event"),
    (Activity.create_invoke_activity, "invoke"),
    (Activity.create_handoff_activity, "handoff"),
    (Activity.create_conversation_update_activity, "conversationUpdate"),
    (Activity.create_end_of_conversation_activity, "endOfConversation"),
    (Activity.create_contact_relation_update_activity, "contactRelationUpdate"),
]


@pytest.mark.parametrize(("factory", "activity_type"), FACTORIES)
def test_factories_set_only_the_type(factory: Callable[[], Activity], activity_type: str) -> None:
    activity = factory()
    assert isinstance(activity, Activity)
    assert activity.type == activity_type
    assert activity.model_fields_set == {"type"}
    assert wire(activity) == {"type": activity_type}


def test_factories_return_new_instances() -> None:
    first = Activity.create_message_activity()
    first.text = "changed"
    assert Activity.create_message_activity().text is None


def test_create_trace_activity_infers_value_type_from_truthy_value() -> None:
    activity = Activity.create_trace_activity("MyTrace", {"a": 1})
    assert wire(activity) == {
        "type": "trace",
        "name": "MyTrace",
        "valueType": "dict",
        "value": {"a": 1},
    }
    assert Activity.create_trace_activity("t", [1]).value_type == "list"
    assert Activity.create_trace_activity("t", 7).value_type == "int"


def test_create_trace_activity_infers_the_class_name_of_custom_objects() -> None:
    class Payload:
        def __bool__(self) -> bool:
            return True

    activity = Activity.create_trace_activity("t", Payload())
    assert activity.value_type == "Payload"


def test_create_trace_activity_does_not_infer_for_falsy_value() -> None:
    for value in (0, "", [], {}):
        activity = Activity.create_trace_activity("t", value)
        assert activity.value_type is None
    bare = Activity.create_trace_activity("t")
    assert bare.value is None
    assert bare.value_type is None
    assert wire(bare) == {"type": "trace", "name": "t"}


def test_create_trace_activity_explicit_value_type_and_label_win() -> None:
    activity = Activity.create_trace_activity("t", {"a": 1}, value_type="my/type", label="L")
    assert activity.value_type == "my/type"
    assert activity.label == "L"
    assert activity.is_trace()


# -- 3.2 create_reply ------------------------------------------------------------------------


def test_create_reply_field_set() -> None:
    before = datetime.now(timezone.utc)
    reply = inbound().create_reply("pong")
    after = datetime.now(timezone.utc)
    assert reply.model_fields_set == {
        "type",
        "timestamp",
        "from_property",
        "recipient",
        "reply_to_id",
        "service_url",
        "channel_id",
        "conversation",
        "text",
        "locale",
        "attachments",
        "entities",
    }
    out = wire(reply)
    out.pop("timestamp")
    assert out == {
        "type": "message",
        "from": {"id": "bot-1", "name": "Bot"},
        "recipient": {"id": "user-1", "name": "User"},
        "replyToId": "act-1",
        "serviceUrl": "https://smba.example/",
        "channelId": "msteams",
        "conversation": {"id": "conv-1", "name": "Team chat", "isGroup": True},
        "text": "pong",
        "locale": "en-US",
        "attachments": [],
        "entities": [],
    }
    assert reply.timestamp is not None
    assert reply.timestamp.utcoffset() == timedelta(0)
    assert before <= reply.timestamp <= after


def test_create_reply_defaults_text_to_empty_string_and_can_override_locale() -> None:
    source = inbound()
    assert source.create_reply().text == ""
    assert source.create_reply(locale="de-DE").locale == "de-DE"
    assert source.create_reply().locale == "en-US"


def test_create_reply_does_not_share_objects_with_the_source() -> None:
    source = inbound()
    reply = source.create_reply()
    assert reply.from_property is not source.recipient
    assert reply.conversation is not source.conversation
    assert reply.from_property is not None
    reply.from_property.name = "renamed"
    assert source.recipient is not None
    assert source.recipient.name == "Bot"


def test_create_reply_leaves_missing_fields_unset() -> None:
    reply = Activity(type="message").create_reply()
    assert reply.model_fields_set == {"type", "timestamp", "text", "attachments", "entities"}
    out = wire(reply)
    assert set(out) == {"type", "timestamp", "text", "attachments", "entities"}
    assert None not in out.values()


def test_create_reply_copies_only_id_and_name_of_accounts() -> None:
    source = inbound(
        **{
            "from": {"id": "user-1", "aadObjectId": "aad"},
            "recipient": {"name": "Bot only name"},
        }
    )
    reply = source.create_reply()
    assert wire(reply)["recipient"] == {"id": "user-1"}
    assert wire(reply)["from"] == {"name": "Bot only name"}


@pytest.mark.parametrize("channel", ["directline", "webchat"])
def test_create_reply_to_conversation_update_on_directline_or_webchat_has_no_reply_to(
    channel: str,
) -> None:
    source = inbound(type="conversationUpdate", channelId=channel)
    reply = source.create_reply("welcome")
    assert reply.reply_to_id is None
    assert "reply_to_id" not in reply.model_fields_set
    assert "replyToId" not in wire(reply)


@pytest.mark.parametrize(
    ("activity_type", "channel"),
    [("conversationUpdate", "msteams"), ("message", "webchat"), ("message", "directline")],
)
def test_create_reply_keeps_reply_to_elsewhere(activity_type: str, channel: str) -> None:
    reply = inbound(type=activity_type, channelId=channel).create_reply()
    assert reply.reply_to_id == "act-1"


def test_create_reply_keeps_sub_channel() -> None:
    source = inbound(channelId="msteams", entities=[{"type": "ProductInfo", "id": "COPILOT"}])
    reply = source.create_reply("x")
    assert reply.channel_id == "msteams:COPILOT"
    out = wire(reply)
    assert out["channelId"] == "msteams"
    assert out["entities"] == [{"type": "ProductInfo", "id": "COPILOT"}]


def test_create_trace_is_addressed_like_a_reply() -> None:
    trace = inbound().create_trace("Dbg", {"k": 1}, label="lbl")
    out = wire(trace)
    out.pop("timestamp")
    assert out == {
        "type": "trace",
        "from": {"id": "bot-1", "name": "Bot"},
        "recipient": {"id": "user-1", "name": "User"},
        "replyToId": "act-1",
        "serviceUrl": "https://smba.example/",
        "channelId": "msteams",
        "conversation": {"id": "conv-1", "name": "Team chat", "isGroup": True},
        "locale": "en-US",
        "name": "Dbg",
        "label": "lbl",
        "valueType": "dict",
        "value": {"k": 1},
    }


def test_create_trace_without_value_leaves_value_fields_unset() -> None:
    trace = inbound().create_trace("Dbg")
    assert trace.is_trace()
    assert {"value", "value_type", "label"}.isdisjoint(trace.model_fields_set)
    assert inbound().create_trace("Dbg", 0).value_type is None
    assert inbound().create_trace("Dbg", {"a": 1}, value_type="vt").value_type == "vt"


# -- 3.2 conversation references --------------------------------------------------------------


def test_get_conversation_reference_copies_addressing_fields() -> None:
    source = inbound()
    reference = source.get_conversation_reference()
    assert isinstance(reference, ConversationReference)
    assert reference.activity_id == "act-1"
    assert reference.user == source.from_property
    assert reference.agent == source.recipient
    assert reference.conversation == source.conversation
    assert reference.channel_id == "msteams"
    assert reference.locale == "en-US"
    assert reference.service_url == "https://smba.example/"
    out = wire(reference)
    assert out["bot"] == {"id": "bot-1", "name": "Bot", "role": "bot"}
    assert out["user"]["aadObjectId"] == "aad-1"
    assert "agent" not in out


def test_get_conversation_reference_leaves_missing_fields_unset() -> None:
    reference = Activity(
        type="message", conversation=ConversationAccount(id="c")
    ).get_conversation_reference()
    assert wire(reference) == {"conversation": {"id": "c"}}


@pytest.mark.parametrize("channel", ["directline", "webchat"])
def test_get_conversation_reference_skips_activity_id_for_conversation_update(
    channel: str,
) -> None:
    reference = inbound(type="conversationUpdate", channelId=channel).get_conversation_reference()
    assert reference.activity_id is None
    assert "activityId" not in wire(reference)


def test_get_conversation_reference_keeps_full_channel_unless_forced_to_base() -> None:
    source = inbound(channelId="msteams:COPILOT")
    full = source.get_conversation_reference()
    assert full.channel_id == "msteams:COPILOT"
    assert wire(full)["channelId"] == "msteams:COPILOT"
    base = source.get_conversation_reference(force_base_channel=True)
    assert base.channel_id == "msteams"
    assert wire(base)["channelId"] == "msteams"
    assert source.get_conversation_reference(force_base_channel=False).channel_id == (
        "msteams:COPILOT"
    )


def test_get_conversation_reference_copies_request_id() -> None:
    source = inbound()
    source.request_id = "req-7"
    reference = source.get_conversation_reference()
    assert reference.request_id == "req-7"
    assert "requestId" not in wire(reference)
    assert "request_id" not in reference.model_dump()


def test_get_reply_conversation_reference_points_at_the_reply() -> None:
    source = inbound()
    reference = source.get_reply_conversation_reference(ResourceResponse(id="reply-9"))
    assert reference.activity_id == "reply-9"
    assert reference.conversation == source.conversation
    assert source.id == "act-1"


def reference() -> ConversationReference:
    return ConversationReference(
        activity_id="act-1",
        user=ChannelAccount(id="user-1", name="User"),
        agent=ChannelAccount(id="bot-1", name="Bot"),
        conversation=ConversationAccount(id="conv-1"),
        channel_id="msteams",
        locale="en-GB",
        service_url="https://smba.example/",
    )


def test_apply_conversation_reference_outgoing() -> None:
    activity = Activity(type="message", text="proactive")
    result = activity.apply_conversation_reference(reference())
    assert result is activity
    assert wire(activity) == {
        "type": "message",
        "text": "proactive",
        "channelId": "msteams",
        "serviceUrl": "https://smba.example/",
        "conversation": {"id": "conv-1"},
        "locale": "en-GB",
        "from": {"id": "bot-1", "name": "Bot"},
        "recipient": {"id": "user-1", "name": "User"},
        "replyToId": "act-1",
    }
    assert activity.id is None


def test_apply_conversation_reference_incoming() -> None:
    activity = Activity(type="message")
    activity.apply_conversation_reference(reference(), is_incoming=True)
    assert activity.from_property == ChannelAccount(id="user-1", name="User")
    assert activity.recipient == ChannelAccount(id="bot-1", name="Bot")
    assert activity.id == "act-1"
    assert activity.reply_to_id is None
    assert activity.conversation == ConversationAccount(id="conv-1")
    assert activity.channel_id == "msteams"
    assert activity.service_url == "https://smba.example/"


def test_apply_conversation_reference_without_activity_id_or_locale() -> None:
    ref = reference()
    ref.activity_id = None
    ref.locale = None
    outgoing = Activity(type="message", locale="fr-FR", reply_to_id="old")
    outgoing.apply_conversation_reference(ref)
    assert outgoing.locale == "fr-FR"
    assert outgoing.reply_to_id == "old"
    incoming = Activity(type="message", id="keep")
    incoming.apply_conversation_reference(ref, is_incoming=True)
    assert incoming.id == "keep"


def test_apply_conversation_reference_keeps_the_recipient_of_a_targeted_activity() -> None:
    target = ChannelAccount(id="someone-else")
    activity = Activity(type="message", recipient=target).make_targeted_activity()
    activity.apply_conversation_reference(reference())
    assert activity.recipient == target
    assert activity.from_property == ChannelAccount(id="bot-1", name="Bot")

    untargeted = Activity(type="message", recipient=target)
    untargeted.apply_conversation_reference(reference())
    assert untargeted.recipient == ChannelAccount(id="user-1", name="User")


def test_apply_conversation_reference_with_sub_channel() -> None:
    ref = reference()
    ref.channel_id = ChannelId("msteams:COPILOT")
    activity = Activity(type="message").apply_conversation_reference(ref)
    assert isinstance(activity.channel_id, ChannelId)
    assert activity.channel_id.sub_channel == "COPILOT"
    out = wire(activity)
    assert out["channelId"] == "msteams"
    assert out["entities"] == [{"type": "ProductInfo", "id": "COPILOT"}]


def test_reference_round_trip_through_an_activity() -> None:
    source = inbound()
    activity = Activity(type="message").apply_conversation_reference(
        source.get_conversation_reference(), is_incoming=True
    )
    assert activity.get_conversation_reference() == source.get_conversation_reference()


def test_get_continuation_activity() -> None:
    ref = reference()
    activity = ref.get_continuation_activity()
    assert activity.type == "event"
    assert activity.name == "ContinueConversation"
    assert activity.id is not None
    uuid.UUID(activity.id)
    assert ref.get_continuation_activity().id != activity.id
    assert activity.channel_id == "msteams"
    assert activity.service_url == "https://smba.example/"
    assert activity.conversation == ref.conversation
    assert activity.recipient == ref.agent
    assert activity.from_property == ref.user
    assert activity.relates_to == ref
    out = wire(activity)
    assert out["relatesTo"]["bot"] == {"id": "bot-1", "name": "Bot"}
    assert out["from"] == {"id": "user-1", "name": "User"}


def test_get_continuation_activity_keeps_sub_channel() -> None:
    ref = ConversationReference(conversation=ConversationAccount(id="c"), channel_id="a:b")
    activity = ref.get_continuation_activity()
    assert isinstance(activity.channel_id, ChannelId)
    assert activity.channel_id.sub_channel == "b"
    assert "recipient" not in wire(activity)


# -- 3.3 type accessors ------------------------------------------------------------------------

PREDICATES = {
    "is_message": "message",
    "is_event": "event",
    "is_invoke": "invoke",
    "is_typing": "typing",
    "is_conversation_update": "conversationUpdate",
    "is_end_of_conversation": "endOfConversation",
    "is_handoff": "handoff",
    "is_trace": "trace",
    "is_command": "command",
    "is_command_result": "commandResult",
}

ACCESSORS = {
    "as_message_activity": "message",
    "as_typing_activity": "typing",
    "as_event_activity": "event",
    "as_invoke_activity": "invoke",
    "as_conversation_update_activity": "conversationUpdate",
    "as_end_of_conversation_activity": "endOfConversation",
    "as_handoff_activity": "handoff",
    "as_installation_update_activity": "installationUpdate",
    "as_message_update_activity": "messageUpdate",
    "as_message_delete_activity": "messageDelete",
    "as_message_reaction_activity": "messageReaction",
    "as_suggestion_activity": "suggestion",
    "as_trace_activity": "trace",
    "as_contact_relation_update_activity": "contactRelationUpdate",
}


@pytest.mark.parametrize(("method", "kind"), PREDICATES.items())
def test_predicates(method: str, kind: str) -> None:
    for variant in (kind, kind.upper(), kind.lower(), f"{kind}/sub", f"{kind.upper()}/Sub/x"):
        assert getattr(Activity(type=variant), method)() is True, variant
    for other in {*PREDICATES.values(), *ACCESSORS.values()} - {kind}:
        assert getattr(Activity(type=other), method)() is False, other
    assert getattr(Activity(type=f"{kind}x"), method)() is False
    assert getattr(Activity(type=f"x{kind}"), method)() is False


@pytest.mark.parametrize(("method", "kind"), ACCESSORS.items())
def test_accessors(method: str, kind: str) -> None:
    for variant in (kind, kind.upper(), f"{kind}/anything"):
        activity = Activity(type=variant)
        assert getattr(activity, method)() is activity
    for other in set(ACCESSORS.values()) - {kind}:
        assert getattr(Activity(type=other), method)() is None, other


def test_enum_types_are_recognised() -> None:
    assert Activity(type=ActivityTypes.invoke).is_invoke()
    assert Activity(type=ActivityTypes.message_update).as_message_update_activity() is not None


# -- 3.4 content helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, False),
        ({"text": ""}, False),
        ({"text": "  \n\t"}, False),
        ({"text": "x"}, True),
        ({"summary": "   "}, False),
        ({"summary": "s"}, True),
        ({"attachments": []}, False),
        ({"attachments": [Attachment(content_type="text/plain")]}, True),
        ({"channel_data": {}}, False),
        ({"channel_data": {"k": 1}}, True),
        ({"value": {"k": 1}, "speak": "hi"}, False),
    ],
)
def test_has_content(fields: dict[str, Any], expected: bool) -> None:
    assert Activity(type="message", **fields).has_content() is expected


@pytest.mark.parametrize(
    ("service_url", "expected"),
    [
        ("https://smba.example/", False),
        ("http://localhost:3978", False),
        ("HTTPS://UPPER.example", False),
        ("urn:botframework:namedpipe:x", True),
        ("wss://socket", True),
    ],
)
def test_is_from_streaming_connection(service_url: str, expected: bool) -> None:
    activity = Activity(type="message", service_url=service_url)
    assert activity.is_from_streaming_connection() is expected


def test_fluent_setters_return_self_and_set_fields() -> None:
    actions = SuggestedActions(actions=[CardAction(type="imBack", title="Yes")])
    activity = Activity(type="message")
    result = (
        activity.with_text("t")
        .with_speak("s")
        .with_input_hint("acceptingInput")
        .with_summary("sum")
        .with_locale("en-US")
        .with_text_format("markdown")
        .with_attachment_layout("carousel")
        .with_delivery_mode("expectReplies")
        .with_name("n")
        .with_value({"a": 1}, "vt")
        .with_suggested_actions(actions)
    )
    assert result is activity
    assert wire(activity) == {
        "type": "message",
        "text": "t",
        "speak": "s",
        "inputHint": "acceptingInput",
        "summary": "sum",
        "locale": "en-US",
        "textFormat": "markdown",
        "attachmentLayout": "carousel",
        "deliveryMode": "expectReplies",
        "name": "n",
        "value": {"a": 1},
        "valueType": "vt",
        "suggestedActions": {"actions": [{"type": "imBack", "title": "Yes"}]},
    }


def test_with_value_without_type_leaves_value_type_unset() -> None:
    activity = Activity(type="event").with_value([1, 2])
    assert activity.value == [1, 2]
    assert "value_type" not in activity.model_fields_set


def test_with_recipient_string_becomes_a_user_account() -> None:
    activity = Activity(type="message")
    assert activity.with_recipient("user-9") is activity
    assert activity.recipient == ChannelAccount(id="user-9", role="user")
    account = ChannelAccount(id="acc", name="A")
    assert activity.with_recipient(account).recipient is account


def test_with_targeted_recipient_marks_once() -> None:
    activity = Activity(type="message", entities=[Mention(text="m")])
    result = activity.with_targeted_recipient("user-1").with_targeted_recipient(
        ChannelAccount(id="user-2")
    )
    assert result is activity
    assert activity.recipient == ChannelAccount(id="user-2")
    assert activity.is_targeted_activity()
    treatments = [e for e in activity.entities or [] if isinstance(e, ActivityTreatment)]
    assert len(treatments) == 1
    assert wire(activity)["entities"] == [
        {"type": "mention", "text": "m"},
        {"type": "activityTreatment", "treatment": "targeted"},
    ]


def test_add_text_appends() -> None:
    activity = Activity(type="message")
    assert activity.add_text("a") is activity
    activity.add_text("b")
    assert activity.text == "ab"
    assert Activity(type="message", text="x ").add_text("y").text == "x y"


def test_add_attachment_and_add_entity_append_and_create_lists() -> None:
    first, second, third = (Attachment(content_type=f"t/{i}") for i in range(3))
    activity = Activity(type="message")
    assert activity.add_attachment(first) is activity
    activity.add_attachment(second, third)
    assert activity.attachments == [first, second, third]

    mention, other = Mention(text="m"), Entity(type="custom")
    assert activity.add_entity(mention) is activity
    activity.add_entity(other)
    assert activity.entities == [mention, other]
    assert wire(activity)["entities"] == [{"type": "mention", "text": "m"}, {"type": "custom"}]


# -- mentions ------------------------------------------------------------------------------------


def test_get_mentions_filters_case_insensitively_and_converts() -> None:
    activity = Activity.model_validate(
        {
            "type": "message",
            "entities": [
                {"type": "Mention", "mentioned": {"id": "a"}, "text": "<at>A</at>"},
                {"type": "clientInfo", "locale": "en"},
                {"type": "MENTION", "mentioned": {"id": "b"}},
            ],
        }
    )
    mentions = activity.get_mentions()
    assert [type(m) for m in mentions] == [Mention, Mention]
    assert [m.mentioned.id for m in mentions if m.mentioned] == ["a", "b"]
    assert Activity(type="message").get_mentions() == []
    assert Activity(type="message", entities=[]).get_mentions() == []


def test_get_mentions_converts_plain_entities() -> None:
    plain = Entity(type="mention", mentioned={"id": "a", "name": "A"}, text="<at>A</at>")
    activity = Activity(type="message")
    activity.entities = [plain]
    (mention,) = activity.get_mentions()
    assert isinstance(mention, Mention)
    assert mention.mentioned == ChannelAccount(id="a", name="A")
    assert mention.text == "<at>A</at>"


def test_add_mention_prepends_markup_and_adds_entity() -> None:
    account = ChannelAccount(id="u1", name="Jane")
    activity = Activity(type="message", text="hi")
    assert activity.add_mention(account) is activity
    assert activity.text == "<at>Jane</at> hi"
    assert wire(activity)["entities"] == [
        {"type": "mention", "mentioned": {"id": "u1", "name": "Jane"}, "text": "<at>Jane</at>"}
    ]


def test_add_mention_with_custom_text_and_without_text_change() -> None:
    account = ChannelAccount(id="u1", name="Jane")
    fresh = Activity(type="message").add_mention(account, text="J")
    assert fresh.text == "<at>J</at>"
    kept = Activity(type="message", text="hi").add_mention(account, add_text=False)
    assert kept.text == "hi"
    (mention,) = kept.get_mentions()
    assert mention.text == "<at>Jane</at>"


def test_get_account_mention_and_is_recipient_mentioned() -> None:
    bot = ChannelAccount(id="bot", name="Bot")
    activity = Activity(type="message", recipient=bot, text="x")
    assert activity.is_recipient_mentioned() is False
    assert activity.get_account_mention("bot") is None
    activity.add_mention(ChannelAccount(id="other", name="O"))
    assert activity.is_recipient_mentioned() is False
    activity.add_mention(bot)
    found = activity.get_account_mention("bot")
    assert found is not None
    assert found.text == "<at>Bot</at>"
    assert activity.is_recipient_mentioned() is True
    assert Activity(type="message").is_recipient_mentioned() is False
    assert activity.get_account_mention(None) is None


def test_remove_mention_text_case_insensitive_every_occurrence() -> None:
    activity = Activity.model_validate(
        {
            "type": "message",
            "text": "<AT>Bot</AT> hello <at>bot</at> ",
            "entities": [{"type": "mention", "mentioned": {"id": "b"}, "text": "<at>Bot</at>"}],
        }
    )
    result = activity.remove_mention_text("b")
    assert result == "hello"
    assert activity.text == "hello"


def test_remove_mention_text_falls_back_to_the_name() -> None:
    activity = Activity.model_validate(
        {
            "type": "message",
            "text": "<at>Echo Bot</at>  do it",
            "entities": [{"type": "mention", "mentioned": {"id": "b", "name": "Echo Bot"}}],
        }
    )
    assert activity.remove_mention_text("b") == "do it"


def test_remove_mention_text_treats_the_text_literally() -> None:
    activity = Activity(
        type="message",
        text="a.b (bot) [x]",
        entities=[Mention(mentioned=ChannelAccount(id="b"), text="(bot)")],
    )
    assert activity.remove_mention_text("b") == "a.b  [x]"


def test_remove_mention_text_only_for_that_account() -> None:
    activity = Activity(
        type="message",
        text="<at>A</at> <at>B</at> hi",
        entities=[
            Mention(mentioned=ChannelAccount(id="a"), text="<at>A</at>"),
            Mention(mentioned=ChannelAccount(id="b"), text="<at>B</at>"),
        ],
    )
    assert activity.remove_mention_text("b") == "<at>A</at>  hi"
    assert activity.remove_mention_text("missing") == "<at>A</at>  hi"


def test_remove_mention_text_returns_empty_string_not_none() -> None:
    mentioned = Activity(
        type="message",
        entities=[Mention(mentioned=ChannelAccount(id="b"), text="<at>B</at>")],
    )
    assert mentioned.remove_mention_text("b") == ""
    assert Activity(type="message").remove_mention_text("b") == ""
    assert Activity(type="message").remove_recipient_mention() == ""


def test_remove_recipient_mention() -> None:
    activity = Activity(type="message", text="hi", recipient=ChannelAccount(id="bot", name="Bot"))
    activity.add_mention(ChannelAccount(id="bot", name="Bot"))
    activity.add_mention(ChannelAccount(id="u", name="U"))
    assert activity.text == "<at>U</at> <at>Bot</at> hi"
    assert activity.remove_recipient_mention() == "<at>U</at>  hi"
    assert activity.text == "<at>U</at>  hi"


# -- targeting -------------------------------------------------------------------------------


def test_is_targeted_activity() -> None:
    assert Activity(type="message").is_targeted_activity() is False
    parsed = Activity.model_validate(
        {"type": "message", "entities": [{"type": "activityTreatment", "treatment": "targeted"}]}
    )
    assert parsed.is_targeted_activity() is True
    other = Activity.model_validate(
        {"type": "message", "entities": [{"type": "activityTreatment", "treatment": "other"}]}
    )
    assert other.is_targeted_activity() is False


def test_make_targeted_activity_requires_a_recipient() -> None:
    with pytest.raises(ValueError):
        Activity(type="message").make_targeted_activity()


def test_make_targeted_activity_adds_the_marker_once() -> None:
    activity = Activity(type="message", recipient=ChannelAccount(id="r"))
    assert activity.make_targeted_activity() is activity
    activity.make_targeted_activity()
    assert wire(activity)["entities"] == [{"type": "activityTreatment", "treatment": "targeted"}]
    assert activity.recipient == ChannelAccount(id="r")


def test_make_targeted_activity_with_user_sets_the_recipient() -> None:
    activity = Activity(type="message").make_targeted_activity(ChannelAccount(id="u1"))
    assert activity.recipient == ChannelAccount(id="u1")
    assert activity.is_targeted_activity()
    activity.make_targeted_activity(ChannelAccount(id="u2"))
    assert activity.recipient == ChannelAccount(id="u2")
    assert len(activity.entities or []) == 1


# -- AI metadata -----------------------------------------------------------------------------

SPEC_AI_ENTITY = {
    "type": "https://schema.org/Message",
    "@type": "Message",
    "@context": "https://schema.org",
    "id": "",
    "additionalType": ["AIGeneratedContent"],
    "citation": [
        {
            "@type": "Claim",
            "position": 1,
            "appearance": {
                "@type": "DigitalDocument",
                "name": "Doc",
                "abstract": "…",
                "url": "…",
            },
        }
    ],
    "usageInfo": {"@type": "CreativeWork", "name": "Internal"},
}


def test_add_ai_metadata_wire_shape_matches_the_spec_example() -> None:
    activity = Activity(type="message", text="answer [1]")
    citation = ClientCitation(
        position=1, appearance=ClientCitationAppearance(name="Doc", abstract="…", url="…")
    )
    activity.add_ai_metadata(citations=[citation], usage_info=SensitivityUsageInfo(name="Internal"))
    (entity,) = activity.entities or []
    assert isinstance(entity, AIEntity)
    out = json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True))
    assert out["entities"] == [SPEC_AI_ENTITY]
    assert list(out["entities"][0])[:5] == ["type", "@type", "@context", "id", "additionalType"]


def test_add_ai_metadata_always_appends() -> None:
    activity = Activity(type="message", entities=[Mention(text="m")])
    activity.add_ai_metadata()
    activity.add_ai_metadata(citations=[])
    assert [type(e) for e in activity.entities or []] == [Mention, AIEntity, AIEntity]
    out = wire(activity)["entities"][1]
    assert out["type"] == "https://schema.org/Message"
    assert out["@type"] == "Message"
    assert out["@context"] == "https://schema.org"
    assert out["additionalType"] == ["AIGeneratedContent"]
    assert out["id"] == ""
    assert "citation" not in out and "usageInfo" not in out
    assert wire(activity)["entities"][2]["citation"] == []


def test_ai_metadata_round_trips_to_ai_entity() -> None:
    parsed = Activity.model_validate({"type": "message", "entities": [SPEC_AI_ENTITY]})
    (entity,) = parsed.entities or []
    assert isinstance(entity, AIEntity)
    assert entity.citation is not None
    assert entity.citation[0].appearance.name == "Doc"
    assert entity.usage_info is not None
    assert entity.usage_info.name == "Internal"
    assert wire(parsed)["entities"] == [SPEC_AI_ENTITY]


def test_get_product_info_entity() -> None:
    assert Activity(type="message").get_product_info_entity() is None
    parsed = Activity.model_validate(
        {
            "type": "message",
            "channelId": "msteams",
            "entities": [{"type": "mention"}, {"type": "productInfo", "id": "COPILOT"}],
        }
    )
    product = parsed.get_product_info_entity()
    assert isinstance(product, ProductInfo)
    assert product.id == "COPILOT"


# -- agentic helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [RoleTypes.agentic_identity, RoleTypes.agentic_user])
def test_agentic_request(role: RoleTypes) -> None:
    activity = Activity(
        type="message",
        recipient=ChannelAccount(
            id="r", role=role, agentic_app_id="app-1", agentic_user_id="au-1", tenant_id="t-r"
        ),
        conversation=ConversationAccount(id="c", tenant_id="t-c"),
    )
    assert activity.is_agentic_request() is True
    assert activity.get_agentic_instance_id() == "app-1"
    assert activity.get_agentic_user() == "au-1"
    assert activity.get_agentic_tenant_id() == "t-r"


def test_agentic_tenant_falls_back_to_the_conversation() -> None:
    activity = Activity.model_validate(
        {
            "type": "message",
            "recipient": {"id": "r", "role": "agenticAppInstance", "agenticAppId": "app"},
            "conversation": {"id": "c", "tenantId": "t-c"},
        }
    )
    assert activity.get_agentic_tenant_id() == "t-c"
    assert activity.get_agentic_user() is None


@pytest.mark.parametrize("role", [None, "user", "bot", "skill", "agenticappinstance"])
def test_non_agentic_requests_return_none(role: str | None) -> None:
    activity = Activity(
        type="message",
        recipient=ChannelAccount(
            id="r", role=role, agentic_app_id="app", agentic_user_id="au", tenant_id="t"
        ),
        conversation=ConversationAccount(id="c", tenant_id="t-c"),
    )
    assert activity.is_agentic_request() is False
    assert activity.get_agentic_instance_id() is None
    assert activity.get_agentic_user() is None
    assert activity.get_agentic_tenant_id() is None


def test_agentic_helpers_without_recipient() -> None:
    activity = Activity(type="message")
    assert activity.is_agentic_request() is False
    assert activity.get_agentic_tenant_id() is None
