"""Well-known channel ids and what each channel supports."""

from __future__ import annotations

from ._enums import _StrEnum

__all__ = ["Channels"]


class Channels(_StrEnum):
    """Ids of the channels an agent may be reached on."""

    agents = "agents"
    alexa = "alexa"
    console = "console"
    cortana = "cortana"
    direct_line = "directline"
    direct_line_speech = "directlinespeech"
    email = "email"
    emulator = "emulator"
    facebook = "facebook"
    groupme = "groupme"
    kik = "kik"
    line = "line"
    msteams = "msteams"
    ms_teams = "msteams"
    m365_copilot = "msteams:COPILOT"
    skype = "skype"
    skype_for_business = "skypeforbusiness"
    slack = "slack"
    sms = "sms"
    telegram = "telegram"
    test = "test"
    twilio = "twilio-sms"
    webchat = "webchat"
    copilot_studio = "pva-studio"

    @staticmethod
    def supports_suggested_actions(
        channel_id: str, button_cnt: int = 100, conversation_type: str | None = None
    ) -> bool:
        """Whether the channel shows ``button_cnt`` suggested actions.

        Teams shows at most three, and only in personal (one-to-one) conversations.
        """
        base = _base(channel_id)
        if base == "msteams":
            return conversation_type == "personal" and button_cnt <= 3
        limit = _SUGGESTED_ACTION_LIMITS.get(base)
        return limit is not None and button_cnt <= limit

    @staticmethod
    def supports_card_actions(channel_id: str, button_cnt: int = 100) -> bool:
        """Whether the channel shows ``button_cnt`` buttons on a card."""
        limit = _CARD_ACTION_LIMITS.get(_base(channel_id))
        return limit is not None and button_cnt <= limit

    @staticmethod
    def has_message_feed(channel_id: str) -> bool:
        """Whether the channel keeps a visible history of messages (all but Cortana)."""
        return _base(channel_id) != "cortana"

    @staticmethod
    def max_action_title_length(channel_id: str) -> int:
        """The longest action title the channel shows in full."""
        return 20

    @staticmethod
    def supports_video_card(channel_id: str) -> bool:
        return _base(channel_id) not in _NO_CARD["video"]

    @staticmethod
    def supports_receipt_card(channel_id: str) -> bool:
        return _base(channel_id) not in _NO_CARD["receipt"]

    @staticmethod
    def supports_thumbnail_card(channel_id: str) -> bool:
        return _base(channel_id) not in _NO_CARD["thumbnail"]

    @staticmethod
    def supports_audio_card(channel_id: str) -> bool:
        return _base(channel_id) not in _NO_CARD["audio"]

    @staticmethod
    def supports_animation_card(channel_id: str) -> bool:
        return _base(channel_id) not in _NO_CARD["animation"]

    @staticmethod
    def supports_create_conversation(channel_id: str) -> bool:
        return _base(channel_id) in _CREATE_CONVERSATION

    @staticmethod
    def supports_update_activity(channel_id: str) -> bool:
        return _base(channel_id) == "msteams"

    @staticmethod
    def supports_delete_activity(channel_id: str) -> bool:
        return _base(channel_id) in {"msteams", "slack", "telegram"}


_SUGGESTED_ACTION_LIMITS = {
    "facebook": 10,
    "skype": 10,
    "line": 13,
    "kik": 20,
    "telegram": 100,
    "emulator": 100,
    "directline": 100,
    "directlinespeech": 100,
    "webchat": 100,
}
_CARD_ACTION_LIMITS = {
    "facebook": 3,
    "skype": 3,
    "msteams": 50,
    "line": 99,
    "slack": 100,
    "telegram": 100,
    "emulator": 100,
    "directline": 100,
    "directlinespeech": 100,
    "webchat": 100,
    "cortana": 100,
}
_NO_CARD = {
    "video": {"alexa", "msteams", "twilio-sms"},
    "receipt": {"alexa", "groupme", "msteams", "twilio-sms"},
    "thumbnail": {"alexa", "groupme", "line", "slack", "twilio-sms"},
    "audio": {"alexa", "msteams", "twilio-sms", "email", "groupme", "line", "slack", "telegram"},
    "animation": {"alexa", "msteams", "email", "groupme", "twilio-sms"},
}
_CREATE_CONVERSATION = {
    "email",
    "facebook",
    "groupme",
    "kik",
    "line",
    "msteams",
    "slack",
    "sms",
    "telegram",
}


def _base(channel_id: str) -> str:
    return str(channel_id).partition(":")[0].strip()
