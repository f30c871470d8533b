"""``Activity._construct_valid``: the unvalidated fast path must build what validation builds."""

from __future__ import annotations

from typing import Any

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ChannelId,
    ConversationAccount,
)


def _reply_fields() -> dict[str, Any]:
    incoming = Activity.model_validate_json(
        b'{"type":"message","id":"in-1","channelId":"webchat","serviceUrl":"https://x.test/",'
        b'"from":{"id":"u","name":"User"},"recipient":{"id":"a","name":"Agent","role":"bot"},'
        b'"conversation":{"id":"c","tenantId":"t"},"locale":"en-US","text":"hi"}'
    )
    return {
        "type": "message",
        "text": "Echo: hi",
        "input_hint": "acceptingInput",
        "conversation": incoming.conversation,
        "channel_id": incoming.channel_id,
        "service_url": incoming.service_url,
        "locale": incoming.locale,
        "reply_to_id": incoming.id,
        "from_property": incoming.recipient,
        "recipient": incoming.from_property,
    }


def test_it_equals_the_validated_activity_field_by_field_and_on_the_wire() -> None:
    fields = _reply_fields()
    fast = Activity._construct_valid(fields)
    validated = Activity(**fields)
    assert type(fast) is Activity
    assert fast == validated
    assert fast.model_fields_set == validated.model_fields_set == set(fields)
    wire = {"by_alias": True, "exclude_unset": True}
    assert fast.model_dump(mode="json", **wire) == validated.model_dump(mode="json", **wire)
    assert fast.model_dump_json(**wire) == validated.model_dump_json(**wire)
    assert fast.entities is None and fast.request_id is None  # untouched fields: defaults
    assert isinstance(fast.channel_id, ChannelId) and isinstance(fast.recipient, ChannelAccount)
    assert isinstance(fast.conversation, ConversationAccount)


def test_it_behaves_like_any_activity_afterwards() -> None:
    fast = Activity._construct_valid(_reply_fields())
    fast.id = None  # assignment, copies and the reference helpers all work
    copy = fast.model_copy(deep=True)
    assert copy == fast and copy is not fast
    assert "id" in fast.model_fields_set
    reference = fast.get_conversation_reference()
    assert reference.conversation.id == "c" and reference.service_url == "https://x.test/"
    fast.channel_id = "msteams:COPILOT"  # a sub-channel set later is still mapped
    assert fast.model_dump(mode="json", by_alias=True, exclude_unset=True)["entities"] == [
        {"type": "ProductInfo", "id": "COPILOT"}
    ]


def test_every_field_but_type_defaults_to_none() -> None:
    # The fast path fills untouched fields with None: that must stay the model's default.
    for name, field in Activity.model_fields.items():
        if name == "type":
            assert field.is_required()
        else:
            assert not field.is_required() and field.default is None, name
