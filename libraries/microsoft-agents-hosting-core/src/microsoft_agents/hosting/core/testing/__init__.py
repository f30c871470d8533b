"""Unit-test agents in process, without a channel or a network.

:class:`TestAdapter` plays the channel: it completes incoming activities like a channel would,
runs each turn through the middleware (and ``on_turn_error``) with a channel-like caller
identity, and records every activity the agent sends, updates or deletes. :class:`TestFlow`
scripts a conversation fluently and is awaited to run it::

    from microsoft_agents.hosting.core import TurnContext
    from microsoft_agents.hosting.core.testing import TestAdapter


    async def echo(context: TurnContext) -> None:
        await context.send_activity(f"Echo: {context.activity.text}")


    async def test_echo() -> None:
        adapter = TestAdapter(echo)  # an agent with on_turn, or an async (context) function
        await adapter.send("hi").assert_reply("Echo: hi").send("bye").assert_reply(
            lambda reply: reply.text == "Echo: bye"
        )

        replies = await adapter.process_activity("again")  # one turn, its replies returned
        assert replies[0].text == "Echo: again"

Invoke activities leave the agent's invoke response (``501`` when it sent none) in
``adapter.last_invoke_response``; ``expectReplies`` turns collect the replies in
``context.buffered_reply_activities`` and answer ``200`` with ``{"activities": [...]}`` there.
Proactive code can be tested with ``adapter.continue_conversation(app_id,
adapter.conversation_reference, callback)``.

For the test suites of storages that run against real servers: :func:`run_scale_out` serves
a counter agent from several processes sharing one store and checks that concurrent turns
lose no update (:class:`ScaleOutRun`); :func:`require_local_server`, :func:`throwaway_name`,
:class:`StorageClientLifecycleTests` and :class:`UnusedTokenCredential` serve their fixtures
and tests. :class:`LoopbackServer` is the life cycle (start, ``async with``, ``url``) the
loopback stand-ins of the test kits share.
"""

from ._adapter import TestAdapter
from ._flow import ReplyExpectation, TestFlow
from ._loopback_server import LoopbackServer
from ._scale_out import ScaleOutRun, run_scale_out
from ._storage_backends import (
    StorageClientLifecycleTests,
    UnusedTokenCredential,
    require_local_server,
    throwaway_name,
)

__all__ = [
    "LoopbackServer",
    "ReplyExpectation",
    "ScaleOutRun",
    "StorageClientLifecycleTests",
    "TestAdapter",
    "TestFlow",
    "UnusedTokenCredential",
    "require_local_server",
    "run_scale_out",
    "throwaway_name",
]
