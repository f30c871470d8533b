"""What goes over the wire besides activities: request bodies, subscribe events and the
``User-Agent`` header."""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

from microsoft_agents.activity import Activity, AgentsModel

__all__ = [
    "ExecuteTurnRequest",
    "StartRequest",
    "SubscribeEvent",
    "SubscribeRequest",
    "SubscribeResponse",
    "UserAgentHelper",
    "wire",
]

DISTRIBUTION = "microsoft-agents-copilotstudio-client"


def wire(model: AgentsModel) -> dict[str, Any]:
    """The wire form of a model: by alias, only the fields that were set, JSON types."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


class StartRequest(AgentsModel):
    """Body of a start-conversation request.

    ``conversation_id`` asks the service to use a conversation id chosen by the caller;
    ``emit_start_conversation_event`` makes the agent greet the user.
    """

    locale: str | None = None
    emit_start_conversation_event: bool = True
    conversation_id: str | None = None

    def to_wire(self) -> dict[str, Any]:
        """The request body; ``emitStartConversationEvent`` is always present."""
        body = wire(self)
        body["emitStartConversationEvent"] = self.emit_start_conversation_event
        return body


class ExecuteTurnRequest(AgentsModel):
    """Body of a request that sends an activity into a conversation."""

    activity: Activity


class SubscribeRequest(AgentsModel):
    """Body of a subscribe request (the service takes none today; kept for the contract)."""


class SubscribeResponse(AgentsModel):
    """Answer of a subscribe request (events arrive on the stream; kept for the contract)."""


class SubscribeEvent:
    """One activity from a conversation subscription, with the event id the server gave it.

    Pass the last ``event_id`` seen as ``last_received_event_id`` to resume a subscription
    after a disconnect without receiving the same activities again.
    """

    __slots__ = ("activity", "event_id")

    def __init__(self, activity: Activity, event_id: str | None = None) -> None:
        self.activity = activity
        self.event_id = event_id

    def __repr__(self) -> str:
        return f"SubscribeEvent(event_id={self.event_id!r}, activity.type={self.activity.type!r})"


def _client_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0.0.0"


class UserAgentHelper:
    """Builds the ``User-Agent`` header the client sends with every request."""

    CLIENT_NAME = "CopilotStudioClient"
    CLIENT_VERSION = _client_version()

    @staticmethod
    def get_user_agent_header() -> str:
        """``CopilotStudioClient.agents-sdk-python/<version> Python/<x.y.z> <OS>/<release>``."""
        system = platform.system() or "UnknownOS"
        release = platform.release() or "0"
        return (
            f"{UserAgentHelper.CLIENT_NAME}.agents-sdk-python/{UserAgentHelper.CLIENT_VERSION} "
            f"Python/{platform.python_version()} {system}/{release}"
        )
