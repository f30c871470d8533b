"""TeamsConnectorClient and MCSConnectorClient against the loopback channel service."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from microsoft_agents.activity import Activity, ChannelAccount, ConversationParameters
from microsoft_agents.activity.teams import (
    MeetingNotification,
    TargetedMeetingNotificationValue,
    TeamsMember,
)
from microsoft_agents.hosting.core.connector import (
    ConnectorClient,
    ConnectorClientBase,
    MCSConnectorClient,
    RetryPolicy,
    TeamsConnectorClient,
)
from microsoft_agents.hosting.core.testing._channel_service import ChannelServiceStandIn


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as service:
        yield service


@pytest.fixture
async def teams(channel: ChannelServiceStandIn) -> AsyncIterator[TeamsConnectorClient]:
    async with TeamsConnectorClient(
        channel.url, "tok", retry_policy=RetryPolicy.disabled()
    ) as client:
        yield client


def test_teams_client_is_a_connector_client() -> None:
    client = TeamsConnectorClient("https://smba.example/", "t")
    assert isinstance(client, ConnectorClient)
    assert isinstance(client, ConnectorClientBase)


async def test_member_and_paged_members(
    channel: ChannelServiceStandIn, teams: TeamsConnectorClient
) -> None:
    member = await teams.get_conversation_member("19:conv@thread", "user-1")
    assert channel.last_request.path == "/v3/conversations/19:conv@thread/members/user-1"
    assert (member.id, member.aad_object_id) == ("user-1", "aad-user-1")

    page = await teams.get_conversation_paged_member("team-1", 1, None)
    request = channel.last_request
    assert (request.method, request.path, request.query) == (
        "GET",
        "/v3/conversations/team-1/pagedMembers",
        {"pageSize": "1"},
    )
    assert [m.id for m in page.members or []] == ["user-1"]
    page = await teams.get_conversation_paged_member("team-1", 1, page.continuation_token)
    assert channel.last_request.query == {"pageSize": "1", "continuationToken": "1"}
    assert [m.id for m in page.members or []] == ["agent-1"]


async def test_team_details_and_channels(
    channel: ChannelServiceStandIn, teams: TeamsConnectorClient
) -> None:
    channel.teams["team-1"] = {"name": "Contoso"}
    details = await teams.fetch_team_details("team-1")
    assert (channel.last_request.method, channel.last_request.path) == ("GET", "/v3/teams/team-1")
    assert (details.id, details.name, details.member_count) == ("team-1", "Contoso", 2)

    channels = await teams.fetch_channel_list("team-1")
    assert channel.last_request.path == "/v3/teams/team-1/conversations"
    assert [(c.id, c.name) for c in channels] == [
        ("team-1", "General"),
        ("team-1-planning", "Planning"),
    ]


async def test_meetings(channel: ChannelServiceStandIn, teams: TeamsConnectorClient) -> None:
    participant = await teams.fetch_meeting_participant("m-1", "p-1", "tenant-1")
    request = channel.last_request
    assert (request.method, request.path, request.query) == (
        "GET",
        "/v1/meetings/m-1/participants/p-1",
        {"tenantId": "tenant-1"},
    )
    assert participant.user is not None and participant.user.id == "p-1"
    assert participant.meeting is not None and participant.meeting.in_meeting is True

    info = await teams.fetch_meeting_info("m-1")
    assert channel.last_request.path == "/v1/meetings/m-1"
    assert info.details is not None and info.details.title == "Planning meeting"
    assert info.organizer is not None and info.organizer.id == "organizer-1"

    notification = MeetingNotification(
        type="targetedMeetingNotification",
        value=TargetedMeetingNotificationValue(recipients=["p-1"]),
    )
    result = await teams.send_meeting_notification("m-1", notification)
    request = channel.last_request
    assert (request.method, request.path) == ("POST", "/v1/meetings/m-1/notification")
    assert request.json == {
        "type": "targetedMeetingNotification",
        "value": {"recipients": ["p-1"]},
    }
    assert result.recipients_failure_info is None


async def test_batch_operations(
    channel: ChannelServiceStandIn, teams: TeamsConnectorClient
) -> None:
    activity = Activity(type="message", text="hello all")
    members = [TeamsMember(id="u-1"), TeamsMember(id="u-2")]

    sent = await teams.send_message_to_list_of_users(activity, "tenant-1", members)
    request = channel.last_request
    assert (request.method, request.path) == ("POST", "/v3/batch/conversation/users")
    assert request.json == {
        "activity": {"type": "message", "text": "hello all"},
        "members": [{"id": "u-1"}, {"id": "u-2"}],
        "tenantId": "tenant-1",
    }
    assert sent.operation_id

    await teams.send_message_to_all_users_in_tenant(activity, "tenant-1")
    assert channel.last_request.path == "/v3/batch/conversation/tenant"
    assert channel.last_request.json == {
        "activity": {"type": "message", "text": "hello all"},
        "tenantId": "tenant-1",
    }

    await teams.send_message_to_all_users_in_team(activity, "tenant-1", "team-1")
    assert channel.last_request.path == "/v3/batch/conversation/team"
    assert channel.last_request.json["teamId"] == "team-1"

    await teams.send_message_to_list_of_channels(activity, "tenant-1", [TeamsMember(id="19:c")])
    assert channel.last_request.path == "/v3/batch/conversation/channels"
    assert channel.last_request.json["members"] == [{"id": "19:c"}]

    state = await teams.get_operation_state(sent.operation_id)
    assert channel.last_request.path == f"/v3/batch/conversation/{sent.operation_id}"
    assert (state.state, state.total_entries_count) == ("Completed", 2)

    failed = await teams.get_failed_entries(sent.operation_id)
    assert channel.last_request.path == f"/v3/batch/conversation/failedentries/{sent.operation_id}"
    assert failed.failed_entries_responses == []

    await teams.cancel_operation(sent.operation_id)
    assert (channel.last_request.method, channel.last_request.path) == (
        "DELETE",
        f"/v3/batch/conversation/{sent.operation_id}",
    )
    assert channel.operations[sent.operation_id]["state"] == "Cancelled"


async def test_teams_client_keeps_the_conversation_operations(
    channel: ChannelServiceStandIn, teams: TeamsConnectorClient
) -> None:
    created = await teams.conversations.create_conversation(
        ConversationParameters(is_group=True, channel_data={"channel": {"id": "19:c"}})
    )
    assert channel.last_request.json == {
        "isGroup": True,
        "channelData": {"channel": {"id": "19:c"}},
    }
    assert created.id


# -- MCS ------------------------------------------------------------------------------------------


async def test_mcs_client_posts_activities_to_the_endpoint_itself(
    channel: ChannelServiceStandIn,
) -> None:
    channel.stub("POST", "/mcs/callback", json={"id": "mcs-1"})
    endpoint = f"{channel.url}mcs/callback"
    async with MCSConnectorClient(endpoint) as client:
        assert client.base_uri == endpoint
        sent = await client.conversations.send_to_conversation(
            "conv", Activity(type="message", text="a")
        )
        replied = await client.conversations.reply_to_activity(
            "conv", "act-1", Activity(type="message", text="b")
        )
    assert sent.id == replied.id == "mcs-1"
    assert [(r.method, r.path) for r in channel.requests] == [("POST", "/mcs/callback")] * 2
    assert [r.json for r in channel.requests] == [
        {"type": "message", "text": "a"},
        {"type": "message", "text": "b"},
    ]
    assert all("Authorization" not in r.headers for r in channel.requests)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.conversations.update_activity("c", "a", Activity(type="message")),
        lambda c: c.conversations.delete_activity("c", "a"),
        lambda c: c.conversations.get_conversation_members("c"),
        lambda c: c.conversations.get_conversations(),
        lambda c: c.attachments.get_attachment_info("a"),
    ],
)
async def test_mcs_client_other_operations_are_not_supported(call: object) -> None:
    client = MCSConnectorClient("https://connector.example/callback")
    with pytest.raises(NotImplementedError, match="Copilot Studio"):
        await call(client)  # type: ignore[operator]


def test_mcs_client_needs_an_endpoint() -> None:
    with pytest.raises(ValueError, match="endpoint"):
        MCSConnectorClient("")
    assert isinstance(MCSConnectorClient("https://x.example/cb"), ConnectorClientBase)
    with pytest.raises(NotImplementedError):
        MCSConnectorClient("https://x.example/cb").attachments.get_attachment_uri("a")


async def test_accounts_round_trip_unchanged(
    channel: ChannelServiceStandIn, teams: TeamsConnectorClient
) -> None:
    channel.members = [{"id": "x", "name": "X", "role": "user", "userPrincipalName": "x@c.com"}]
    (member,) = await teams.conversations.get_conversation_members("c")
    assert member == ChannelAccount(id="x", name="X", role="user", userPrincipalName="x@c.com")
