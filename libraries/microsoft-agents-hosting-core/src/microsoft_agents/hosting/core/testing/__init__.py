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
"""

from ._adapter import TestAdapter
from ._flow import ReplyExpectation, TestFlow

__all__ = ["ReplyExpectation", "TestAdapter", "TestFlow"]
