"""What a sign-in keeps between turns, what one sign-in step reports, what a failure says.

Two documents live in the application's storage:

* the **sign-in state** of a user (``auth:_SignInState:{channelId}:{userId}``): which handler
  the user is signing in with right now and the activity to run again once that is done;
* the **flow state** of one handler for a user (``auth/{channelId}/{userId}/{handlerId}``):
  where the OAuth flow stands (``begin``, ``continue``, ``complete``, ``failure``), when it
  expires and how many wrong codes may still be entered.

Both are written with snake_case keys; the continuation activity in its wire (camelCase) form.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from microsoft_agents.activity import Activity, TokenResponse

from ...storage import StoreItem

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from ...storage import Storage

__all__ = [
    "FAILURE_TEXTS",
    "FLOW_LIFETIME_SECONDS",
    "MAX_CODE_ATTEMPTS",
    "_FailureReason",
    "_FlowState",
    "_FlowTag",
    "_SignInResult",
    "_SignInState",
    "_failure_text",
    "flow_state_key",
    "sign_in_state_key",
]

logger = logging.getLogger(__name__)

FLOW_LIFETIME_SECONDS = 600
"""How long a started sign-in waits for the user (10 minutes)."""

MAX_CODE_ATTEMPTS = 3
"""How many wrong or malformed codes a user may enter before the sign-in fails."""


class _FlowTag(str, Enum):
    BEGIN = "begin"
    CONTINUE = "continue"
    NOT_STARTED = "not_started"
    FAILURE = "failure"
    COMPLETE = "complete"


class _FailureReason(str, Enum):
    MAX_ATTEMPTS = "max_attempts"
    EXPIRED = "expired"
    CHANNEL_FAILURE = "channel_failure"  # the channel reported signin/failure
    NO_TOKEN = "no_token"  # the handler could not produce a token at all


# -- keys ---------------------------------------------------------------------------------------


def _user_of(context: TurnContext) -> tuple[str, str]:
    activity = context.activity
    user = activity.from_property.id if activity.from_property else None
    return str(activity.channel_id), str(user)


def sign_in_state_key(context: TurnContext) -> str:
    """``auth:_SignInState:{channelId}:{userId}``."""
    channel, user = _user_of(context)
    return f"auth:_SignInState:{channel}:{user}"


def flow_state_key(context: TurnContext, handler_id: str) -> str:
    """``auth/{channelId}/{userId}/{handlerId}``."""
    channel, user = _user_of(context)
    return f"auth/{channel}/{user}/{handler_id}"


# -- documents ----------------------------------------------------------------------------------


def _dump_activity(activity: Activity | None) -> dict[str, Any] | None:
    if activity is None:
        return None
    return activity.model_dump(mode="json", by_alias=True, exclude_none=True)


def _load_activity(data: Any) -> Activity | None:
    if not isinstance(data, dict):
        return None
    try:
        return Activity.model_validate(data)
    except ValidationError:
        logger.warning("a stored sign-in continuation activity is invalid; it is ignored")
        return None


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _as_float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@dataclass
class _SignInState(StoreItem):
    """The sign-in a user is in the middle of (one per channel and user)."""

    active_handler_id: str | None = None
    continuation_activity: Activity | None = None

    def store_item_to_json(self) -> dict[str, Any]:
        return {
            "active_handler_id": self.active_handler_id,
            "continuation_activity": _dump_activity(self.continuation_activity),
        }

    @staticmethod
    def from_json_to_store_item(json_data: Any) -> _SignInState:
        data = json_data if isinstance(json_data, dict) else {}
        handler_id = data.get("active_handler_id")
        return _SignInState(
            active_handler_id=str(handler_id) if handler_id else None,
            continuation_activity=_load_activity(data.get("continuation_activity")),
        )


@dataclass
class _FlowState(StoreItem):
    """Where the OAuth flow of one handler stands for one user."""

    channel_id: str = ""
    user_id: str = ""
    ms_app_id: str = ""
    connection: str = ""
    auth_handler_id: str = ""
    expiration: float = 0.0
    continuation_activity: Activity | None = None
    attempts_remaining: int = MAX_CODE_ATTEMPTS
    tag: _FlowTag = _FlowTag.NOT_STARTED

    def is_expired(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) >= self.expiration

    def is_waiting(self) -> bool:
        """Started and not finished (it may have expired meanwhile)."""
        return self.tag in (_FlowTag.BEGIN, _FlowTag.CONTINUE)

    def store_item_to_json(self) -> dict[str, Any]:
        return {
            "channel_id": self.channel_id,
            "user_id": self.user_id,
            "ms_app_id": self.ms_app_id,
            "connection": self.connection,
            "auth_handler_id": self.auth_handler_id,
            "expiration": self.expiration,
            "continuation_activity": _dump_activity(self.continuation_activity),
            "attempts_remaining": self.attempts_remaining,
            "tag": self.tag.value,
        }

    @staticmethod
    def from_json_to_store_item(json_data: Any) -> _FlowState:
        data = json_data if isinstance(json_data, dict) else {}
        try:
            tag = _FlowTag(data.get("tag") or _FlowTag.NOT_STARTED.value)
        except ValueError:
            tag = _FlowTag.NOT_STARTED
        return _FlowState(
            channel_id=str(data.get("channel_id") or ""),
            user_id=str(data.get("user_id") or ""),
            ms_app_id=str(data.get("ms_app_id") or ""),
            connection=str(data.get("connection") or ""),
            auth_handler_id=str(data.get("auth_handler_id") or ""),
            expiration=_as_float(data.get("expiration"), 0.0),
            continuation_activity=_load_activity(data.get("continuation_activity")),
            attempts_remaining=_as_int(data.get("attempts_remaining"), MAX_CODE_ATTEMPTS),
            tag=tag,
        )


async def read_item(storage: Storage, key: str, cls: type[Any]) -> Any:
    """The item stored under ``key`` (built with ``cls``), or ``None``."""
    found = await storage.read([key], target_cls=cls)
    return found.get(key)


async def write_item(storage: Storage, key: str, item: StoreItem) -> None:
    """Store ``item`` unconditionally: a sign-in step always supersedes the previous one."""
    item.e_tag = None
    await storage.write({key: item})


# -- results ------------------------------------------------------------------------------------


@dataclass
class _SignInResult:
    """What one sign-in step achieved.

    ``complete`` with ``token``; ``pending`` when the user still has to act (a card or a
    retry prompt was sent); ``failure`` with a ``reason``. ``interactive`` is True when the
    user just finished signing in (rather than already having a token).
    """

    tag: _FlowTag
    token: TokenResponse = field(default_factory=TokenResponse)
    reason: _FailureReason | None = None
    detail: str | None = None
    interactive: bool = False

    @property
    def complete(self) -> bool:
        return self.tag is _FlowTag.COMPLETE

    @property
    def failed(self) -> bool:
        return self.tag is _FlowTag.FAILURE

    @staticmethod
    def completed(token: TokenResponse, *, interactive: bool = False) -> _SignInResult:
        return _SignInResult(_FlowTag.COMPLETE, token=token, interactive=interactive)

    @staticmethod
    def pending() -> _SignInResult:
        return _SignInResult(_FlowTag.CONTINUE)

    @staticmethod
    def failure(reason: _FailureReason, detail: str | None = None) -> _SignInResult:
        return _SignInResult(_FlowTag.FAILURE, reason=reason, detail=detail)


FAILURE_TEXTS = {
    _FailureReason.MAX_ATTEMPTS: (
        "Sign-in failed: too many invalid codes were entered. Send your request again to "
        "start over."
    ),
    _FailureReason.EXPIRED: "The sign-in request expired. Please sign in again.",
    _FailureReason.CHANNEL_FAILURE: "Sign-in failed. Please try again.",
    _FailureReason.NO_TOKEN: "Sign-in failed. Please try again.",
}


def _failure_text(result: _SignInResult) -> str:
    reason = result.reason or _FailureReason.NO_TOKEN
    if reason is _FailureReason.CHANNEL_FAILURE and result.detail:
        return f"Sign-in failed: {result.detail}"
    return FAILURE_TEXTS[reason]
