"""Every enum and constant of activity.md §7, value by value."""

from __future__ import annotations

import json
from enum import Enum

import pytest

from microsoft_agents.activity import (
    ActionTypes,
    Activity,
    ActivityEventNames,
    ActivityImportance,
    ActivityTypes,
    AttachmentLayoutTypes,
    CallerIdConstants,
    Channels,
    ContactRelationUpdateActionTypes,
    ContentTypes,
    ConversationUpdateTypes,
    DeliveryModes,
    EndOfConversationCodes,
    InputHints,
    InstallationUpdateActionTypes,
    MessageReactionTypes,
    MessageUpdateTypes,
    RoleTypes,
    SemanticActionsStates,
    SignInConstants,
    TextFormatTypes,
)

EXPECTED: dict[type[Enum], dict[str, str]] = {
    ActivityTypes: {
        "message": "message",
        "contact_relation_update": "contactRelationUpdate",
        "conversation_update": "conversationUpdate",
        "typing": "typing",
        "end_of_conversation": "endOfConversation",
        "event": "event",
        "invoke": "invoke",
        "invoke_response": "invokeResponse",
        "delete_user_data": "deleteUserData",
        "message_update": "messageUpdate",
        "message_delete": "messageDelete",
        "installation_update": "installationUpdate",
        "message_reaction": "messageReaction",
        "suggestion": "suggestion",
        "trace": "trace",
        "handoff": "handoff",
        "command": "command",
        "command_result": "commandResult",
    },
    DeliveryModes: {
        "normal": "normal",
        "notification": "notification",
        "expect_replies": "expectReplies",
        "ephemeral": "ephemeral",
        "stream": "stream",
    },
    EndOfConversationCodes: {
        "unknown": "unknown",
        "completed_successfully": "completedSuccessfully",
        "user_cancelled": "userCancelled",
        "timed_out": "botTimedOut",
        "issued_invalid_message": "botIssuedInvalidMessage",
        "channel_failed": "channelFailed",
    },
    RoleTypes: {
        "user": "user",
        "agent": "bot",
        "skill": "skill",
        "connector_user": "connectoruser",
        "agentic_identity": "agenticAppInstance",
        "agentic_user": "agenticUser",
    },
    InputHints: {
        "accepting_input": "acceptingInput",
        "ignoring_input": "ignoringInput",
        "expecting_input": "expectingInput",
    },
    TextFormatTypes: {"markdown": "markdown", "plain": "plain", "xml": "xml"},
    ActionTypes: {
        "open_url": "openUrl",
        "im_back": "imBack",
        "post_back": "postBack",
        "play_audio": "playAudio",
        "play_video": "playVideo",
        "show_image": "showImage",
        "download_file": "downloadFile",
        "signin": "signin",
        "call": "call",
        "message_back": "messageBack",
    },
    AttachmentLayoutTypes: {"list": "list", "carousel": "carousel"},
    ActivityImportance: {"low": "low", "normal": "normal", "high": "high"},
    ActivityEventNames: {
        "continue_conversation": "ContinueConversation",
        "create_conversation": "CreateConversation",
    },
    ConversationUpdateTypes: {
        "CHANNEL_CREATED": "channelCreated",
        "CHANNEL_RENAMED": "channelRenamed",
        "CHANNEL_DELETED": "channelDeleted",
        "CHANNEL_RESTORED": "channelRestored",
        "MEMBERS_ADDED": "membersAdded",
        "MEMBERS_REMOVED": "membersRemoved",
        "TEAM_RENAMED": "teamRenamed",
        "TEAM_DELETED": "teamDeleted",
        "TEAM_ARCHIVED": "teamArchived",
        "TEAM_UNARCHIVED": "teamUnarchived",
        "TEAM_RESTORED": "teamRestored",
    },
    MessageReactionTypes: {
        "REACTIONS_ADDED": "reactionsAdded",
        "REACTIONS_REMOVED": "reactionsRemoved",
    },
    MessageUpdateTypes: {
        "EDIT_MESSAGE": "editMessage",
        "SOFT_DELETE_MESSAGE": "softDeleteMessage",
        "UNDELETE_MESSAGE": "undeleteMessage",
    },
    ContactRelationUpdateActionTypes: {"add": "add", "remove": "remove"},
    InstallationUpdateActionTypes: {"add": "add", "remove": "remove"},
    SemanticActionsStates: {
        "start_action": "start",
        "continue_action": "continue",
        "done_action": "done",
    },
    SignInConstants: {
        "verify_state_operation_name": "signin/verifyState",
        "token_exchange_operation_name": "signin/tokenExchange",
        "token_response_event_name": "tokens/response",
    },
    CallerIdConstants: {
        "public_azure_channel": "urn:botframework:azure",
        "us_gov_channel": "urn:botframework:azureusgov",
        "agent_to_agent_prefix": "urn:botframework:aadappid:",
    },
}

CHANNELS = {
    "agents": "agents",
    "alexa": "alexa",
    "console": "console",
    "cortana": "cortana",
    "direct_line": "directline",
    "direct_line_speech": "directlinespeech",
    "email": "email",
    "emulator": "emulator",
    "facebook": "facebook",
    "groupme": "groupme",
    "kik": "kik",
    "line": "line",
    "msteams": "msteams",
    "ms_teams": "msteams",
    "m365_copilot": "msteams:COPILOT",
    "skype": "skype",
    "skype_for_business": "skypeforbusiness",
    "slack": "slack",
    "sms": "sms",
    "telegram": "telegram",
    "test": "test",
    "twilio": "twilio-sms",
    "webchat": "webchat",
    "copilot_studio": "pva-studio",
}

CONTENT_TYPES = {
    "adaptive_card": "application/vnd.microsoft.card.adaptive",
    "animation_card": "application/vnd.microsoft.card.animation",
    "audio_card": "application/vnd.microsoft.card.audio",
    "hero_card": "application/vnd.microsoft.card.hero",
    "receipt_card": "application/vnd.microsoft.card.receipt",
    "oauth_card": "application/vnd.microsoft.card.oauth",
    "signin_card": "application/vnd.microsoft.card.signin",
    "thumbnail_card": "application/vnd.microsoft.card.thumbnail",
    "video_card": "application/vnd.microsoft.card.video",
    "error": "application/vnd.microsoft.error",
    "message": "application/vnd.microsoft.activity.message",
    "login_request": "application/vnd.microsoft.activity.loginRequest",
    "incorrect_auth_code": "application/vnd.microsoft.error.incorrectAuthCode",
    "precondition_failed": "application/vnd.microsoft.error.preconditionFailed",
    "search_response": "application/vnd.microsoft.search.searchResponse",
}


@pytest.mark.parametrize("enum_cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_enum_members_and_values_exactly(enum_cls: type[Enum]) -> None:
    assert {m.name: m.value for m in enum_cls} == EXPECTED[enum_cls]


@pytest.mark.parametrize("enum_cls", [*EXPECTED, Channels], ids=lambda c: c.__name__)
def test_enums_are_str_enums(enum_cls: type[Enum]) -> None:
    assert issubclass(enum_cls, str)
    for member in enum_cls:
        assert member == member.value
        assert member.value == member
        assert str(member) == member.value
        assert f"{member}" == member.value
        assert json.dumps(member) == json.dumps(member.value)
        assert enum_cls(member.value) is member


def test_str_enum_equality_examples() -> None:
    assert ActivityTypes.message == "message"
    assert "conversationUpdate" == ActivityTypes.conversation_update  # noqa: SIM300
    assert RoleTypes.agent == "bot"
    assert EndOfConversationCodes.timed_out == "botTimedOut"
    assert ActivityTypes.message != "Message"
    assert {ActivityTypes.invoke: 1}["invoke"] == 1


def test_enum_values_serialise_as_plain_strings_in_models() -> None:
    activity = Activity(
        type=ActivityTypes.end_of_conversation,
        code=EndOfConversationCodes.completed_successfully,
        importance=ActivityImportance.high,
        text_format=TextFormatTypes.markdown,
        attachment_layout=AttachmentLayoutTypes.carousel,
    )
    assert json.loads(activity.model_dump_json(by_alias=True, exclude_unset=True)) == {
        "type": "endOfConversation",
        "code": "completedSuccessfully",
        "importance": "high",
        "textFormat": "markdown",
        "attachmentLayout": "carousel",
    }


def test_channels_values() -> None:
    for name, value in CHANNELS.items():
        assert getattr(Channels, name) == value, name
        assert getattr(Channels, name).value == value, name
    # Every member (aliases aside) is listed above.
    assert {m.name for m in Channels} <= set(CHANNELS)
    assert set(CHANNELS) == set(Channels.__members__)


def test_channels_ms_teams_is_an_alias_of_msteams() -> None:
    assert Channels.ms_teams is Channels.msteams
    assert Channels.msteams.name == "msteams"
    assert Channels("msteams") is Channels.msteams
    assert Channels["ms_teams"] is Channels.msteams


def test_channels_static_helpers() -> None:
    assert Channels.max_action_title_length("msteams") == 20
    assert Channels.has_message_feed("cortana") is False
    assert Channels.has_message_feed("msteams") is True
    assert Channels.supports_suggested_actions("facebook", 10) is True
    assert Channels.supports_suggested_actions("facebook", 11) is False
    assert Channels.supports_card_actions("msteams", 3) is True
    assert Channels.supports_card_actions("unknown-channel", 1) is False
    # A sub-channel is judged by its base channel.
    assert Channels.supports_card_actions("msteams:COPILOT", 3) is True


def test_content_types_values() -> None:
    for name, value in CONTENT_TYPES.items():
        assert getattr(ContentTypes, name) == value, name
        assert type(getattr(ContentTypes, name)) is str, name
    assert all(
        value.startswith("application/vnd.microsoft.card.")
        for name, value in CONTENT_TYPES.items()
        if name.endswith("_card")
    )
