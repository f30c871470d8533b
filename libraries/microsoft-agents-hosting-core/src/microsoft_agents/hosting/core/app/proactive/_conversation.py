"""What proactive messaging keeps about a conversation, and its options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import ConversationParameters, ConversationReference

from ...authorization import ClaimsIdentity
from ...storage import StoreItem

if TYPE_CHECKING:
    from ..._turn_context import TurnContext
    from ...storage import JSON, Storage

__all__ = ["Conversation", "CreateConversationOptions", "ProactiveOptions"]

_KEPT_CLAIMS = ("aud", "azp", "appid", "idtyp", "ver", "iss", "tid")


@dataclass
class ProactiveOptions:
    """Turns on ``app.proactive``.

    ``storage`` keeps the stored conversations (default: the application's storage).
    ``fail_on_unsigned_in_connections``: when a continuation needs sign-in handlers whose
    user has no token, raise ``RuntimeError`` (default) instead of skipping the handler.
    """

    storage: Storage | None = None
    fail_on_unsigned_in_connections: bool = True


class Conversation(StoreItem):
    """A conversation the agent can reach later: who called it and where.

    Only the claims needed to act as the agent again are kept: ``aud``, ``azp``, ``appid``,
    ``idtyp``, ``ver``, ``iss`` and ``tid``.
    """

    def __init__(
        self,
        claims: dict[str, Any] | ClaimsIdentity,
        conversation_reference: ConversationReference,
        *,
        _span_context: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(claims, ClaimsIdentity):
            claims = self.claims_from_identity(claims)
        self.claims: dict[str, Any] = {
            key: value for key, value in (claims or {}).items() if key in _KEPT_CLAIMS
        }
        self.conversation_reference = conversation_reference
        self._span_context = _span_context

    def __repr__(self) -> str:
        conversation = self.conversation_reference.conversation
        return f"Conversation(conversation_id={conversation.id if conversation else None!r})"

    @classmethod
    def from_turn_context(cls, context: TurnContext) -> Conversation:
        """The conversation of the current turn, with the caller's claims."""
        identity = context.identity
        reference = context.activity.get_conversation_reference()
        return cls(identity if identity is not None else {}, reference)

    @staticmethod
    def claims_from_identity(identity: ClaimsIdentity) -> dict[str, Any]:
        """The claims of ``identity`` that a stored conversation keeps."""
        return {key: value for key, value in identity.claims.items() if key in _KEPT_CLAIMS}

    @staticmethod
    def identity_from_claims(claims: dict[str, Any]) -> ClaimsIdentity:
        """An identity made of stored claims (anonymous when there are none)."""
        return ClaimsIdentity(dict(claims)) if claims else ClaimsIdentity()

    @property
    def conversation_id(self) -> str:
        """The id of the conversation."""
        return self.conversation_reference.conversation.id

    def validate(self) -> None:
        """Check that the conversation can be continued.

        :raises ValueError: without a conversation id or a service URL.
        """
        reference = self.conversation_reference
        if reference is None:
            raise ValueError("Conversation.conversation_reference is required")
        if reference.conversation is None or not reference.conversation.id:
            raise ValueError("Conversation.conversation_reference.conversation.id is required")
        if not reference.service_url:
            raise ValueError("Conversation.conversation_reference.service_url is required")

    def store_item_to_json(self) -> JSON:
        return {
            "claims": dict(self.claims),
            "conversation_reference": self.conversation_reference.model_dump(
                mode="json", by_alias=True, exclude_unset=True
            ),
            "_span_context": self._span_context,
        }

    @staticmethod
    def from_json_to_store_item(json_data: JSON) -> Conversation:
        return Conversation(
            claims=dict(json_data.get("claims") or {}),
            conversation_reference=ConversationReference.model_validate(
                json_data.get("conversation_reference") or {}
            ),
            _span_context=json_data.get("_span_context"),
        )


@dataclass
class CreateConversationOptions:
    """What ``Proactive.create_conversation`` needs to start a conversation.

    ``identity`` is the agent's identity (its app id is the ``aud``/``appid`` claim);
    ``audience`` defaults to the identity's token audience. With ``store_conversation`` the
    new conversation is stored for later continuations.
    """

    identity: ClaimsIdentity
    channel_id: str = ""
    parameters: ConversationParameters | None = None
    service_url: str | None = None
    audience: str | None = None
    store_conversation: bool = False

    def validate(self) -> None:
        """:raises ValueError: without identity, channel id, parameters or service URL."""
        for name in ("identity", "channel_id", "parameters", "service_url"):
            if not getattr(self, name):
                raise ValueError(f"CreateConversationOptions.{name} is required")
