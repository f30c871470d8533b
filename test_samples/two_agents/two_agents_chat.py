"""Talk to the calling agent from a terminal: a small local stand-in for a channel.

    .venv/bin/python test_samples/two_agents/two_agents_chat.py Paris Rome bye
    .venv/bin/python test_samples/two_agents/two_agents_chat.py --caller http://localhost:3978/api/messages

Each argument is one user message (with none, lines are read from standard input). Replies
reach a channel at the ``serviceUrl`` of the user's activity, not the HTTP answer, so this
script serves one on 127.0.0.1 (the loopback channel of the SDK's test tools) and prints
what arrives there after each message.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterable

import aiohttp

from microsoft_agents.hosting.core.testing.loopback import ChannelServiceStandIn

CONVERSATION = "two-agents-chat"


async def chat(caller_url: str, messages: Iterable[str]) -> list[tuple[str, str]]:
    """Send each message to the caller; the ``(who, text)`` lines of the conversation."""
    lines: list[tuple[str, str]] = []
    async with ChannelServiceStandIn() as channel, aiohttp.ClientSession() as session:
        seen = 0
        for number, text in enumerate(messages, start=1):
            lines.append(("you", text))
            activity = {
                "type": "message",
                "id": f"message-{number}",
                "channelId": "test",
                "serviceUrl": channel.url,
                "conversation": {"id": CONVERSATION},
                "from": {"id": "user", "name": "You"},
                "recipient": {"id": "caller", "name": "Caller"},
                "text": text,
            }
            async with session.post(caller_url, json=activity) as response:
                if response.status >= 300:
                    body = await response.text()
                    lines.append(("error", f"HTTP {response.status} {body}"))
            received = channel.activities(CONVERSATION)
            for reply in received[seen:]:
                if reply.get("type", "message") == "message":
                    lines.append(("agent", str(reply.get("text", ""))))
            seen = len(received)
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caller", default="http://localhost:3978/api/messages")
    parser.add_argument("messages", nargs="*")
    args = parser.parse_args(argv)
    messages = args.messages or [line.strip() for line in sys.stdin if line.strip()]
    for who, text in asyncio.run(chat(args.caller, messages)):
        print(f"{who:>5}: {text}", flush=True)


if __name__ == "__main__":
    main()
