"""``TeamsInfo`` inside real turns: every call goes to the loopback Teams connector, which
records the request (method, path, query, body) and answers like the Teams service."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.activity.teams import (
    BatchFailedEntriesResponse,
    BatchOperationStateResponse,
    ChannelInfo,
    MeetingInfo,
    MeetingStageSurface,
    TargetedMeetingNotification,
    TargetedMeetingNotificationValue,
    TeamDetails,
    TeamsBatchOperationResponse,
    TeamsChannelAccount,
    TeamsMeetingParticipant,
    TeamsMember,
    TeamsPagedMembersResult,
)
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.teams import TeamsActivityHandler, TeamsInfo
from microsoft_agents.hosting.teams.errors import TeamsArgumentError

TENANT = "8a1b2c3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d"
TEAM_ID = "19:R2d2C3poTeam@thread.tacv2"
MEETING_ID = "MCMxOTptZWV0aW5nX05qUTNaR1E0QHRocmVhZC52MiMw"
USER = {
    "id": "29:1qVb5d6mPzKx-ada",
    "name": "Ada Lovelace",
    "aadObjectId": "6f1c2a9e-1d2e-4b7d-9d51-0c5a1e2f3a4b",
}
ADA = {
    **USER,
    "givenName": "Ada",
    "surname": "Lovelace",
    "email": "ada@contoso.com",
    "userPrincipalName": "ada@contoso.com",
    "tenantId": TENANT,
    "userRole": "user",
}
GRACE = {"id": "29:1GraceHopperTeams", "name": "Grace Hopper", "givenName": "Grace"}
ALAN = {"id": "29:1AlanTuring", "name": "Alan Turing", "givenName": "Alan"}

CHANNEL_MESSAGE = {
    "type": "message",
    "id": "1712345678901",
    "channelId": "msteams",
    "text": "status?",
    "from": USER,
    "recipient": {"id": "28:4e6c1d2b-agent", "name": "Helpdesk"},
    "conversation": {
        "id": f"{TEAM_ID};messageid=1712345678901",
        "conversationType": "channel",
        "isGroup": True,
        "tenantId": TENANT,
    },
    "channelData": {
        "tenant": {"id": TENANT},
        "team": {"id": TEAM_ID, "name": "Contoso Support"},
        "channel": {"id": TEAM_ID, "name": "General"},
        "teamsTeamId": TEAM_ID,
    },
}
PERSONAL_CHAT_ID = "a:1xYzPersonalChat-ada"
PERSONAL_MESSAGE = {
    **CHANNEL_MESSAGE,
    "conversation": {"id": PERSONAL_CHAT_ID, "conversationType": "personal"},
    "channelData": {"tenant": {"id": TENANT}},
}
MEETING_MESSAGE = {
    **CHANNEL_MESSAGE,
    "conversation": {"id": "19:meeting_NjQ3ZGQ4@thread.v2", "conversationType": "groupChat"},
    "channelData": {"tenant": {"id": TENANT}, "meeting": {"id": MEETING_ID}},
}

Script = Callable[[TurnContext], Awaitable[Any]]


class ScriptedAgent(TeamsActivityHandler):
    """Runs ``script`` for each message and keeps what it returned (or raised)."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.results: list[Any] = []

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        try:
            self.results.append(await self.script(turn_context))
        except Exception as error:  # kept for the test to inspect
            self.results.append(error)


async def run(host: Any, activity: dict[str, Any], script: Script) -> Any:
    agent = ScriptedAgent(script)
    await host.serve(agent)
    status, _ = await host.post(copy.deepcopy(activity))
    assert status == 202 and host.errors == []
    assert len(agent.results) == 1
    return agent.results[0]


def requests(host: Any) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.query) for r in host.channel.requests]


# -- teams ---------------------------------------------------------------------------------------


async def test_team_details_and_channels_default_to_the_turns_team(teams_host: Any) -> None:
    teams_host.channel.team_channels[TEAM_ID] = [
        {"id": TEAM_ID, "name": "General"},
        {"id": "19:escalations@thread.tacv2", "name": "Escalations"},
    ]

    async def script(context: TurnContext) -> Any:
        details = await TeamsInfo.get_team_details(context)
        channels = await TeamsInfo.get_team_channels(context)
        other = await TeamsInfo.get_team_details(context, "19:other@thread.tacv2")
        return details, channels, other

    details, channels, other = await run(teams_host, CHANNEL_MESSAGE, script)

    assert isinstance(details, TeamDetails)
    assert (details.id, details.name, details.channel_count) == (TEAM_ID, f"Team {TEAM_ID}", 2)
    assert all(isinstance(c, ChannelInfo) for c in channels)
    assert [(c.id, c.name) for c in channels] == [
        (TEAM_ID, "General"),
        ("19:escalations@thread.tacv2", "Escalations"),
    ]
    assert other.id == "19:other@thread.tacv2"
    assert requests(teams_host) == [
        ("GET", f"/v3/teams/{TEAM_ID}", {}),
        ("GET", f"/v3/teams/{TEAM_ID}/conversations", {}),
        ("GET", "/v3/teams/19:other@thread.tacv2", {}),
    ]


# -- members -------------------------------------------------------------------------------------


async def test_members_come_from_the_team_inside_a_team(teams_host: Any) -> None:
    teams_host.channel.members = [ADA, GRACE, ALAN]

    async def script(context: TurnContext) -> Any:
        member = await TeamsInfo.get_member(context, USER["id"])
        first = await TeamsInfo.get_paged_members(context, page_size=2)
        rest = await TeamsInfo.get_paged_members(
            context, continuation_token=first.continuation_token
        )
        team_member = await TeamsInfo.get_team_member(context, None, GRACE["id"])
        explicit = await TeamsInfo.get_paged_team_members(context, "19:other@thread.tacv2", 1)
        return member, first, rest, team_member, explicit

    member, first, rest, team_member, explicit = await run(teams_host, CHANNEL_MESSAGE, script)

    assert isinstance(member, TeamsChannelAccount)
    assert member.model_dump(mode="json", by_alias=True, exclude_unset=True) == ADA
    assert isinstance(first, TeamsPagedMembersResult)
    assert [m.id for m in first.members or []] == [ADA["id"], GRACE["id"]]
    assert first.continuation_token == "2"
    assert [m.given_name for m in rest.members or []] == ["Alan"]
    assert rest.continuation_token is None
    assert team_member.given_name == "Grace"
    assert [m.id for m in explicit.members or []] == [ADA["id"]]
    assert requests(teams_host) == [
        ("GET", f"/v3/conversations/{TEAM_ID}/members/{USER['id']}", {}),
        ("GET", f"/v3/conversations/{TEAM_ID}/pagedMembers", {"pageSize": "2"}),
        ("GET", f"/v3/conversations/{TEAM_ID}/pagedMembers", {"continuationToken": "2"}),
        ("GET", f"/v3/conversations/{TEAM_ID}/members/{GRACE['id']}", {}),
        ("GET", "/v3/conversations/19:other@thread.tacv2/pagedMembers", {"pageSize": "1"}),
    ]


async def test_members_come_from_the_conversation_outside_a_team(teams_host: Any) -> None:
    teams_host.channel.members = [ADA, GRACE]
    conversation = PERSONAL_CHAT_ID

    async def script(context: TurnContext) -> Any:
        member = await TeamsInfo.get_member(context, GRACE["id"])
        page = await TeamsInfo.get_paged_members(context)
        return member, page

    member, page = await run(teams_host, PERSONAL_MESSAGE, script)

    assert (member.id, member.given_name) == (GRACE["id"], "Grace")
    assert [m.id for m in page.members or []] == [ADA["id"], GRACE["id"]]
    assert requests(teams_host) == [
        ("GET", f"/v3/conversations/{conversation}/members/{GRACE['id']}", {}),
        ("GET", f"/v3/conversations/{conversation}/pagedMembers", {}),
    ]


# -- meetings ------------------------------------------------------------------------------------


async def test_meeting_calls_default_to_the_turns_meeting_sender_and_tenant(
    teams_host: Any,
) -> None:
    notification = TargetedMeetingNotification(
        value=TargetedMeetingNotificationValue(
            recipients=[USER["aadObjectId"]],
            surfaces=[
                MeetingStageSurface(
                    content_type="task",
                    content={"value": {"height": 300, "width": 400, "title": "Vote"}},
                )
            ],
        )
    )

    async def script(context: TurnContext) -> Any:
        info = await TeamsInfo.get_meeting_info(context)
        participant = await TeamsInfo.get_meeting_participant(context)
        other = await TeamsInfo.get_meeting_participant(context, "m-2", "aad-9", "tenant-2")
        sent = await TeamsInfo.send_meeting_notification(context, notification)
        return info, participant, other, sent

    info, participant, other, sent = await run(teams_host, MEETING_MESSAGE, script)

    assert isinstance(info, MeetingInfo)
    assert info.details is not None and info.details.title == "Planning meeting"
    assert isinstance(participant, TeamsMeetingParticipant)
    assert participant.user is not None and participant.user.id == USER["aadObjectId"]
    assert participant.meeting is not None and participant.meeting.role == "Attendee"
    assert other.user is not None and other.user.id == "aad-9"
    assert sent.recipients_failure_info is None
    assert requests(teams_host) == [
        ("GET", f"/v1/meetings/{MEETING_ID}", {}),
        (
            "GET",
            f"/v1/meetings/{MEETING_ID}/participants/{USER['aadObjectId']}",
            {"tenantId": TENANT},
        ),
        ("GET", "/v1/meetings/m-2/participants/aad-9", {"tenantId": "tenant-2"}),
        ("POST", f"/v1/meetings/{MEETING_ID}/notification", {}),
    ]
    assert teams_host.channel.requests[-1].json == {
        "type": "targetedMeetingNotification",
        "value": {
            "recipients": [USER["aadObjectId"]],
            "surfaces": [
                {
                    "surface": "meetingStage",
                    "contentType": "task",
                    "content": {"value": {"height": 300, "width": 400, "title": "Vote"}},
                }
            ],
        },
    }


# -- new channel threads -------------------------------------------------------------------------


async def test_send_message_to_teams_channel_through_the_connector(teams_host: Any) -> None:
    async def script(context: TurnContext) -> Any:
        message = Activity(type="message", text="Daily report is ready")
        return await TeamsInfo.send_message_to_teams_channel(context, message, "19:reports@t")

    reference, activity_id = await run(teams_host, CHANNEL_MESSAGE, script)

    posted = teams_host.channel.requests_to("POST", "/v3/conversations")
    assert len(posted) == 1
    assert posted[0].json == {
        "isGroup": True,
        "channelData": {"channel": {"id": "19:reports@t"}},
        "activity": {"type": "message", "text": "Daily report is ready"},
    }
    new_id = reference.conversation.id
    assert isinstance(reference, ConversationReference)
    assert teams_host.channel.activities(new_id)[0]["text"] == "Daily report is ready"
    assert activity_id == teams_host.channel.activities(new_id)[0]["id"]
    assert reference.activity_id == activity_id
    assert reference.channel_id == "msteams"
    assert reference.service_url == teams_host.channel.url
    assert reference.conversation.conversation_type == "channel"  # the rest is kept


async def test_send_message_to_teams_channel_through_the_adapter_with_an_app_id(
    teams_host: Any,
) -> None:
    async def script(context: TurnContext) -> Any:
        message = Activity(type="message", text="Incident opened")
        return await TeamsInfo.send_message_to_teams_channel(
            context, message, "19:incidents@t", app_id="4e6c1d2b-app"
        )

    reference, activity_id = await run(teams_host, CHANNEL_MESSAGE, script)

    posted = teams_host.channel.requests_to("POST", "/v3/conversations")
    assert [r.json["channelData"] for r in posted] == [{"channel": {"id": "19:incidents@t"}}]
    new_id = reference.conversation.id
    assert [a["text"] for a in teams_host.channel.activities(new_id)] == ["Incident opened"]
    assert activity_id == teams_host.channel.activities(new_id)[0]["id"]
    assert reference.channel_id == "msteams"
    assert reference.service_url == teams_host.channel.url


# -- batch messages ------------------------------------------------------------------------------


async def test_batch_messages_and_operation_status(teams_host: Any) -> None:
    message = Activity(type="message", text="Maintenance tonight at 22:00")

    async def script(context: TurnContext) -> Any:
        users = await TeamsInfo.send_message_to_list_of_users(
            context, message, None, [USER["id"], {"id": GRACE["id"]}]
        )
        tenant = await TeamsInfo.send_message_to_all_users_in_tenant(context, message, "t-2")
        team = await TeamsInfo.send_message_to_all_users_in_team(context, message, None, None)
        channels = await TeamsInfo.send_message_to_list_of_channels(
            context, message, TENANT, [TeamsMember(id="19:general@t")]
        )
        state = await TeamsInfo.get_operation_state(context, users.operation_id or "")
        failed = await TeamsInfo.get_failed_entries(context, users.operation_id or "")
        cancelled = await TeamsInfo.cancel_operation(context, tenant.operation_id or "")
        return users, tenant, team, channels, state, failed, cancelled

    users, tenant, team, channels, state, failed, cancelled = await run(
        teams_host, CHANNEL_MESSAGE, script
    )

    for response in (users, tenant, team, channels):
        assert isinstance(response, TeamsBatchOperationResponse)
        assert response.operation_id and response.operation_id.startswith("operation-")
    assert isinstance(state, BatchOperationStateResponse)
    assert (state.state, state.total_entries_count) == ("Completed", 2)
    assert isinstance(failed, BatchFailedEntriesResponse)
    operations = teams_host.channel.operations
    assert operations[tenant.operation_id]["state"] == "Cancelled"
    assert cancelled is not None
    wire = message.model_dump(mode="json", by_alias=True, exclude_unset=True)
    bodies = [r.json for r in teams_host.channel.requests if r.method == "POST"]
    assert bodies == [
        {
            "activity": wire,
            "members": [{"id": USER["id"]}, {"id": GRACE["id"]}],
            "tenantId": TENANT,
        },
        {"activity": wire, "tenantId": "t-2"},
        {"activity": wire, "tenantId": TENANT, "teamId": TEAM_ID},
        {"activity": wire, "tenantId": TENANT, "members": [{"id": "19:general@t"}]},
    ]
    assert [(m, p) for m, p, _ in requests(teams_host)] == [
        ("POST", "/v3/batch/conversation/users"),
        ("POST", "/v3/batch/conversation/tenant"),
        ("POST", "/v3/batch/conversation/team"),
        ("POST", "/v3/batch/conversation/channels"),
        ("GET", f"/v3/batch/conversation/{users.operation_id}"),
        ("GET", f"/v3/batch/conversation/failedentries/{users.operation_id}"),
        ("DELETE", f"/v3/batch/conversation/{tenant.operation_id}"),
    ]


# -- errors --------------------------------------------------------------------------------------


def code_of(error: BaseException) -> int:
    text = str(error)
    return int(text.rsplit("Error Code: ", 1)[1].split()[0])


async def test_missing_ids_raise_value_errors_with_their_codes(teams_host: Any) -> None:
    no_aad = {**PERSONAL_MESSAGE, "from": {"id": USER["id"]}, "channelData": {}}
    message = Activity(type="message", text="x")

    async def script(context: TurnContext) -> Any:
        calls = [
            TeamsInfo.get_team_details(context),
            TeamsInfo.get_team_channels(context),
            TeamsInfo.get_paged_team_members(context),
            TeamsInfo.get_meeting_info(context),
            TeamsInfo.get_meeting_participant(context, "m-1"),
            TeamsInfo.get_meeting_participant(context, "m-1", "aad-1"),
            TeamsInfo.send_message_to_teams_channel(context, message, ""),
            TeamsInfo.send_message_to_teams_channel(context, None, "19:c@t"),  # type: ignore[arg-type]
            TeamsInfo.send_message_to_all_users_in_tenant(context, message, None),
            TeamsInfo.send_message_to_list_of_users(context, message, "t", []),
            TeamsInfo.get_operation_state(context, ""),
            TeamsInfo.get_member(context, ""),
        ]
        errors = []
        for call in calls:
            try:
                await call
            except TeamsArgumentError as error:
                errors.append(error)
        return errors

    errors = await run(teams_host, no_aad, script)

    assert all(isinstance(error, ValueError) for error in errors)
    assert [code_of(error) for error in errors] == [
        -62005,
        -62005,
        -62005,
        -62003,
        -62004,
        -62010,
        -62008,
        -62007,
        -62010,
        -62011,
        -62012,
        -62013,
    ]
    assert teams_host.channel.requests == []


async def test_a_turn_without_a_teams_connector_is_a_value_error() -> None:
    seen: list[BaseException] = []

    async def logic(context: TurnContext) -> None:
        for call in (
            TeamsInfo.get_team_details(context, TEAM_ID),
            TeamsInfo.get_team_details(None, TEAM_ID),  # type: ignore[arg-type]
        ):
            try:
                await call
            except ValueError as error:
                seen.append(error)

    await TestAdapter(logic).process_activity("hello")

    assert [code_of(error) for error in seen] == [-62002, -62006]


async def test_service_errors_propagate_as_client_response_errors(teams_host: Any) -> None:
    teams_host.channel.stub(
        "GET",
        f"/v3/teams/{TEAM_ID}",
        status=403,
        json={"error": {"code": "BotNotInConversationRoster", "message": "not in team"}},
    )

    error = await run(teams_host, CHANNEL_MESSAGE, TeamsInfo.get_team_details)

    assert isinstance(error, aiohttp.ClientResponseError)
    assert error.status == 403 and "BotNotInConversationRoster" in error.message


@pytest.mark.parametrize("page_size", [0, 5])
async def test_page_size_is_sent_as_given(teams_host: Any, page_size: int) -> None:
    async def script(context: TurnContext) -> Any:
        return await TeamsInfo.get_paged_members(context, page_size=page_size)

    await run(teams_host, CHANNEL_MESSAGE, script)

    assert requests(teams_host)[0][2] == {"pageSize": str(page_size)}
