"""``UserState`` and the storage-key helpers shared by the per-activity scopes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import error_resources
from ..storage import Storage, StoreItem
from ._agent_state import AgentState

if TYPE_CHECKING:
    from microsoft_agents.activity import Activity

    from .._turn_context import TurnContext

__all__ = ["UserState"]


class _StateKeyMissingError(ValueError, TypeError):
    """The activity lacks an id needed for a state key.

    A ``ValueError`` (what this project documents) that is also a ``TypeError`` (what some
    callers of the published SDK catch for user state).
    """


def _activity_for_key(turn_context: TurnContext, scope: str) -> Activity:
    if turn_context is None:
        raise TypeError(str(error_resources.TurnContextRequired))
    activity = turn_context.activity
    if activity is None:
        raise _StateKeyMissingError(error_resources.StateKeyMissing.format(scope, "activity"))
    return activity


def _channel_part(activity: Activity, scope: str) -> str:
    """The full channel id, sub-channel included (``msteams:COPILOT``)."""
    channel_id = activity.channel_id
    if not channel_id:
        raise _StateKeyMissingError(error_resources.StateKeyMissing.format(scope, "channel_id"))
    return str(channel_id)


def _require_id(value: str | None, scope: str, what: str) -> str:
    if not value:
        raise _StateKeyMissingError(error_resources.StateKeyMissing.format(scope, what))
    return value


class UserState(AgentState):
    """Values kept per user and channel, under ``"{channelId}/users/{from.id}"``.

    ``namespace`` is kept as an attribute for callers that label their user scopes; it does
    not change the storage key. Loaded values are cached in the turn under
    ``"Internal.UserState"``.
    """

    CONTEXT_SERVICE_KEY = "Internal.UserState"
    no_key_error_message = (
        "UserState: the activity lacks channel_id or from.id, so no user state key can be built."
    )

    def __init__(self, storage: Storage, namespace: str = "") -> None:
        super().__init__(storage, self.CONTEXT_SERVICE_KEY)
        self.namespace = namespace

    def get_storage_key(
        self, turn_context: TurnContext, *, target_cls: type[StoreItem] | None = None
    ) -> str:
        """``"{channelId}/users/{from.id}"``; ``ValueError`` naming the missing id."""
        activity = _activity_for_key(turn_context, "UserState")
        channel = _channel_part(activity, "UserState")
        sender = activity.from_property
        user_id = _require_id(sender.id if sender is not None else None, "UserState", "from.id")
        return f"{channel}/users/{user_id}"
