"""``TeamsConnectorClient``: the connector client plus the Teams-only REST operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import Activity, ConversationParameters, ResourceResponse
from microsoft_agents.activity.teams import (
    BatchFailedEntriesResponse,
    BatchOperationStateResponse,
    CancelOperationResponse,
    ChannelInfo,
    MeetingInfo,
    MeetingNotification,
    MeetingNotificationResponse,
    TeamDetails,
    TeamsBatchOperationResponse,
    TeamsChannelAccount,
    TeamsMeetingParticipant,
    TeamsMember,
    TeamsPagedMembersResult,
)

from .._rest import RestReply, dump_model, require_args
from ..client._connector_client import ConnectorClient

if TYPE_CHECKING:
    from ...authorization import AccessTokenProviderBase, AgentAuthConfiguration

__all__ = ["TeamsConnectorClient"]


def _json_object(reply: RestReply) -> dict[str, Any]:
    data = reply.json()
    return data if isinstance(data, dict) else {}


class TeamsConnectorClient(ConnectorClient):
    """A :class:`ConnectorClient` that also reaches the Teams team, meeting and batch APIs.

    This is the connector client the channel service client factory hands out, so Teams
    helpers can use it from ``context.turn_state["ConnectorClient"]``.
    """

    @classmethod
    async def create_client_with_auth_async(
        cls,
        base_url: str,
        auth_config: AgentAuthConfiguration,
        auth_provider: AccessTokenProviderBase,
        scope: str,
    ) -> TeamsConnectorClient:
        """A client of the service at ``base_url``, authenticated with a token for ``scope``.

        The token comes from ``auth_provider`` for the resource ``scope`` names (``scope``
        without its ``/.default`` suffix); ``auth_config`` is accepted for callers that pass
        the provider's configuration along and is not needed. A token of at most one
        character (what anonymous providers give) sends no ``Authorization`` header.
        """
        require_args(base_url=base_url, auth_provider=auth_provider, scope=scope)
        resource = scope[: -len("/.default")] if scope.endswith("/.default") else scope
        token = await auth_provider.get_access_token(resource, [scope])
        return cls(base_url, token or "")

    # -- members ---------------------------------------------------------------------------

    async def get_conversation_member(
        self, conversation_id: str, user_id: str
    ) -> TeamsChannelAccount:
        """``GET v3/conversations/{id}/members/{userId}`` as a Teams account."""
        require_args(conversation_id=conversation_id, user_id=user_id)
        cid = self.conversations.normalize_conversation_id(conversation_id)
        reply = await self.endpoint.send(
            "GET", self.endpoint.url("v3", "conversations", cid, "members", user_id)
        )
        return TeamsChannelAccount.model_validate(_json_object(reply))

    async def get_conversation_paged_member(
        self,
        conversation_id: str,
        page_size: int | None = None,
        continuation_token: str | None = None,
    ) -> TeamsPagedMembersResult:
        """``GET v3/conversations/{id}/pagedMembers?pageSize=&continuationToken=``.

        Called with a team id, this pages through the members of the team.
        """
        require_args(conversation_id=conversation_id)
        cid = self.conversations.normalize_conversation_id(conversation_id)
        reply = await self.endpoint.send(
            "GET",
            self.endpoint.url("v3", "conversations", cid, "pagedMembers"),
            params={
                "pageSize": None if page_size is None else str(page_size),
                "continuationToken": continuation_token,
            },
        )
        return TeamsPagedMembersResult.model_validate(_json_object(reply))

    async def create_conversation(
        self, conversation_parameters: ConversationParameters
    ) -> ResourceResponse:
        """``POST v3/conversations``: start a conversation; the response's id is its id."""
        created = await self.conversations.create_conversation(conversation_parameters)
        return ResourceResponse(id=created.id)

    # -- teams and meetings ------------------------------------------------------------------

    async def fetch_channel_list(self, team_id: str) -> list[ChannelInfo]:
        """``GET v3/teams/{teamId}/conversations``: the channels of a team."""
        require_args(team_id=team_id)
        reply = await self.endpoint.send(
            "GET", self.endpoint.url("v3", "teams", team_id, "conversations")
        )
        channels = _json_object(reply).get("conversations") or []
        return [ChannelInfo.model_validate(channel) for channel in channels]

    async def fetch_team_details(self, team_id: str) -> TeamDetails:
        """``GET v3/teams/{teamId}``."""
        require_args(team_id=team_id)
        reply = await self.endpoint.send("GET", self.endpoint.url("v3", "teams", team_id))
        return TeamDetails.model_validate(_json_object(reply))

    async def fetch_meeting_participant(
        self, meeting_id: str, participant_id: str, tenant_id: str
    ) -> TeamsMeetingParticipant:
        """``GET v1/meetings/{meetingId}/participants/{participantId}?tenantId=``."""
        require_args(meeting_id=meeting_id, participant_id=participant_id, tenant_id=tenant_id)
        reply = await self.endpoint.send(
            "GET",
            self.endpoint.url("v1", "meetings", meeting_id, "participants", participant_id),
            params={"tenantId": tenant_id},
        )
        return TeamsMeetingParticipant.model_validate(_json_object(reply))

    async def fetch_meeting_info(self, meeting_id: str) -> MeetingInfo:
        """``GET v1/meetings/{meetingId}``."""
        require_args(meeting_id=meeting_id)
        reply = await self.endpoint.send("GET", self.endpoint.url("v1", "meetings", meeting_id))
        return MeetingInfo.model_validate(_json_object(reply))

    async def send_meeting_notification(
        self, meeting_id: str, notification: MeetingNotification
    ) -> MeetingNotificationResponse:
        """``POST v1/meetings/{meetingId}/notification``.

        An empty answer (every recipient was notified) gives an empty response.
        """
        require_args(meeting_id=meeting_id, notification=notification)
        reply = await self.endpoint.send(
            "POST",
            self.endpoint.url("v1", "meetings", meeting_id, "notification"),
            body=dump_model(notification),
        )
        return MeetingNotificationResponse.model_validate(_json_object(reply))

    # -- batch messaging ---------------------------------------------------------------------

    async def _batch(self, kind: str, content: dict[str, Any]) -> TeamsBatchOperationResponse:
        reply = await self.endpoint.send(
            "POST", self.endpoint.url("v3", "batch", "conversation", kind), body=content
        )
        return TeamsBatchOperationResponse.model_validate(_json_object(reply))

    async def send_message_to_list_of_users(
        self, activity: Activity, tenant_id: str, members: list[TeamsMember]
    ) -> TeamsBatchOperationResponse:
        """``POST v3/batch/conversation/users``: message each listed user."""
        require_args(activity=activity, tenant_id=tenant_id, members=members)
        return await self._batch(
            "users",
            {
                "activity": dump_model(activity),
                "members": [dump_model(member) for member in members],
                "tenantId": tenant_id,
            },
        )

    async def send_message_to_all_users_in_tenant(
        self, activity: Activity, tenant_id: str
    ) -> TeamsBatchOperationResponse:
        """``POST v3/batch/conversation/tenant``: message every user of the tenant."""
        require_args(activity=activity, tenant_id=tenant_id)
        return await self._batch(
            "tenant", {"activity": dump_model(activity), "tenantId": tenant_id}
        )

    async def send_message_to_all_users_in_team(
        self, activity: Activity, tenant_id: str, team_id: str
    ) -> TeamsBatchOperationResponse:
        """``POST v3/batch/conversation/team``: message every member of a team."""
        require_args(activity=activity, tenant_id=tenant_id, team_id=team_id)
        return await self._batch(
            "team",
            {"activity": dump_model(activity), "tenantId": tenant_id, "teamId": team_id},
        )

    async def send_message_to_list_of_channels(
        self, activity: Activity, tenant_id: str, members: list[TeamsMember]
    ) -> TeamsBatchOperationResponse:
        """``POST v3/batch/conversation/channels``: post in each listed channel."""
        require_args(activity=activity, tenant_id=tenant_id, members=members)
        return await self._batch(
            "channels",
            {
                "activity": dump_model(activity),
                "tenantId": tenant_id,
                "members": [dump_model(member) for member in members],
            },
        )

    async def get_operation_state(self, operation_id: str) -> BatchOperationStateResponse:
        """``GET v3/batch/conversation/{operationId}``: progress of a batch operation."""
        require_args(operation_id=operation_id)
        reply = await self.endpoint.send(
            "GET", self.endpoint.url("v3", "batch", "conversation", operation_id)
        )
        return BatchOperationStateResponse.model_validate(_json_object(reply))

    async def get_failed_entries(self, operation_id: str) -> BatchFailedEntriesResponse:
        """``GET v3/batch/conversation/failedentries/{operationId}``."""
        require_args(operation_id=operation_id)
        reply = await self.endpoint.send(
            "GET",
            self.endpoint.url("v3", "batch", "conversation", "failedentries", operation_id),
        )
        return BatchFailedEntriesResponse.model_validate(_json_object(reply))

    async def cancel_operation(self, operation_id: str) -> CancelOperationResponse:
        """``DELETE v3/batch/conversation/{operationId}``: stop a batch operation."""
        require_args(operation_id=operation_id)
        reply = await self.endpoint.send(
            "DELETE", self.endpoint.url("v3", "batch", "conversation", operation_id)
        )
        return CancelOperationResponse.model_validate(_json_object(reply))
