"""Teams payload models: exports, wire round-trips of realistic payloads, aliases, validation."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest
from pydantic import ValidationError

import microsoft_agents.activity.teams as teams
from microsoft_agents.activity._accounts import ChannelAccount
from microsoft_agents.activity._activity import Activity
from microsoft_agents.activity._content import Attachment, CardAction, SuggestedActions
from microsoft_agents.activity._model import AgentsModel
from microsoft_agents.activity.teams import (
    AppBasedLinkQuery,
    BatchFailedEntriesResponse,
    BatchOperationStateResponse,
    CancelOperationResponse,
    ConfigAuthResponse,
    ConfigResponse,
    ConfigTaskResponse,
    ConversationList,
    FileConsentCard,
    FileConsentCardResponse,
    MeetingDetails,
    MeetingEndEventDetails,
    MeetingInfo,
    MeetingNotificationResponse,
    MeetingParticipantInfo,
    MeetingParticipantsEventDetails,
    MeetingStageSurface,
    MeetingStartEventDetails,
    MeetingTabIconSurface,
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    MessagingExtensionAttachment,
    MessagingExtensionQuery,
    MessagingExtensionResponse,
    MessagingExtensionResult,
    O365ConnectorCard,
    O365ConnectorCardActionBase,
    O365ConnectorCardActionCard,
    O365ConnectorCardActionQuery,
    O365ConnectorCardDateInput,
    O365ConnectorCardHttpPOST,
    O365ConnectorCardInputBase,
    O365ConnectorCardMultichoiceInput,
    O365ConnectorCardOpenUri,
    O365ConnectorCardTextInput,
    O365ConnectorCardViewAction,
    OnBehalfOf,
    ReadReceiptInfo,
    Surface,
    TabRequest,
    TabResponse,
    TabResponseCard,
    TabResponseCards,
    TabResponsePayload,
    TabSubmit,
    TargetedMeetingNotification,
    TargetedMeetingNotificationValue,
    TaskModuleCardResponse,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleRequest,
    TaskModuleResponse,
    TaskModuleResponseBase,
    TaskModuleTaskInfo,
    TeamDetails,
    TeamsBatchOperationResponse,
    TeamsChannelAccount,
    TeamsChannelData,
    TeamsMeetingParticipant,
    TeamsPagedMembersResult,
)

REQUIRED_NAMES = [
    "AppBasedLinkQuery",
    "BatchOperationResponse",
    "BatchOperationStateResponse",
    "BatchFailedEntriesResponse",
    "CancelOperationResponse",
    "ChannelInfo",
    "ConversationList",
    "FileConsentCard",
    "FileConsentCardResponse",
    "FileDownloadInfo",
    "FileInfoCard",
    "FileUploadInfo",
    "MeetingDetails",
    "MeetingInfo",
    "MeetingStartEventDetails",
    "MeetingEndEventDetails",
    "MessageActionsPayload",
    "MessageActionsPayloadApp",
    "MessageActionsPayloadAttachment",
    "MessageActionsPayloadBody",
    "MessageActionsPayloadConversation",
    "MessageActionsPayloadFrom",
    "MessageActionsPayloadMention",
    "MessageActionsPayloadReaction",
    "MessageActionsPayloadUser",
    "MessagingExtensionAction",
    "MessagingExtensionActionResponse",
    "MessagingExtensionAttachment",
    "MessagingExtensionParameter",
    "MessagingExtensionQuery",
    "MessagingExtensionQueryOptions",
    "MessagingExtensionResponse",
    "MessagingExtensionResult",
    "MessagingExtensionSuggestedAction",
    "NotificationInfo",
    "O365ConnectorCard",
    "O365ConnectorCardActionBase",
    "O365ConnectorCardActionCard",
    "O365ConnectorCardActionQuery",
    "O365ConnectorCardDateInput",
    "O365ConnectorCardFact",
    "O365ConnectorCardHttpPOST",
    "O365ConnectorCardImage",
    "O365ConnectorCardInputBase",
    "O365ConnectorCardMultichoiceInput",
    "O365ConnectorCardMultichoiceInputChoice",
    "O365ConnectorCardOpenUri",
    "O365ConnectorCardOpenUriTarget",
    "O365ConnectorCardSection",
    "O365ConnectorCardTextInput",
    "O365ConnectorCardViewAction",
    "SigninStateVerificationQuery",
    "TaskModuleContinueResponse",
    "TaskModuleMessageResponse",
    "TaskModuleRequest",
    "TaskModuleRequestContext",
    "TaskModuleResponse",
    "TaskModuleResponseBase",
    "TaskModuleTaskInfo",
    "TeamDetails",
    "TeamInfo",
    "TeamsChannelAccount",
    "TeamsChannelDataSettings",
    "TeamsChannelData",
    "TeamsPagedMembersResult",
    "TenantInfo",
    "TeamsMember",
    "TeamsMeetingInfo",
    "TeamsMeetingParticipant",
    "MeetingParticipantInfo",
    "CacheInfo",
    "TabContext",
    "TabEntityContext",
    "TabRequest",
    "TabResponseCard",
    "TabResponseCards",
    "TabResponsePayload",
    "TabResponse",
    "TabSubmit",
    "TabSubmitData",
    "TabSuggestedActions",
    "TaskModuleCardResponse",
    "UserMeetingDetails",
    "TeamsMeetingMember",
    "MeetingParticipantsEventDetails",
    "ReadReceiptInfo",
    "BotConfigAuth",
    "ConfigAuthResponse",
    "ConfigResponse",
    "ConfigTaskResponse",
    "MeetingNotificationBase",
    "MeetingNotification",
    "MeetingNotificationResponse",
    "OnBehalfOf",
    "TeamsBatchOperationResponse",
]

# Models whose discriminating defaults are always written, even when built with no arguments.
ALWAYS_WRITTEN = {
    "BotConfigAuth": {"type": "auth"},
    "ConfigAuthResponse": {"responseType": "config", "config": {"type": "auth"}},
    "ConfigResponse": {"responseType": "config"},
    "ConfigTaskResponse": {"responseType": "config", "config": {}},
    "O365ConnectorCardActionCard": {"@type": "ActionCard"},
    "O365ConnectorCardDateInput": {"@type": "DateInput"},
    "O365ConnectorCardHttpPOST": {"@type": "HttpPOST"},
    "O365ConnectorCardMultichoiceInput": {"@type": "MultichoiceInput"},
    "O365ConnectorCardOpenUri": {"@type": "OpenUri"},
    "O365ConnectorCardTextInput": {"@type": "TextInput"},
    "O365ConnectorCardViewAction": {"@type": "ViewAction"},
    "TaskModuleContinueResponse": {"type": "continue"},
    "TaskModuleMessageResponse": {"type": "message"},
}


def wire(model: AgentsModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def assert_round_trip(cls: type[AgentsModel], payload: dict[str, Any]) -> Any:
    original = copy.deepcopy(payload)
    parsed = cls.model_validate(payload)
    assert wire(parsed) == original
    assert payload == original  # parsing must not mutate the input
    return parsed


# -- exports -------------------------------------------------------------------------------


def test_required_names_are_exported_models() -> None:
    assert len(set(REQUIRED_NAMES)) == 95
    missing = [name for name in REQUIRED_NAMES if name not in teams.__all__]
    assert missing == []
    for name in REQUIRED_NAMES:
        cls = getattr(teams, name)
        assert isinstance(cls, type) and issubclass(cls, AgentsModel), name


def test_everything_in_all_is_importable() -> None:
    for name in teams.__all__:
        assert getattr(teams, name) is not None
    assert len(teams.__all__) == len(set(teams.__all__))


@pytest.mark.parametrize("name", sorted(set(REQUIRED_NAMES) - {"MessagingExtensionAttachment"}))
def test_models_build_without_arguments(name: str) -> None:
    model = getattr(teams, name)()
    assert wire(model) == ALWAYS_WRITTEN.get(name, {})


def test_messaging_extension_attachment_requires_content_type() -> None:
    with pytest.raises(ValidationError) as info:
        MessagingExtensionAttachment()
    assert info.value.errors()[0]["loc"] == ("contentType",)


# -- channel data --------------------------------------------------------------------------

CHANNEL_MESSAGE_CHANNEL_DATA = {
    "teamsChannelId": "19:4b6bed8d24574f6a9e436813cb2617d8@thread.tacv2",
    "teamsTeamId": "19:a2a2b0f2e1d94d1c8d1f4f0b8e7a6c5d@thread.tacv2",
    "channel": {
        "id": "19:4b6bed8d24574f6a9e436813cb2617d8@thread.tacv2",
        "name": "General",
        "type": "standard",
    },
    "team": {
        "id": "19:a2a2b0f2e1d94d1c8d1f4f0b8e7a6c5d@thread.tacv2",
        "name": "Contoso Sales",
        "aadGroupId": "5f1e3c2a-9b7d-4e3f-8a61-0c2d4e6f8a10",
        "membershipType": "private",
    },
    "tenant": {"id": "72f988bf-86f1-41af-91ab-2d7cd011db47"},
    "settings": {
        "selectedChannel": {"id": "19:4b6bed8d24574f6a9e436813cb2617d8@thread.tacv2"},
        "tabContext": {"entityId": "sales-dashboard"},
    },
    "notification": {"alert": True, "alertInMeeting": False},
    "onBehalfOf": [
        {"itemId": 0, "mentionType": "person", "mri": "29:1abc", "displayName": "Megan Bowen"}
    ],
    "source": {"name": "message"},
    "legacy": {"replyToId": "1:1dFt3XkO0i5nZ7tLVMa9yqDA"},
}


def test_channel_message_channel_data_round_trips_with_unknown_keys() -> None:
    data = assert_round_trip(TeamsChannelData, CHANNEL_MESSAGE_CHANNEL_DATA)
    assert data.channel.name == "General"
    assert data.channel.type == "standard"
    assert data.team.aad_group_id == "5f1e3c2a-9b7d-4e3f-8a61-0c2d4e6f8a10"
    assert data.tenant.id == "72f988bf-86f1-41af-91ab-2d7cd011db47"
    assert data.settings.selected_channel.id.startswith("19:4b6bed8d")
    assert data.notification.alert is True and data.notification.alert_in_meeting is False
    assert data.on_behalf_of == [
        OnBehalfOf(item_id=0, mention_type="person", mri="29:1abc", display_name="Megan Bowen")
    ]
    assert data.event_type is None
    assert data.model_extra == {
        "teamsChannelId": CHANNEL_MESSAGE_CHANNEL_DATA["teamsChannelId"],
        "teamsTeamId": CHANNEL_MESSAGE_CHANNEL_DATA["teamsTeamId"],
        "source": {"name": "message"},
        "legacy": {"replyToId": "1:1dFt3XkO0i5nZ7tLVMa9yqDA"},
    }
    assert data.team.model_extra == {"membershipType": "private"}


def test_channel_data_read_from_an_activity() -> None:
    activity = Activity.model_validate(
        {
            "type": "conversationUpdate",
            "channelId": "msteams",
            "channelData": {
                "eventType": "channelCreated",
                "channel": {"id": "19:new@thread.tacv2", "name": "Launch"},
                "team": {"id": "19:team@thread.tacv2"},
                "tenant": {"id": "tenant-1"},
                "meeting": {"id": "MCMxOTptZWV0aW5n"},
            },
        }
    )
    data = TeamsChannelData.model_validate(activity.channel_data)
    assert data.event_type == "channelCreated"
    assert data.channel.name == "Launch"
    assert data.meeting.id == "MCMxOTptZWV0aW5n"
    assert wire(data) == activity.channel_data


def test_channel_data_accepts_python_names() -> None:
    data = TeamsChannelData(event_type="teamRenamed", on_behalf_of=[])
    assert wire(data) == {"eventType": "teamRenamed", "onBehalfOf": []}


def test_channel_data_wrong_type_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        TeamsChannelData.model_validate({"team": "not-an-object"})
    assert info.value.errors()[0]["loc"] == ("team",)
    with pytest.raises(ValidationError) as info:
        TeamsChannelData.model_validate({"notification": {"alert": "sometimes"}})
    assert info.value.errors()[0]["loc"] == ("notification", "alert")


# -- members -------------------------------------------------------------------------------

MEMBER = {
    "id": "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4J",
    "objectId": "9d3e08f9-a7ae-43aa-a4d3-de3f319a8a9c",
    "name": "Adele Vance",
    "givenName": "Adele",
    "surname": "Vance",
    "email": "AdeleV@contoso.onmicrosoft.com",
    "userPrincipalName": "AdeleV@contoso.onmicrosoft.com",
    "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "userRole": "user",
    "aadObjectId": "9d3e08f9-a7ae-43aa-a4d3-de3f319a8a9c",
    "jobTitle": "Retail Manager",
}


def test_teams_channel_account_round_trips_and_keeps_extra_keys() -> None:
    member = assert_round_trip(TeamsChannelAccount, MEMBER)
    assert isinstance(member, ChannelAccount)
    assert member.given_name == "Adele" and member.surname == "Vance"
    assert member.user_principal_name == "AdeleV@contoso.onmicrosoft.com"
    assert member.aad_object_id == "9d3e08f9-a7ae-43aa-a4d3-de3f319a8a9c"
    assert member.user_role == "user"
    assert member.properties == {
        "objectId": "9d3e08f9-a7ae-43aa-a4d3-de3f319a8a9c",
        "jobTitle": "Retail Manager",
    }


def test_paged_members_result_round_trips() -> None:
    page = assert_round_trip(
        TeamsPagedMembersResult,
        {"continuationToken": "a:3LGVMu5O", "members": [MEMBER, {"id": "29:2", "name": "Bot"}]},
    )
    assert [type(m) for m in page.members] == [TeamsChannelAccount, TeamsChannelAccount]
    assert page.members[0].properties["jobTitle"] == "Retail Manager"


def test_team_details_and_channel_list_round_trip() -> None:
    details = assert_round_trip(
        TeamDetails,
        {
            "id": "19:team@thread.tacv2",
            "name": "Contoso Sales",
            "aadGroupId": "5f1e3c2a",
            "channelCount": 4,
            "memberCount": 12,
            "type": "standard",
        },
    )
    assert details.member_count == 12
    channels = assert_round_trip(
        ConversationList,
        {"conversations": [{"id": "19:general@thread.tacv2"}, {"id": "19:x", "name": "Ops"}]},
    )
    assert channels.conversations[1].name == "Ops"


@pytest.mark.parametrize(
    ("compare", "last", "expected"),
    [("5", "7", True), ("7", "7", True), ("8", "7", False), ("x", "7", False), (None, "7", False)],
)
def test_read_receipt(compare: str | None, last: str, expected: bool) -> None:
    info = ReadReceiptInfo.model_validate({"lastReadMessageId": last})
    assert info.is_message_read_instance(compare) is expected
    assert ReadReceiptInfo.is_message_read(compare, last) is expected


# -- meetings ------------------------------------------------------------------------------

MEETING_START = {
    "id": "MCMxOTptZWV0aW5nX05qZ3lORFE1WldFdE9USXhPUzAwTkRCaExXSXdaV1F0WmpjeU1HUTJOREkw",
    "joinUrl": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0",
    "title": "Quarterly planning",
    "meetingType": "Scheduled",
    "startTime": "2024-03-04T17:00:01.2590000Z",
}


def test_meeting_start_event_round_trips() -> None:
    details = assert_round_trip(MeetingStartEventDetails, MEETING_START)
    assert details.start_time == "2024-03-04T17:00:01.2590000Z"
    assert details.meeting_type == "Scheduled"
    assert details.title == "Quarterly planning"


def test_meeting_events_accept_the_pascal_case_keys_teams_sends() -> None:
    pascal = {key[0].upper() + key[1:]: value for key, value in MEETING_START.items()}
    assert "StartTime" in pascal
    assert MeetingStartEventDetails.model_validate(pascal) == MeetingStartEventDetails(
        **MEETING_START
    )
    end = MeetingEndEventDetails.model_validate({"Id": "m1", "EndTime": "2024-03-04T18:00:00Z"})
    assert (end.id, end.end_time) == ("m1", "2024-03-04T18:00:00Z")
    assert wire(end) == {"id": "m1", "endTime": "2024-03-04T18:00:00Z"}


def test_meeting_event_prefers_the_exact_key_over_a_case_variant() -> None:
    details = MeetingStartEventDetails.model_validate({"StartTime": "old", "startTime": "new"})
    assert details.start_time == "new"


def test_meeting_info_round_trips_with_unique_id() -> None:
    info = assert_round_trip(
        MeetingInfo,
        {
            "details": {
                "uniqueId": "MCMxOTptZWV0aW5n",
                "msGraphResourceId": "MSpkYzE3Njc0Yy04MWQ5",
                "scheduledStartTime": "2024-03-04T17:00:00Z",
                "scheduledEndTime": "2024-03-04T18:00:00Z",
                "joinUrl": "https://teams.microsoft.com/l/meetup-join/abc",
                "title": "Quarterly planning",
                "type": "Scheduled",
            },
            "conversation": {
                "isGroup": True,
                "conversationType": "groupChat",
                "id": "19:meeting_abc@thread.v2",
            },
            "organizer": {"id": "29:org", "aadObjectId": "a1", "tenantId": "t1"},
        },
    )
    assert info.details.id == "MCMxOTptZWV0aW5n"
    assert info.organizer.tenant_id == "t1"


def test_meeting_details_id_alias() -> None:
    assert MeetingDetails.model_fields["id"].alias == "uniqueId"
    assert wire(MeetingDetails(id="m")) == {"uniqueId": "m"}
    assert MeetingDetails.model_validate({"id": "m"}).id == "m"


def test_meeting_participant_and_participant_events_round_trip() -> None:
    participant = assert_round_trip(
        TeamsMeetingParticipant,
        {
            "user": {"id": "29:u", "name": "Adele Vance", "userRole": "user"},
            "meeting": {"role": "Presenter", "inMeeting": True},
            "conversation": {"id": "19:meeting_abc@thread.v2", "isGroup": True},
        },
    )
    assert participant.meeting.in_meeting is True
    joined = assert_round_trip(
        MeetingParticipantsEventDetails,
        {
            "members": [
                {
                    "user": {"id": "29:u", "aadObjectId": "a1", "tenantId": "t1"},
                    "meeting": {"inMeeting": True, "role": "Attendee"},
                }
            ]
        },
    )
    assert joined.members[0].meeting.role == "Attendee"
    with pytest.raises(ValidationError) as info:
        MeetingParticipantInfo.model_validate({"inMeeting": "perhaps"})
    assert info.value.errors()[0]["loc"] == ("inMeeting",)


def test_targeted_meeting_notification_wire_form() -> None:
    notification = TargetedMeetingNotification(
        value=TargetedMeetingNotificationValue(
            recipients=["29:1abc"],
            surfaces=[
                MeetingStageSurface(content={"value": {"height": "300", "url": "https://x"}}),
                MeetingTabIconSurface(tab_entity_id="agenda"),
            ],
        ),
    )
    payload = wire(notification)
    assert payload == {
        "type": "targetedMeetingNotification",
        "value": {
            "recipients": ["29:1abc"],
            "surfaces": [
                {
                    "surface": "meetingStage",
                    "contentType": "task",
                    "content": {"value": {"height": "300", "url": "https://x"}},
                },
                {"surface": "meetingTabIcon", "tabEntityId": "agenda"},
            ],
        },
    }
    payload["value"]["surfaces"].append({"surface": "meetingBanner", "text": "hi"})
    payload["channelData"] = {"onBehalfOf": [{"itemId": 0, "mri": "29:1abc"}]}
    parsed = assert_round_trip(TargetedMeetingNotification, payload)
    kinds = [type(s) for s in parsed.value.surfaces]
    assert kinds == [MeetingStageSurface, MeetingTabIconSurface, Surface]
    assert parsed.channel_data.on_behalf_of_list[0].mri == "29:1abc"


def test_meeting_notification_response_round_trips() -> None:
    response = assert_round_trip(
        MeetingNotificationResponse,
        {
            "recipientsFailureInfo": [
                {"recipientMri": "29:x", "errorCode": "MemberNotFound", "failureReason": "gone"}
            ]
        },
    )
    assert response.recipients_failure_info[0].error_code == "MemberNotFound"


# -- message extensions --------------------------------------------------------------------


def test_messaging_extension_query_round_trips() -> None:
    query = assert_round_trip(
        MessagingExtensionQuery,
        {
            "commandId": "searchProducts",
            "parameters": [{"name": "searchKeyword", "value": "surface"}],
            "queryOptions": {"skip": 0, "count": 25},
            "state": "1234",
        },
    )
    assert query.command_id == "searchProducts"
    assert query.parameters[0].value == "surface"
    assert query.query_options.count == 25
    with pytest.raises(ValidationError) as info:
        MessagingExtensionQuery.model_validate({"queryOptions": {"skip": "first"}})
    assert info.value.errors()[0]["loc"] == ("queryOptions", "skip")


ADAPTIVE_CARD = {
    "type": "AdaptiveCard",
    "version": "1.4",
    "body": [{"type": "TextBlock", "text": "Order 42 shipped"}],
}

SUBMIT_ACTION = {
    "commandId": "shareOrder",
    "commandContext": "compose",
    "botMessagePreviewAction": "send",
    "botActivityPreview": [
        {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": ADAPTIVE_CARD}
            ],
        }
    ],
    "context": {"theme": "dark"},
    "data": {"orderId": 42},
    "messagePayload": {
        "id": "1716912345678",
        "replyToId": None,
        "createdDateTime": "2024-05-28T16:05:45.678Z",
        "deleted": False,
        "importance": "normal",
        "locale": "en-us",
        "linkToMessage": "https://teams.microsoft.com/l/message/19:abc/1716912345678",
        "from": {
            "user": {"id": "a1", "displayName": "Adele Vance", "userIdentityType": "aadUser"},
            "application": None,
            "conversation": None,
        },
        "body": {"contentType": "html", "content": '<p>Order <at id="0">Bot</at></p>'},
        "attachments": [],
        "mentions": [
            {
                "id": 0,
                "mentionText": "Bot",
                "mentioned": {
                    "application": {
                        "applicationIdentityType": "bot",
                        "id": "b1",
                        "displayName": "Bot",
                    }
                },
            }
        ],
        "reactions": [
            {
                "reactionType": "like",
                "createdDateTime": "2024-05-28T16:06:00Z",
                "user": {"user": {"id": "u2", "displayName": "Megan"}},
            }
        ],
    },
}


def test_submit_action_with_bot_activity_preview_round_trips() -> None:
    action = assert_round_trip(MessagingExtensionAction, SUBMIT_ACTION)
    assert action.bot_message_preview_action == "send"
    preview = action.bot_activity_preview[0]
    assert isinstance(preview, Activity)
    assert preview.attachments[0].content == ADAPTIVE_CARD
    assert action.context.theme == "dark"
    payload = action.message_payload
    assert payload.from_property.user.display_name == "Adele Vance"
    assert payload.mentions[0].mentioned.application.application_identity_type == "bot"
    assert payload.reactions[0].user.user.id == "u2"
    assert payload.reply_to_id is None and "reply_to_id" in payload.model_fields_set


def test_message_payload_sender_travels_as_from() -> None:
    field = teams.MessageActionsPayload.model_fields["from_property"]
    assert field.alias == "from"


def test_messaging_extension_responses_round_trip() -> None:
    response = assert_round_trip(
        MessagingExtensionResponse,
        {
            "composeExtension": {
                "type": "result",
                "attachmentLayout": "list",
                "attachments": [
                    {
                        "contentType": "application/vnd.microsoft.card.adaptive",
                        "content": ADAPTIVE_CARD,
                        "preview": {
                            "contentType": "application/vnd.microsoft.card.thumbnail",
                            "content": {"title": "Order 42"},
                        },
                    }
                ],
            },
            "cacheInfo": {"cacheType": "cache", "cacheDuration": 3600},
        },
    )
    attachment = response.compose_extension.attachments[0]
    assert isinstance(attachment, Attachment)
    assert attachment.preview.content == {"title": "Order 42"}
    assert response.cache_info.cache_duration == 3600

    preview = assert_round_trip(
        MessagingExtensionActionResponse,
        {
            "composeExtension": {
                "type": "botMessagePreview",
                "activityPreview": SUBMIT_ACTION["botActivityPreview"][0],
            }
        },
    )
    assert isinstance(preview.compose_extension.activity_preview, Activity)


def test_messaging_extension_result_built_in_code() -> None:
    result = MessagingExtensionResult(
        type="auth",
        suggested_actions=teams.MessagingExtensionSuggestedAction(
            actions=[CardAction(type="openUrl", title="Sign in", value="https://login")]
        ),
    )
    assert wire(result) == {
        "type": "auth",
        "suggestedActions": {
            "actions": [{"type": "openUrl", "title": "Sign in", "value": "https://login"}]
        },
    }


def test_link_and_signin_queries() -> None:
    link = assert_round_trip(AppBasedLinkQuery, {"url": "https://contoso.com/orders/42"})
    assert link.state is None
    assert teams.SigninStateVerificationQuery.model_validate({"state": "123456"}).state == "123456"


# -- task modules and configuration --------------------------------------------------------

TASK_FETCH = {
    "data": {"type": "task/fetch", "verb": "editProfile"},
    "context": {"theme": "default"},
    "tabContext": {"tabEntityId": "profileTab"},
}


def test_task_fetch_value_round_trips_with_tab_context() -> None:
    request = assert_round_trip(TaskModuleRequest, TASK_FETCH)
    assert request.tab_entity_context.tab_entity_id == "profileTab"
    assert request.data["verb"] == "editProfile"
    assert TaskModuleRequest.model_fields["tab_entity_context"].alias == "tabContext"


def test_task_module_responses_are_parsed_by_type() -> None:
    cont = assert_round_trip(
        TaskModuleResponse,
        {
            "task": {
                "type": "continue",
                "value": {
                    "title": "Edit profile",
                    "height": "medium",
                    "width": 600,
                    "card": {
                        "contentType": "application/vnd.microsoft.card.adaptive",
                        "content": ADAPTIVE_CARD,
                    },
                },
            },
            "cacheInfo": {"cacheType": "no_cache"},
        },
    )
    assert isinstance(cont.task, TaskModuleContinueResponse)
    assert cont.task.value.width == 600
    message = TaskModuleResponse.model_validate({"task": {"type": "message", "value": "Saved"}})
    assert isinstance(message.task, TaskModuleMessageResponse)
    other = assert_round_trip(TaskModuleResponse, {"task": {"type": "later", "hint": 1}})
    assert type(other.task) is TaskModuleResponseBase
    assert other.task.model_extra == {"hint": 1}


def test_task_module_responses_built_in_code_carry_their_type() -> None:
    info = TaskModuleTaskInfo(title="Hi", url="https://contoso.com/dialog", height=300)
    assert wire(TaskModuleResponse(task=TaskModuleContinueResponse(value=info))) == {
        "task": {
            "type": "continue",
            "value": {"title": "Hi", "url": "https://contoso.com/dialog", "height": 300},
        }
    }
    assert wire(MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value="ok"))) == {
        "task": {"type": "message", "value": "ok"}
    }
    card = TaskModuleCardResponse(value=TabResponse(tab=TabResponsePayload(type="continue")))
    assert wire(TaskModuleResponse(task=card)) == {"task": {"value": {"tab": {"type": "continue"}}}}


def test_task_module_response_base_keeps_unknown_keys() -> None:
    base = TaskModuleResponseBase.model_validate({"type": "x", "customKey": [1, 2]})
    assert base.model_extra == {"customKey": [1, 2]}
    assert wire(base) == {"type": "x", "customKey": [1, 2]}


def test_task_info_rejects_a_card_of_the_wrong_shape() -> None:
    with pytest.raises(ValidationError) as info:
        TaskModuleTaskInfo.model_validate({"card": {"content": {}}})
    assert info.value.errors()[0]["loc"] == ("card", "contentType")


def test_config_responses() -> None:
    sign_in = ConfigAuthResponse(
        config=teams.BotConfigAuth(
            suggested_actions=SuggestedActions(
                actions=[CardAction(type="openUrl", title="Sign in", value="https://login")]
            )
        )
    )
    assert wire(sign_in) == {
        "responseType": "config",
        "config": {
            "type": "auth",
            "suggestedActions": {
                "actions": [{"type": "openUrl", "title": "Sign in", "value": "https://login"}],
            },
        },
    }
    dialog = ConfigTaskResponse(
        config=TaskModuleContinueResponse(value=TaskModuleTaskInfo(url="u"))
    )
    assert wire(dialog) == {
        "responseType": "config",
        "config": {"type": "continue", "value": {"url": "u"}},
    }
    parsed = assert_round_trip(ConfigResponse, {"responseType": "config", "config": {"a": 1}})
    assert parsed.config == {"a": 1}


# -- tabs ----------------------------------------------------------------------------------


def test_tab_fetch_and_submit_values() -> None:
    fetch = assert_round_trip(
        TabRequest,
        {"tabContext": {"tabEntityId": "homeTab"}, "context": {"theme": "dark"}, "state": "s"},
    )
    assert fetch.tab_entity_context.tab_entity_id == "homeTab"
    also = TabRequest.model_validate({"tabEntityContext": {"tabEntityId": "homeTab"}})
    assert also.tab_entity_context == fetch.tab_entity_context
    submit = assert_round_trip(
        TabSubmit,
        {
            "tabContext": {"tabEntityId": "homeTab"},
            "context": {"theme": "default"},
            "data": {"type": "tab/submit", "action": "refresh"},
        },
    )
    assert submit.data.type == "tab/submit"
    assert submit.data.model_extra == {"action": "refresh"}


def test_tab_response_built_in_code() -> None:
    response = TabResponse(
        tab=TabResponsePayload(
            type="continue",
            value=TabResponseCards(cards=[TabResponseCard(card=ADAPTIVE_CARD)]),
        )
    )
    payload = wire(response)
    assert payload == {"tab": {"type": "continue", "value": {"cards": [{"card": ADAPTIVE_CARD}]}}}
    assert TabResponse.model_validate(payload) == response


# -- O365 connector cards ------------------------------------------------------------------

CONNECTOR_CARD = {
    "title": "Incident 1042",
    "text": "Database latency above threshold",
    "summary": "Incident 1042",
    "themeColor": "E81123",
    "sections": [
        {
            "activityTitle": "Monitor",
            "activitySubtitle": "2024-05-28 16:05",
            "activityImage": "https://contoso.com/monitor.png",
            "markdown": True,
            "facts": [{"name": "Severity", "value": "2"}, {"name": "Region", "value": "westus"}],
            "images": [{"image": "https://contoso.com/chart.png", "title": "Latency"}],
            "potentialAction": [
                {"@type": "ViewAction", "name": "Dashboard", "target": ["https://contoso.com/d"]}
            ],
        }
    ],
    "potentialAction": [
        {
            "@type": "ActionCard",
            "@id": "ack",
            "name": "Acknowledge",
            "inputs": [
                {
                    "@type": "TextInput",
                    "id": "comment",
                    "title": "Comment",
                    "isMultiline": True,
                    "isRequired": False,
                },
                {"@type": "DateInput", "id": "until", "title": "Snooze until", "includeTime": True},
                {
                    "@type": "MultichoiceInput",
                    "id": "owner",
                    "title": "Owner",
                    "isMultiSelect": False,
                    "style": "compact",
                    "choices": [{"display": "Adele", "value": "adele"}],
                },
                {"@type": "ToggleInput", "id": "notify", "title": "Notify"},
            ],
            "actions": [
                {
                    "@type": "HttpPOST",
                    "@id": "ackPost",
                    "name": "Save",
                    "body": '{"comment":"{{comment.value}}"}',
                }
            ],
        },
        {
            "@type": "OpenUri",
            "@id": "runbook",
            "name": "Runbook",
            "targets": [
                {"os": "default", "uri": "https://contoso.com/runbook"},
                {"os": "iOS", "uri": "contoso://runbook"},
            ],
        },
        {"@type": "InvokeAddInCommand", "name": "Open add-in", "@id": "addin"},
    ],
}


def test_connector_card_round_trips_and_parses_parts_by_type() -> None:
    card = assert_round_trip(O365ConnectorCard, CONNECTOR_CARD)
    ack, runbook, unknown = card.potential_action
    assert isinstance(ack, O365ConnectorCardActionCard)
    assert (ack.type, ack.id, ack.name) == ("ActionCard", "ack", "Acknowledge")
    kinds = [type(i) for i in ack.inputs]
    assert kinds == [
        O365ConnectorCardTextInput,
        O365ConnectorCardDateInput,
        O365ConnectorCardMultichoiceInput,
        O365ConnectorCardInputBase,
    ]
    assert ack.inputs[0].is_multiline is True
    assert isinstance(ack.actions[0], O365ConnectorCardHttpPOST)
    assert ack.actions[0].body.startswith('{"comment"')
    assert isinstance(runbook, O365ConnectorCardOpenUri)
    assert runbook.targets[1].os == "iOS"
    assert type(unknown) is O365ConnectorCardActionBase
    assert unknown.type == "InvokeAddInCommand"
    view = card.sections[0].potential_action[0]
    assert isinstance(view, O365ConnectorCardViewAction)
    assert view.target == ["https://contoso.com/d"]


def test_connector_card_at_aliases() -> None:
    for cls in (O365ConnectorCardActionBase, O365ConnectorCardOpenUri, O365ConnectorCardHttpPOST):
        assert cls.model_fields["type"].alias == "@type"
        assert cls.model_fields["id"].alias == "@id"
    assert O365ConnectorCardInputBase.model_fields["type"].alias == "@type"
    assert O365ConnectorCardInputBase.model_fields["id"].alias == "id"


def test_connector_card_built_in_code_writes_action_types() -> None:
    card = O365ConnectorCard(
        title="Build",
        potential_action=[
            O365ConnectorCardViewAction(name="Logs", target=["https://ci/logs"]),
            O365ConnectorCardActionCard(
                name="Retry",
                id="retry",
                inputs=[O365ConnectorCardTextInput(id="why")],
                actions=[O365ConnectorCardHttpPOST(name="Go", body="retry")],
            ),
        ],
    )
    assert wire(card) == {
        "title": "Build",
        "potentialAction": [
            {"@type": "ViewAction", "name": "Logs", "target": ["https://ci/logs"]},
            {
                "@type": "ActionCard",
                "name": "Retry",
                "@id": "retry",
                "inputs": [{"@type": "TextInput", "id": "why"}],
                "actions": [{"@type": "HttpPOST", "name": "Go", "body": "retry"}],
            },
        ],
    }


def test_connector_card_action_query() -> None:
    query = assert_round_trip(
        O365ConnectorCardActionQuery, {"body": '{"comment":"on it"}', "actionId": "ackPost"}
    )
    assert query.action_id == "ackPost"


def test_connector_card_input_wrong_type_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        O365ConnectorCardTextInput.model_validate({"isMultiline": "often"})
    assert info.value.errors()[0]["loc"] == ("isMultiline",)


# -- files and batch operations ------------------------------------------------------------


def test_file_consent_response_round_trips() -> None:
    response = assert_round_trip(
        FileConsentCardResponse,
        {
            "action": "accept",
            "context": {"filename": "report.xlsx"},
            "uploadInfo": {
                "contentUrl": "https://contoso-my.sharepoint.com/personal/adele/report.xlsx",
                "fileType": "xlsx",
                "name": "report.xlsx",
                "uploadUrl": "https://contoso-my.sharepoint.com/upload?session=abc",
                "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
            },
        },
    )
    assert response.action == "accept"
    assert response.upload_info.upload_url.endswith("session=abc")
    assert response.context == {"filename": "report.xlsx"}


def test_file_consent_card_built_in_code() -> None:
    card = FileConsentCard(
        description="Quarterly report", size_in_bytes=10240, accept_context={"f": "r.xlsx"}
    )
    assert wire(card) == {
        "description": "Quarterly report",
        "sizeInBytes": 10240,
        "acceptContext": {"f": "r.xlsx"},
    }
    with pytest.raises(ValidationError) as info:
        FileConsentCard.model_validate({"sizeInBytes": "big"})
    assert info.value.errors()[0]["loc"] == ("sizeInBytes",)


def test_batch_operation_state_round_trips() -> None:
    state = assert_round_trip(
        BatchOperationStateResponse,
        {
            "state": "Completed",
            "statusMap": {"201": 98, "404": 2},
            "retryAfter": "2024-05-28T16:10:00Z",
            "totalEntriesCount": 100,
        },
    )
    assert state.status_map == {201: 98, 404: 2}
    assert state.retry_after == datetime(2024, 5, 28, 16, 10, tzinfo=timezone.utc)
    with pytest.raises(ValidationError) as info:
        BatchOperationStateResponse.model_validate({"totalEntriesCount": "many"})
    assert info.value.errors()[0]["loc"] == ("totalEntriesCount",)


def test_batch_failed_entries_accepts_both_spellings() -> None:
    page = {"continuationToken": "c1", "failedEntriesResponses": [{"id": "29:x", "error": "e"}]}
    parsed = assert_round_trip(BatchFailedEntriesResponse, page)
    service = BatchFailedEntriesResponse.model_validate(
        {"continuationToken": "c1", "failedEntryResponses": [{"id": "29:x", "error": "e"}]}
    )
    assert service == parsed
    assert service.failed_entries_responses[0].error == "e"


def test_batch_operation_responses() -> None:
    started = assert_round_trip(
        TeamsBatchOperationResponse,
        {
            "operationId": "op-1",
            "bodyAsText": '{"operationId":"op-1"}',
            "parsedBody": {"operationId": "op-1"},
        },
    )
    assert started.parsed_body.operation_id == "op-1"
    cancelled = CancelOperationResponse(operation_id="op-1")
    assert isinstance(cancelled, teams.BatchOperationResponse)
    assert wire(cancelled) == {"operationId": "op-1"}
