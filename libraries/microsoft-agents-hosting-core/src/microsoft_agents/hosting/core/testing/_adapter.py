"""``TestAdapter``: an in-process channel that runs turns and records what the agent sends."""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections import deque
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
    DeliveryModes,
    InvokeResponse,
    ResourceResponse,
    RoleTypes,
)

from .._channel_adapter import ChannelAdapter, TurnErrorHandler
from .._middleware import TurnLogic
from .._turn_context import TurnContext
from ..authorization import AuthenticationConstants as _Auth
from ..authorization import ClaimsIdentity

if TYPE_CHECKING:
    from ._flow import TestFlow

__all__ = ["TestAdapter"]

_INVOKE = ActivityTypes.invoke.value
_INVOKE_RESPONSE = ActivityTypes.invoke_response.value
_EXPECT_REPLIES = DeliveryModes.expect_replies.value


@dataclass
class _TurnRecord:
    """What one turn sent; closed when the turn ends (later sends are not part of it)."""

    replies: list[Activity] = field(default_factory=list)
    invoke_response: Activity | None = None
    closed: bool = False


_current_turn: ContextVar[_TurnRecord | None] = ContextVar("test_adapter_turn", default=None)


class TestAdapter(ChannelAdapter):
    """A channel inside the test process.

    ``process_activity`` runs one turn — through the middleware and ``on_turn_error``, with a
    channel-like caller identity — and returns the activities the agent sent during it. Every
    sent activity also lands in a reply queue read by :meth:`get_next_reply` and by
    :class:`TestFlow` (``adapter.send("hi").assert_reply("...")``).

    Incoming activities are completed like a channel would: missing fields come from
    ``template`` (channel, service URL, conversation, user, agent, locale), and each gets an id
    and timestamps. Sent activities get an id and a timestamp too.

    ``invoke`` turns and ``expectReplies`` turns leave the HTTP answer a host would give in
    :attr:`last_invoke_response` (the agent's ``invokeResponse``, ``501`` when it sent none;
    ``200`` with ``{"activities": [...]}`` for expected replies).
    """

    __test__ = False

    def __init__(
        self,
        agent_or_logic: Any = None,
        *,
        template: Activity | None = None,
        channel_id: str = "test",
        conversation_id: str = "test-conversation",
        user: ChannelAccount | None = None,
        agent: ChannelAccount | None = None,
        service_url: str = "https://test.channel.local/",
        locale: str = "en-US",
        app_id: str | None = None,
        identity: ClaimsIdentity | None = None,
        services: Mapping[type, object] | None = None,
        on_turn_error: TurnErrorHandler | None = None,
    ) -> None:
        super().__init__(on_turn_error=on_turn_error)
        self._logic = self._as_logic(agent_or_logic) if agent_or_logic is not None else None
        user = user or ChannelAccount(id="user1", name="User", role=RoleTypes.user)
        agent = agent or ChannelAccount(id="agent1", name="Agent", role=RoleTypes.agent)
        defaults = Activity(
            type=ActivityTypes.message,
            channel_id=channel_id,
            service_url=service_url,
            conversation=ConversationAccount(id=conversation_id),
            from_property=user,
            recipient=agent,
            locale=locale,
        )
        if template is not None:
            for name in template.model_fields_set:
                value = getattr(template, name)
                if value is not None:
                    setattr(defaults, name, copy.deepcopy(value))
        self.template: Activity = defaults
        self.app_id: str = app_id or (defaults.recipient.id if defaults.recipient else "") or ""
        self.identity: ClaimsIdentity = identity or ClaimsIdentity(
            {
                _Auth.AUDIENCE_CLAIM: self.app_id,
                _Auth.ISSUER_CLAIM: _Auth.AGENTS_SDK_TOKEN_ISSUER,
                _Auth.SERVICE_URL_CLAIM: defaults.service_url,
            },
            authentication_type="Bearer",
        )
        self.services: dict[type, object] = dict(services or {})
        self.sent_activities: list[Activity] = []
        self.updated_activities: list[Activity] = []
        self.deleted_activities: list[ConversationReference] = []
        self.last_invoke_response: InvokeResponse | None = None
        self._queue: deque[Activity] = deque()
        self._arrived: asyncio.Event | None = None
        self._ids = itertools.count(1)

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _as_logic(agent_or_logic: Any) -> TurnLogic:
        on_turn = getattr(agent_or_logic, "on_turn", None)
        if callable(on_turn):
            return on_turn
        if callable(agent_or_logic):
            return agent_or_logic
        raise TypeError(
            f"{type(agent_or_logic).__name__} is neither an agent (with on_turn) "
            "nor an async (context) function"
        )

    def _next_id(self) -> str:
        return str(next(self._ids))

    @property
    def conversation_reference(self) -> ConversationReference:
        """The reference of the test conversation (for proactive turns)."""
        return self.template.get_conversation_reference()

    def make_activity(self, activity_or_text: Activity | str | Mapping[str, Any]) -> Activity:
        """An incoming activity completed from the template, with an id and timestamps.

        A ``str`` becomes a message; a mapping is read as the wire (or Python) form. The given
        activity is copied, never changed.
        """
        if isinstance(activity_or_text, str):
            activity = Activity(type=ActivityTypes.message, text=activity_or_text)
        elif isinstance(activity_or_text, Activity):
            activity = activity_or_text.model_copy(deep=True)
        elif isinstance(activity_or_text, Mapping):
            activity = Activity.model_validate(dict(activity_or_text))
        else:
            raise TypeError(
                f"expected an Activity, a str or a mapping, got {type(activity_or_text).__name__}"
            )
        for name in self.template.model_fields_set:
            if name != "type" and getattr(activity, name) is None:
                setattr(activity, name, copy.deepcopy(getattr(self.template, name)))
        if activity.id is None:
            activity.id = self._next_id()
        now = datetime.now(timezone.utc)
        if activity.timestamp is None:
            activity.timestamp = now
        if activity.local_timestamp is None:
            activity.local_timestamp = now.astimezone()
        return activity

    # -- turns -----------------------------------------------------------------------------------

    async def process_activity(
        self,
        activity_or_text: Activity | str | Mapping[str, Any],
        logic: Any = None,
    ) -> list[Activity]:
        """Run one turn for an incoming activity; returns the activities sent during it."""
        callback = self._as_logic(logic) if logic is not None else self._logic
        if callback is None:
            raise TypeError("TestAdapter has no agent: pass one to TestAdapter(...) or logic=...")
        activity = self.make_activity(activity_or_text)
        return await self._run_turn(activity, self.identity, callback)

    async def continue_conversation_with_claims(
        self,
        claims_identity: ClaimsIdentity,
        continuation_activity: Activity,
        callback: TurnLogic,
        audience: str | None = None,
    ) -> list[Activity]:
        """Run ``callback`` proactively; returns the activities sent during the turn."""
        return await self._run_turn(continuation_activity, claims_identity, callback, audience)

    async def _run_turn(
        self,
        activity: Activity,
        identity: ClaimsIdentity,
        callback: TurnLogic,
        audience: str | None = None,
    ) -> list[Activity]:
        record = _TurnRecord()
        token = _current_turn.set(record)
        context = TurnContext(self, activity, identity)
        try:
            context.turn_state[self.AGENT_IDENTITY_KEY] = identity
            context.turn_state[self.OAUTH_SCOPE_KEY] = audience or identity.get_token_audience()
            for key, service in self.services.items():
                context.services.set(key, service)
                if key.__name__ == "UserTokenClientBase":
                    context.turn_state[self.USER_TOKEN_CLIENT_KEY] = service
            await self.run_pipeline(context, callback)
        finally:
            record.closed = True
            _current_turn.reset(token)
        self.last_invoke_response = self._turn_response(activity, context, record)
        return list(record.replies)

    def _turn_response(
        self, activity: Activity, context: TurnContext, record: _TurnRecord
    ) -> InvokeResponse | None:
        if activity.delivery_mode == _EXPECT_REPLIES:
            buffered = list(context.buffered_reply_activities)
            for reply in buffered:
                self._enqueue(reply)
            body = [a.model_dump(mode="json", by_alias=True, exclude_unset=True) for a in buffered]
            return InvokeResponse(status=200, body={"activities": body})
        if activity.type == _INVOKE:
            sent = record.invoke_response
            if sent is None or sent.value is None:
                return InvokeResponse(status=501)
            return InvokeResponse.model_validate(sent.value)
        return None

    # -- delivery --------------------------------------------------------------------------------

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        """Record ``activities`` as delivered and queue them as replies."""
        if not activities:
            raise ValueError("send_activities needs at least one activity")
        record = _current_turn.get()
        if record is not None and record.closed:
            record = None
        expect_replies = context.activity.delivery_mode == _EXPECT_REPLIES
        responses: list[ResourceResponse] = []
        for original in activities:
            activity = original.model_copy()
            if activity.type == _INVOKE_RESPONSE:
                context.turn_state[self.INVOKE_RESPONSE_KEY] = activity
                if record is not None:
                    record.invoke_response = activity
                responses.append(ResourceResponse(id=""))
                continue
            activity.id = self._next_id()
            if activity.timestamp is None:
                activity.timestamp = datetime.now(timezone.utc)
            self.sent_activities.append(activity)
            if expect_replies:
                context.buffered_reply_activities.append(activity)
            else:
                self._enqueue(activity)
            if record is not None:
                record.replies.append(activity)
            responses.append(ResourceResponse(id=activity.id))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        """Record an update; the activity must name the one it replaces (``id``)."""
        if not activity.id:
            raise TypeError("update_activity needs an activity with an id")
        self.updated_activities.append(activity.model_copy(deep=True))
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        """Record a deletion; the reference must name the activity (``activity_id``)."""
        if not reference.activity_id:
            raise TypeError("delete_activity needs a reference with an activity_id")
        self.deleted_activities.append(reference.model_copy(deep=True))

    # -- reply queue -----------------------------------------------------------------------------

    def _enqueue(self, activity: Activity) -> None:
        self._queue.append(activity)
        if self._arrived is not None:
            self._arrived.set()

    @property
    def pending_replies(self) -> list[Activity]:
        """Replies not yet taken with :meth:`get_next_reply` (oldest first)."""
        return list(self._queue)

    def get_next_reply(self) -> Activity | None:
        """Take the oldest queued reply, or ``None`` when there is none."""
        return self._queue.popleft() if self._queue else None

    async def wait_for_reply(self, timeout: float = 1.0) -> Activity | None:
        """Take the oldest queued reply, waiting up to ``timeout`` seconds for one to arrive."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._queue:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            if self._arrived is None:
                self._arrived = asyncio.Event()
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                return self.get_next_reply()
        return self._queue.popleft()

    # -- fluent tests ----------------------------------------------------------------------------

    def send(self, activity_or_text: Activity | str | Mapping[str, Any]) -> TestFlow:
        """Start a :class:`TestFlow` that sends ``activity_or_text``."""
        from ._flow import TestFlow

        return TestFlow(self).send(activity_or_text)

    def test(
        self, user_says: Activity | str | Mapping[str, Any], expected: Any, description: str = ""
    ) -> TestFlow:
        """Start a :class:`TestFlow`: send ``user_says`` and expect ``expected`` as the reply."""
        return self.send(user_says).assert_reply(expected, description)
