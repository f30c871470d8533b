"""Test the Copilot Studio client, or code built on it, against a loopback service.

:class:`CopilotStudioStandIn` is a small aiohttp server on ``127.0.0.1`` that speaks the
Direct-to-Engine protocol: it starts conversations, echoes messages and streams its answers as
server-sent events, recording every request. Scripted answers (:meth:`~CopilotStudioStandIn.
reply_next`) cover the hard cases: slow streams (:class:`Pause`, :class:`WaitFor`), broken
connections (:class:`Disconnect`), other line ends, comments and malformed events::

    async with CopilotStudioStandIn(expected_token="t") as service:
        settings = ConnectionSettings("", "", direct_connect_url=service.direct_connect_url)
        client = CopilotClient(settings, "t")
        async for activity in client.start_conversation():
            print(activity.text)
"""

from ._script import (
    Disconnect,
    Pause,
    ScriptedReply,
    Step,
    WaitFor,
    activity_event,
    sse_event,
)
from ._stand_in import CopilotStudioStandIn, EngineRequest

__all__ = [
    "CopilotStudioStandIn",
    "Disconnect",
    "EngineRequest",
    "Pause",
    "ScriptedReply",
    "Step",
    "WaitFor",
    "activity_event",
    "sse_event",
]
