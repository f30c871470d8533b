"""``Activity``: one message, event or command exchanged between a channel and an agent."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from ._accounts import ConversationParameters, ConversationReference, ExpectedReplies, Transcript
from ._activity_fields import ActivityFields
from ._activity_reply import ActivityReplyMixin
from ._enums import ActivityTypes

__all__ = ["Activity"]


class Activity(ActivityReplyMixin, ActivityFields):
    """One message, event or command exchanged between a channel and an agent.

    Only ``type`` is required. Fields left unset are not written by
    ``model_dump(by_alias=True, exclude_unset=True)``, which is the wire form.

    ``channel_id`` may carry a sub-channel (``msteams:COPILOT``). On the wire the sub-channel
    travels as a ``ProductInfo`` entity and ``channelId`` holds the base channel only.
    """

    model_config = ConfigDict(defer_build=False)

    # -- factories ---------------------------------------------------------------------------

    @staticmethod
    def create_message_activity() -> Activity:
        return Activity(type=ActivityTypes.message)

    @staticmethod
    def create_typing_activity() -> Activity:
        return Activity(type=ActivityTypes.typing)

    @staticmethod
    def create_event_activity() -> Activity:
        return Activity(type=ActivityTypes.event)

    @staticmethod
    def create_invoke_activity() -> Activity:
        return Activity(type=ActivityTypes.invoke)

    @staticmethod
    def create_handoff_activity() -> Activity:
        return Activity(type=ActivityTypes.handoff)

    @staticmethod
    def create_conversation_update_activity() -> Activity:
        return Activity(type=ActivityTypes.conversation_update)

    @staticmethod
    def create_end_of_conversation_activity() -> Activity:
        return Activity(type=ActivityTypes.end_of_conversation)

    @staticmethod
    def create_contact_relation_update_activity() -> Activity:
        return Activity(type=ActivityTypes.contact_relation_update)

    @staticmethod
    def create_trace_activity(
        name: str,
        value: Any = None,
        value_type: str | None = None,
        label: str | None = None,
    ) -> Activity:
        """A ``trace`` activity; ``value_type`` defaults to the class name of a truthy value."""
        if value_type is None and value:
            value_type = type(value).__name__
        data: dict[str, Any] = {"type": ActivityTypes.trace, "name": name}
        if label is not None:
            data["label"] = label
        if value_type is not None:
            data["value_type"] = value_type
        if value is not None:
            data["value"] = value
        return Activity(**data)


for _model in (ConversationReference, ConversationParameters, ExpectedReplies, Transcript):
    _model.model_rebuild(_types_namespace={"Activity": Activity})
