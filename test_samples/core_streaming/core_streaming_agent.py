"""Stream a model's answer to the user chunk by chunk, with citations-free AI labelling.

    python test_samples/core_streaming/core_streaming_agent.py [channel]

The handler is the streaming example written for Azure OpenAI. To keep the sample free of
credentials and network, ``CLIENT`` is a small stand-in with the same call shape
(``await CLIENT.chat.completions.create(..., stream=True)`` returning an async stream of
chunks). Replace it with ``openai.AsyncAzureOpenAI(...)`` to talk to a real model.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from microsoft_agents.activity import SensitivityUsageInfo
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from microsoft_agents.hosting.core.testing import TestAdapter

POEM = ["Indented ", "lines ", "of ", "quiet ", "grace,\n", "Python ", "finds ", "its ", "place."]


@dataclass
class _Delta:
    content: str | None


@dataclass
class _Choice:
    delta: _Delta


@dataclass
class _Chunk:
    choices: list[_Choice] = field(default_factory=list)


class _Completions:
    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces
        self.requests: list[dict[str, Any]] = []

    async def create(self, **request: Any) -> AsyncIterator[_Chunk]:
        self.requests.append(request)
        return self._stream()

    async def _stream(self) -> AsyncIterator[_Chunk]:
        yield _Chunk()  # a keep-alive chunk without choices, as real streams send
        for piece in self.pieces:
            await asyncio.sleep(0)
            yield _Chunk([_Choice(_Delta(piece))])
        yield _Chunk([_Choice(_Delta(None))])  # the last chunk carries no content


class FakeAsyncAzureOpenAI:
    """Answers every chat completion with the same streamed poem."""

    def __init__(self, pieces: list[str] | None = None) -> None:
        self.chat = type("Chat", (), {})()
        self.chat.completions = _Completions(list(pieces or POEM))


CLIENT = FakeAsyncAzureOpenAI()

AGENT_APP = AgentApplication[TurnState](storage=MemoryStorage())


@AGENT_APP.message("poem")
async def on_poem_message(context: TurnContext, _state: TurnState):
    # Configure streaming response
    context.streaming_response.set_feedback_loop(True)
    context.streaming_response.set_generated_by_ai_label(True)
    context.streaming_response.set_sensitivity_label(
        SensitivityUsageInfo(
            type="https://schema.org/Message",
            schema_type="CreativeWork",
            name="Internal",
        )
    )
    context.streaming_response.queue_informative_update("Starting a poem...\n")

    # Stream from Azure OpenAI
    streamed_response = await CLIENT.chat.completions.create(
        model="gpt-4o",
        messages=[
            {"role": "system", "content": "You are a creative assistant."},
            {"role": "user", "content": "Write a poem about Python."},
        ],
        stream=True,
    )

    try:
        async for chunk in streamed_response:
            if chunk.choices and chunk.choices[0].delta.content:
                context.streaming_response.queue_text_chunk(chunk.choices[0].delta.content)
    finally:
        await context.streaming_response.end_stream()


async def ask_for_a_poem(channel_id: str = "webchat") -> list[Any]:
    """Ask for a poem on ``channel_id``; return every activity the agent sent."""
    adapter = TestAdapter(AGENT_APP, channel_id=channel_id)
    return await adapter.process_activity("poem")


def main(argv: list[str] | None = None) -> int:
    channel = argv[0] if argv else "webchat"
    for activity in asyncio.run(ask_for_a_poem(channel)):
        print(f"{activity.type}: {activity.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
