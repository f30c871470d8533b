"""``app.proactive``: reach users outside the turn they started.

Conversations are stored under ``proactive/conversations/{conversation_id}``. Continuing one
runs a handler in a proactive turn with the conversation's state loaded and saved like in
any other turn.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic

from microsoft_agents.activity import Activity, ResourceResponse

from .._routes import StateT
from ._conversation import Conversation, CreateConversationOptions, ProactiveOptions

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from ...storage import Storage
    from .._application import AgentApplication

__all__ = ["Proactive"]

logger = logging.getLogger(__name__)

ProactiveHandler = Callable[["TurnContext", Any], Awaitable[Any]]


class Proactive(Generic[StateT]):
    """Stored conversations and proactive turns of an application (``app.proactive``).

    An exception raised inside a proactive turn is caught before the adapter's
    ``on_turn_error`` and raised again to the caller of the ``Proactive`` method.
    """

    KEY_PREFIX = "proactive/conversations/"

    def __init__(self, app: AgentApplication[StateT], options: ProactiveOptions) -> None:
        self._app = app
        self._options = options

    @property
    def options(self) -> ProactiveOptions:
        return self._options

    @property
    def _storage(self) -> Storage:
        return self._options.storage or self._app._storage

    @classmethod
    def _key(cls, conversation_id: str) -> str:
        if not conversation_id:
            raise ValueError("a conversation id is required")
        return f"{cls.KEY_PREFIX}{conversation_id}"

    # -- stored conversations -------------------------------------------------------------

    async def store_conversation(self, context_or_conversation: TurnContext | Conversation) -> None:
        """Store the conversation of a turn context (or a ``Conversation``) for later."""
        if isinstance(context_or_conversation, Conversation):
            conversation = context_or_conversation
        else:
            conversation = Conversation.from_turn_context(context_or_conversation)
        conversation.validate()
        await self._storage.write({self._key(conversation.conversation_id): conversation})

    async def get_conversation(self, conversation_id: str) -> Conversation | None:
        """The stored conversation with this id, or ``None``."""
        key = self._key(conversation_id)
        found = await self._storage.read([key], target_cls=Conversation)
        return found.get(key)

    async def delete_conversation(self, conversation_id: str) -> None:
        """Forget a stored conversation (nothing happens when it is not stored)."""
        await self._storage.delete([self._key(conversation_id)])

    async def _resolve(self, id_or_conversation: str | Conversation) -> Conversation:
        if isinstance(id_or_conversation, Conversation):
            return id_or_conversation
        conversation = await self.get_conversation(id_or_conversation)
        if conversation is None:
            raise KeyError(f"no stored proactive conversation {id_or_conversation!r}")
        return conversation

    # -- proactive turns ------------------------------------------------------------------

    async def send_activity(
        self,
        adapter: Any,
        conversation_id_or_conversation: str | Conversation,
        activity: Activity | str,
    ) -> ResourceResponse | None:
        """Send one activity into a stored (or given) conversation.

        :raises KeyError: for an id that is not stored.
        """
        conversation = await self._resolve(conversation_id_or_conversation)
        result: ResourceResponse | None = None

        async def send(context: TurnContext) -> None:
            nonlocal result
            result = await context.send_activity(activity)

        await self._run(adapter, conversation, None, send)
        return result

    async def continue_conversation(
        self,
        adapter: Any,
        conversation_id_or_conversation: str | Conversation,
        handler: ProactiveHandler,
        *,
        continuation_activity: Activity | None = None,
        token_handlers: list[str] | None = None,
    ) -> None:
        """Run ``async handler(context, state)`` in a proactive turn of the conversation.

        The turn's activity is ``continuation_activity`` or the reference's continuation
        event. State is loaded before and saved after the handler. ``token_handlers`` name
        sign-in handlers whose user token must be available; when one is missing the call
        raises ``RuntimeError`` (``fail_on_unsigned_in_connections``) or skips the handler.

        :raises KeyError: for an id that is not stored.
        """
        conversation = await self._resolve(conversation_id_or_conversation)

        async def turn(context: TurnContext) -> None:
            state = await self._app._load_state(context)
            if token_handlers and not await self._signed_in(context, token_handlers):
                return
            await handler(context, state)
            await state.save(context)

        await self._run(adapter, conversation, continuation_activity, turn)

    async def create_conversation(
        self,
        adapter: Any,
        options: CreateConversationOptions,
        handler: ProactiveHandler | None = None,
    ) -> Conversation:
        """Start a conversation in a channel and optionally run ``handler(context, state)``
        in its first turn. Returns the new conversation (stored when
        ``options.store_conversation``). When the channel's first activity names no sender,
        the first member of ``options.parameters.members`` is taken as the user.

        :raises ValueError: when the options are incomplete.
        """
        options.validate()
        identity = options.identity
        audience = options.audience or identity.get_token_audience()
        created: Conversation | None = None
        failure: BaseException | None = None

        async def first_turn(context: TurnContext) -> None:
            nonlocal created, failure
            try:
                activity = context.activity
                members = options.parameters.members if options.parameters else None
                if activity.from_property is None and members:
                    # The conversation is with the first member: address it (and key its
                    # user state) as that user, in this turn and in later continuations.
                    activity.from_property = members[0]
                created = Conversation(identity, activity.get_conversation_reference())
                if options.store_conversation:
                    await self.store_conversation(created)
                if handler is not None:
                    state = await self._app._load_state(context)
                    await handler(context, state)
                    await state.save(context)
            except Exception as error:  # handed back to the caller below
                failure = error

        await adapter.create_conversation(
            identity.get_app_id() or "",
            options.channel_id,
            options.service_url,
            audience,
            options.parameters,
            first_turn,
        )
        if failure is not None:
            raise failure
        if created is None:
            raise RuntimeError("the adapter did not run the first turn of the new conversation")
        return created

    # -- helpers --------------------------------------------------------------------------

    async def _run(
        self,
        adapter: Any,
        conversation: Conversation,
        continuation_activity: Activity | None,
        callback: Callable[[TurnContext], Awaitable[None]],
    ) -> None:
        conversation.validate()
        identity = Conversation.identity_from_claims(conversation.claims)
        activity = (
            continuation_activity or conversation.conversation_reference.get_continuation_activity()
        )
        failure: BaseException | None = None

        async def guarded(context: TurnContext) -> None:
            nonlocal failure
            try:
                await callback(context)
            except Exception as error:  # handed back to the caller below
                failure = error

        await adapter.continue_conversation_with_claims(identity, activity, guarded)
        if failure is not None:
            raise failure

    async def _signed_in(self, context: TurnContext, handler_ids: list[str]) -> bool:
        auth = self._app._auth
        for handler_id in handler_ids:
            token = await auth._get_token_silently(context, handler_id) if auth else None
            if token:
                continue
            message = (
                f"proactive turn needs a token from sign-in handler {handler_id!r} "
                "and the user is not signed in"
            )
            if self._options.fail_on_unsigned_in_connections:
                raise RuntimeError(message)
            logger.warning("%s; the handler is skipped", message)
            return False
        return True
