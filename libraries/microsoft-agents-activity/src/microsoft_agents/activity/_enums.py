"""String enums and string constants of the Activity protocol."""

from __future__ import annotations

from enum import Enum

__all__ = [
    "ActionTypes",
    "ActivityEventNames",
    "ActivityImportance",
    "ActivityTypes",
    "AttachmentLayoutTypes",
    "CallerIdConstants",
    "ContactRelationUpdateActionTypes",
    "ContentTypes",
    "ConversationUpdateTypes",
    "DeliveryModes",
    "EndOfConversationCodes",
    "InputHints",
    "InstallationUpdateActionTypes",
    "MessageReactionTypes",
    "MessageUpdateTypes",
    "RoleTypes",
    "SemanticActionsStates",
    "SignInConstants",
    "TextFormatTypes",
]


class _StrEnum(str, Enum):
    """A ``str`` enum whose ``str()`` and ``format()`` give the wire value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class ActivityTypes(_StrEnum):
    message = "message"
    contact_relation_update = "contactRelationUpdate"
    conversation_update = "conversationUpdate"
    typing = "typing"
    end_of_conversation = "endOfConversation"
    event = "event"
    invoke = "invoke"
    invoke_response = "invokeResponse"
    delete_user_data = "deleteUserData"
    message_update = "messageUpdate"
    message_delete = "messageDelete"
    installation_update = "installationUpdate"
    message_reaction = "messageReaction"
    suggestion = "suggestion"
    trace = "trace"
    handoff = "handoff"
    command = "command"
    command_result = "commandResult"


class DeliveryModes(_StrEnum):
    normal = "normal"
    notification = "notification"
    expect_replies = "expectReplies"
    ephemeral = "ephemeral"
    stream = "stream"


class EndOfConversationCodes(_StrEnum):
    unknown = "unknown"
    completed_successfully = "completedSuccessfully"
    user_cancelled = "userCancelled"
    timed_out = "botTimedOut"
    issued_invalid_message = "botIssuedInvalidMessage"
    channel_failed = "channelFailed"


class RoleTypes(_StrEnum):
    user = "user"
    agent = "bot"
    skill = "skill"
    connector_user = "connectoruser"
    agentic_identity = "agenticAppInstance"
    agentic_user = "agenticUser"


class InputHints(_StrEnum):
    accepting_input = "acceptingInput"
    ignoring_input = "ignoringInput"
    expecting_input = "expectingInput"


class TextFormatTypes(_StrEnum):
    markdown = "markdown"
    plain = "plain"
    xml = "xml"


class ActionTypes(_StrEnum):
    open_url = "openUrl"
    im_back = "imBack"
    post_back = "postBack"
    play_audio = "playAudio"
    play_video = "playVideo"
    show_image = "showImage"
    download_file = "downloadFile"
    signin = "signin"
    call = "call"
    message_back = "messageBack"


class AttachmentLayoutTypes(_StrEnum):
    list = "list"
    carousel = "carousel"


class ActivityImportance(_StrEnum):
    low = "low"
    normal = "normal"
    high = "high"


class ActivityEventNames(_StrEnum):
    continue_conversation = "ContinueConversation"
    create_conversation = "CreateConversation"


class ConversationUpdateTypes(_StrEnum):
    CHANNEL_CREATED = "channelCreated"
    CHANNEL_RENAMED = "channelRenamed"
    CHANNEL_DELETED = "channelDeleted"
    CHANNEL_RESTORED = "channelRestored"
    MEMBERS_ADDED = "membersAdded"
    MEMBERS_REMOVED = "membersRemoved"
    TEAM_RENAMED = "teamRenamed"
    TEAM_DELETED = "teamDeleted"
    TEAM_ARCHIVED = "teamArchived"
    TEAM_UNARCHIVED = "teamUnarchived"
    TEAM_RESTORED = "teamRestored"


class MessageReactionTypes(_StrEnum):
    REACTIONS_ADDED = "reactionsAdded"
    REACTIONS_REMOVED = "reactionsRemoved"


class MessageUpdateTypes(_StrEnum):
    EDIT_MESSAGE = "editMessage"
    SOFT_DELETE_MESSAGE = "softDeleteMessage"
    UNDELETE_MESSAGE = "undeleteMessage"


class ContactRelationUpdateActionTypes(_StrEnum):
    add = "add"
    remove = "remove"


class InstallationUpdateActionTypes(_StrEnum):
    add = "add"
    remove = "remove"


class SemanticActionsStates(_StrEnum):
    start_action = "start"
    continue_action = "continue"
    done_action = "done"


class SignInConstants(_StrEnum):
    verify_state_operation_name = "signin/verifyState"
    token_exchange_operation_name = "signin/tokenExchange"
    token_response_event_name = "tokens/response"


class CallerIdConstants(_StrEnum):
    public_azure_channel = "urn:botframework:azure"
    us_gov_channel = "urn:botframework:azureusgov"
    agent_to_agent_prefix = "urn:botframework:aadappid:"


class ContentTypes:
    """Attachment content types (plain string constants)."""

    adaptive_card = "application/vnd.microsoft.card.adaptive"
    animation_card = "application/vnd.microsoft.card.animation"
    audio_card = "application/vnd.microsoft.card.audio"
    hero_card = "application/vnd.microsoft.card.hero"
    receipt_card = "application/vnd.microsoft.card.receipt"
    oauth_card = "application/vnd.microsoft.card.oauth"
    signin_card = "application/vnd.microsoft.card.signin"
    thumbnail_card = "application/vnd.microsoft.card.thumbnail"
    video_card = "application/vnd.microsoft.card.video"
    error = "application/vnd.microsoft.error"
    message = "application/vnd.microsoft.activity.message"
    login_request = "application/vnd.microsoft.activity.loginRequest"
    incorrect_auth_code = "application/vnd.microsoft.error.incorrectAuthCode"
    precondition_failed = "application/vnd.microsoft.error.preconditionFailed"
    search_response = "application/vnd.microsoft.search.searchResponse"
