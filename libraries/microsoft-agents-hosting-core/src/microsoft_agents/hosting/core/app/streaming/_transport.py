"""How a reply can be streamed to the channel an activity came from.

Channels that render streamed replies receive ``typing`` activities carrying the text so far
and then one final ``message``; every other channel (and every request that collects its
replies in the HTTP answer) receives only the final message.

| Incoming activity                         | Streams | Pause between sends | Stream id            |
|-------------------------------------------|---------|---------------------|----------------------|
| ``deliveryMode: expectReplies``           | no      |                     |                      |
| ``msteams`` (not an agentic request)      | yes     | 1.0 s               | id of the first send |
| ``webchat`` / ``directline``              | yes     | 0.5 s               | new uuid             |
| ``deliveryMode: stream`` (other channels) | yes     | 0.1 s               | new uuid             |
| anything else                             | no      |                     |                      |
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from microsoft_agents.activity import Activity, ChannelId, Channels, DeliveryModes

__all__ = ["Transport", "base_channel", "choose_transport", "new_stream_id"]

TEAMS_INTERVAL = 1.0
WEBCHAT_INTERVAL = 0.5
STREAM_DELIVERY_INTERVAL = 0.1

_WEB_CHANNELS = frozenset({Channels.webchat.value, Channels.direct_line.value})


@dataclass(frozen=True)
class Transport:
    """The streaming behaviour chosen for one turn."""

    streaming: bool
    """Whether intermediate ``typing`` updates are sent at all."""
    interval: float
    """Seconds to wait after each intermediate send (the channel's rate limit)."""
    stream_id: str | None
    """The stream id known up front; ``None`` when the channel assigns it (Teams) or when
    nothing is streamed."""


def base_channel(activity: Activity | None) -> str | None:
    """The base channel of ``activity`` (``msteams`` for ``msteams:COPILOT``)."""
    if activity is None or activity.channel_id is None:
        return None
    return ChannelId.get_channel(activity.channel_id)


def choose_transport(
    activity: Activity | None,
    *,
    teams_interval: float = TEAMS_INTERVAL,
    webchat_interval: float = WEBCHAT_INTERVAL,
    stream_delivery_interval: float = STREAM_DELIVERY_INTERVAL,
) -> Transport:
    """The transport for a reply to ``activity`` (``None``: nothing is ever sent)."""
    if activity is None or activity.delivery_mode == DeliveryModes.expect_replies:
        return Transport(streaming=False, interval=0.0, stream_id=None)
    channel = base_channel(activity)
    if channel == Channels.ms_teams.value:
        if activity.is_agentic_request():
            return Transport(streaming=False, interval=0.0, stream_id=None)
        return Transport(streaming=True, interval=teams_interval, stream_id=None)
    if channel in _WEB_CHANNELS:
        return Transport(streaming=True, interval=webchat_interval, stream_id=new_stream_id())
    if activity.delivery_mode == DeliveryModes.stream:
        return Transport(
            streaming=True, interval=stream_delivery_interval, stream_id=new_stream_id()
        )
    return Transport(streaming=False, interval=0.0, stream_id=None)


def new_stream_id() -> str:
    """A fresh stream id for channels that let the sender pick it."""
    return str(uuid.uuid4())
