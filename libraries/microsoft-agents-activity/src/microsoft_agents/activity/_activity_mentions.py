"""Mentions, targeting, AI metadata and agentic-identity helpers of ``Activity``."""

from __future__ import annotations

import logging
import re

from typing_extensions import Self

from ._accounts import ChannelAccount
from ._activity_kinds import ActivityKindsMixin
from ._enums import RoleTypes
from .entity import (
    ActivityTreatment,
    ActivityTreatmentTypes,
    AIEntity,
    ClientCitation,
    Entity,
    EntityTypes,
    Mention,
    ProductInfo,
    SensitivityUsageInfo,
)
from .errors import activity_errors

__all__ = ["ActivityMentionsMixin"]

logger = logging.getLogger(__name__)

_MENTION = EntityTypes.MENTION.value
_TREATMENT = EntityTypes.ACTIVITY_TREATMENT.value.casefold()
_TARGETED = ActivityTreatmentTypes.TARGETED.value
_AGENTIC_ROLES = frozenset({RoleTypes.agentic_identity.value, RoleTypes.agentic_user.value})


def _as_mention(entity: Entity) -> Mention:
    if isinstance(entity, Mention):
        return entity
    return Mention.model_validate(entity.model_dump(by_alias=True, exclude_unset=True))


def _is_targeted_marker(entity: Entity) -> bool:
    return entity.type.casefold() == _TREATMENT and getattr(entity, "treatment", None) == _TARGETED


class ActivityMentionsMixin(ActivityKindsMixin):
    """Mention, targeting, AI and agentic helpers of :class:`Activity`."""

    # -- mentions -----------------------------------------------------------------------------

    def get_mentions(self) -> list[Mention]:
        """Every ``mention`` entity of this activity, as :class:`Mention`."""
        return [_as_mention(e) for e in self.entities or () if e.type.casefold() == _MENTION]

    def add_mention(
        self, account: ChannelAccount, text: str | None = None, add_text: bool = True
    ) -> Self:
        """Mention ``account``: ``<at>name</at>`` goes in front of the text, plus an entity."""
        label = text if text is not None else account.name
        if label is None:
            logger.warning("add_mention: the account has no name and no text was given")
        markup = f"<at>{label}</at>"
        if add_text:
            self.text = f"{markup} {self.text}" if self.text else markup
        return self.add_entity(Mention(mentioned=account, text=markup))

    def get_account_mention(self, account_id: str | None) -> Mention | None:
        """The mention of the account with ``account_id``, if there is one."""
        if account_id is None:
            return None
        for mention in self.get_mentions():
            if mention.mentioned is not None and mention.mentioned.id == account_id:
                return mention
        return None

    def is_recipient_mentioned(self) -> bool:
        """True when the recipient (usually the agent) is mentioned."""
        return (
            self.recipient is not None and self.get_account_mention(self.recipient.id) is not None
        )

    def remove_mention_text(self, identifier: str | None) -> str:
        """Remove every mention of account ``identifier`` from the text; returns the new text."""
        if not identifier:
            return self.text or ""
        for mention in self.get_mentions():
            if mention.mentioned is None or mention.mentioned.id != identifier:
                continue
            if mention.text is not None:
                pattern = re.escape(mention.text)
            else:
                pattern = f"<at>{re.escape(mention.mentioned.name or '')}</at>"
            self.text = re.sub(pattern, "", self.text or "", flags=re.IGNORECASE).strip()
        return self.text or ""

    def remove_recipient_mention(self) -> str:
        """Remove mentions of the recipient from the text; returns the new text."""
        if self.recipient is None:
            return self.text or ""
        return self.remove_mention_text(self.recipient.id)

    # -- targeting ------------------------------------------------------------------------------

    def is_targeted_activity(self) -> bool:
        """True when an ``activityTreatment`` entity marks this activity as targeted."""
        return any(_is_targeted_marker(e) for e in self.entities or ())

    def make_targeted_activity(self, user: ChannelAccount | None = None) -> Self:
        """Mark the activity as shown only to its recipient (or to ``user``)."""
        if self.recipient is None and user is None:
            raise ValueError(str(activity_errors.InvalidTargetedActivityRecipient))
        if not self.is_targeted_activity():
            self.add_entity(ActivityTreatment(treatment=_TARGETED))
        if user is not None:
            self.recipient = user
        return self

    def with_recipient(self, recipient: str | ChannelAccount) -> Self:
        """Set the recipient; a string becomes a user account with that id."""
        if isinstance(recipient, str):
            recipient = ChannelAccount(id=recipient, role=RoleTypes.user.value)
        self.recipient = recipient
        return self

    def with_targeted_recipient(self, recipient: str | ChannelAccount) -> Self:
        """Set the recipient and mark the activity as targeted at it (one marker only)."""
        self.with_recipient(recipient)
        kept: list[Entity] = []
        seen = False
        for entity in self.entities or ():
            if _is_targeted_marker(entity):
                if seen:
                    continue
                seen = True
            kept.append(entity)
        if not seen:
            kept.append(ActivityTreatment(treatment=_TARGETED))
        self.entities = kept
        return self

    # -- AI and product metadata --------------------------------------------------------------

    def add_ai_metadata(
        self,
        citations: list[ClientCitation] | None = None,
        usage_info: SensitivityUsageInfo | None = None,
    ) -> None:
        """Mark the activity as AI generated, with optional citations and sensitivity label."""
        # Left unset rather than null when absent: the wire form carries only what was given.
        entity = AIEntity(id="", additional_type=["AIGeneratedContent"])
        if citations is not None:
            entity.citation = citations
        if usage_info is not None:
            entity.usage_info = usage_info
        self.add_entity(entity)

    def get_product_info_entity(self) -> ProductInfo | None:
        """The ``ProductInfo`` entity (it names the sub-channel), if any."""
        for entity in self.entities or ():
            if isinstance(entity, ProductInfo):
                return entity
        return None

    # -- agentic identities ---------------------------------------------------------------------

    def is_agentic_request(self) -> bool:
        """True when the recipient is an agentic app instance or agentic user."""
        return self.recipient is not None and self.recipient.role in _AGENTIC_ROLES

    def get_agentic_instance_id(self) -> str | None:
        if not self.is_agentic_request() or self.recipient is None:
            return None
        return self.recipient.agentic_app_id

    def get_agentic_user(self) -> str | None:
        if not self.is_agentic_request() or self.recipient is None:
            return None
        return self.recipient.agentic_user_id

    def get_agentic_tenant_id(self) -> str | None:
        if not self.is_agentic_request() or self.recipient is None:
            return None
        if self.recipient.tenant_id:
            return self.recipient.tenant_id
        return self.conversation.tenant_id if self.conversation is not None else None
