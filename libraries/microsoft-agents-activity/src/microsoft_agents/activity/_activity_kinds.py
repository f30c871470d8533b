"""Type tests (``is_*`` / ``as_*``), content checks and fluent setters of ``Activity``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from ._content import Attachment, SuggestedActions
from ._enums import ActivityTypes

if TYPE_CHECKING:
    from ._activity_fields import ActivityFields as _Base
    from .entity import Entity
else:
    _Base = object

__all__ = ["ActivityKindsMixin"]


class ActivityKindsMixin(_Base):
    """Kind checks and builders of :class:`Activity`."""

    def _is_kind(self, kind: str) -> bool:
        """True when ``type`` is ``kind`` or ``kind/<anything>``, ignoring case."""
        current = self.type
        if not current:
            return False
        current = current.casefold()
        kind = kind.casefold()
        return current == kind or (
            current.startswith(kind) and current[len(kind) : len(kind) + 1] == "/"
        )

    def _as_kind(self, kind: str) -> Self | None:
        return self if self._is_kind(kind) else None

    # -- predicates ---------------------------------------------------------------------------

    def is_message(self) -> bool:
        return self._is_kind(ActivityTypes.message)

    def is_event(self) -> bool:
        return self._is_kind(ActivityTypes.event)

    def is_invoke(self) -> bool:
        return self._is_kind(ActivityTypes.invoke)

    def is_typing(self) -> bool:
        return self._is_kind(ActivityTypes.typing)

    def is_conversation_update(self) -> bool:
        return self._is_kind(ActivityTypes.conversation_update)

    def is_end_of_conversation(self) -> bool:
        return self._is_kind(ActivityTypes.end_of_conversation)

    def is_handoff(self) -> bool:
        return self._is_kind(ActivityTypes.handoff)

    def is_trace(self) -> bool:
        return self._is_kind(ActivityTypes.trace)

    def is_command(self) -> bool:
        return self._is_kind(ActivityTypes.command)

    def is_command_result(self) -> bool:
        return self._is_kind(ActivityTypes.command_result)

    # -- typed views ----------------------------------------------------------------------------

    def as_message_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.message)

    def as_typing_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.typing)

    def as_event_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.event)

    def as_invoke_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.invoke)

    def as_conversation_update_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.conversation_update)

    def as_end_of_conversation_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.end_of_conversation)

    def as_handoff_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.handoff)

    def as_installation_update_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.installation_update)

    def as_message_update_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.message_update)

    def as_message_delete_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.message_delete)

    def as_message_reaction_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.message_reaction)

    def as_suggestion_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.suggestion)

    def as_trace_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.trace)

    def as_contact_relation_update_activity(self) -> Self | None:
        return self._as_kind(ActivityTypes.contact_relation_update)

    # -- content --------------------------------------------------------------------------------

    def has_content(self) -> bool:
        """True when there is non-blank text or summary, an attachment, or channel data."""
        if self.text and self.text.strip():
            return True
        if self.summary and self.summary.strip():
            return True
        return bool(self.attachments) or bool(self.channel_data)

    def is_from_streaming_connection(self) -> bool:
        """True when the service URL is not an http(s) URL (a streaming connection)."""
        return bool(self.service_url) and not str(self.service_url).lower().startswith("http")

    # -- fluent setters ---------------------------------------------------------------------

    def with_text(self, text: str) -> Self:
        self.text = text
        return self

    def with_speak(self, speak: str) -> Self:
        self.speak = speak
        return self

    def with_input_hint(self, input_hint: str) -> Self:
        self.input_hint = input_hint
        return self

    def with_summary(self, summary: str) -> Self:
        self.summary = summary
        return self

    def with_locale(self, locale: str) -> Self:
        self.locale = locale
        return self

    def with_text_format(self, text_format: str) -> Self:
        self.text_format = text_format
        return self

    def with_attachment_layout(self, attachment_layout: str) -> Self:
        self.attachment_layout = attachment_layout
        return self

    def with_delivery_mode(self, delivery_mode: str) -> Self:
        self.delivery_mode = delivery_mode
        return self

    def with_name(self, name: str) -> Self:
        self.name = name
        return self

    def with_value(self, value: Any, value_type: str | None = None) -> Self:
        self.value = value
        if value_type is not None:
            self.value_type = value_type
        return self

    def with_suggested_actions(self, suggested_actions: SuggestedActions) -> Self:
        self.suggested_actions = suggested_actions
        return self

    def add_text(self, text: str) -> Self:
        """Append ``text`` to the current text."""
        self.text = (self.text or "") + text
        return self

    def add_attachment(self, *attachments: Attachment) -> Self:
        self.attachments = [*(self.attachments or []), *attachments]
        return self

    def add_entity(self, *entities: Entity) -> Self:
        self.entities = [*(self.entities or []), *entities]
        return self
