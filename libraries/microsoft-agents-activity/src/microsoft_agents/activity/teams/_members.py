"""Team roster: member accounts and pages, team details, channel lists, read receipts."""

from __future__ import annotations

from pydantic import ConfigDict

from .._accounts import ChannelAccount
from .._model import AgentsModel
from ._channel_data import ChannelInfo

__all__ = [
    "ConversationList",
    "ReadReceiptInfo",
    "TeamDetails",
    "TeamsChannelAccount",
    "TeamsMember",
    "TeamsPagedMembersResult",
]


class TeamsChannelAccount(ChannelAccount):
    """A Teams user with directory details.

    It is a :class:`ChannelAccount`, so it can go wherever a channel account is expected.
    Keys Teams sends that are not declared here (``objectId``, later additions) are kept in
    :attr:`properties` and written back.
    """

    model_config = ConfigDict(extra="allow")

    given_name: str | None = None
    surname: str | None = None
    email: str | None = None
    user_principal_name: str | None = None
    user_role: str | None = None


class TeamsPagedMembersResult(AgentsModel):
    """One page of team or conversation members."""

    continuation_token: str | None = None
    members: list[TeamsChannelAccount] | None = None


class TeamsMember(AgentsModel):
    """A member reference used by the batch send calls (only the id)."""

    id: str | None = None


class TeamDetails(AgentsModel):
    """Details of a team as returned by the Teams team-details call."""

    id: str | None = None
    name: str | None = None
    aad_group_id: str | None = None
    channel_count: int | None = None
    member_count: int | None = None
    type: str | None = None


class ConversationList(AgentsModel):
    """The channels of a team as returned by the Teams channel-list call."""

    conversations: list[ChannelInfo] | None = None


class ReadReceiptInfo(AgentsModel):
    """Value of the ``application/vnd.microsoft.readReceipt`` event.

    Teams message ids in a conversation are increasing numbers, so a message counts as read
    when its id is at most ``last_read_message_id``.
    """

    last_read_message_id: str | None = None

    @staticmethod
    def is_message_read(compare_message_id: str | None, last_read_message_id: str | None) -> bool:
        """Whether ``compare_message_id`` is at or before ``last_read_message_id``.

        Returns ``False`` when either id is missing or not a whole number.
        """
        if not compare_message_id or not last_read_message_id:
            return False
        try:
            return int(compare_message_id) <= int(last_read_message_id)
        except ValueError:
            return False

    def is_message_read_instance(self, compare_message_id: str | None) -> bool:
        """:meth:`is_message_read` against this receipt's ``last_read_message_id``."""
        return self.is_message_read(compare_message_id, self.last_read_message_id)
