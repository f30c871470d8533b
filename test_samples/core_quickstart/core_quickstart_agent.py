"""The smallest agent: echo every message, answer failures politely.

    python test_samples/core_quickstart/core_quickstart_agent.py [message ...]

No sign-in and no credentials: the application has storage and an adapter, nothing else.
Here the adapter is the in-process ``TestAdapter``; a web host (for example the aiohttp
``CloudAdapter()`` in anonymous mode) takes its place when the agent is served over HTTP.
"""

from __future__ import annotations

import asyncio
import sys
import traceback

from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from microsoft_agents.hosting.core.testing import TestAdapter

ADAPTER = TestAdapter()

# Create minimal agent
agent_app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=ADAPTER)


@agent_app.message("/fail")
async def on_fail(context: TurnContext, state: TurnState):
    raise RuntimeError("this route always fails")


@agent_app.activity("message")
async def on_message(context: TurnContext, state: TurnState):
    await context.send_activity(f"You said: {context.activity.text}")


@agent_app.error
async def on_error(context: TurnContext, error: Exception):
    # This check writes out errors to console log
    # NOTE: In production environment, you should consider logging this to Azure
    #       application insights.
    print(f"\n [on_turn_error] unhandled error: {error}", file=sys.stderr)
    traceback.print_exc()

    # Send a message to the user
    await context.send_activity("The bot encountered an error or bug.")


async def talk(messages: list[str]) -> list[str]:
    """Send ``messages`` one turn each; return the texts the agent answered."""
    answers: list[str] = []
    for text in messages:
        replies = await ADAPTER.process_activity(text, agent_app)
        answers.extend(reply.text or "" for reply in replies)
    return answers


def main(argv: list[str] | None = None) -> int:
    messages = argv if argv else ["hello", "/fail"]
    for answer in asyncio.run(talk(messages)):
        print(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
