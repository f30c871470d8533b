"""Spans: recorded once an OpenTelemetry SDK is configured, skipped (one shared no-op) before.

The tracer provider is global to a process and can be set only once, so each case runs a
small script in its own interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("opentelemetry.sdk", reason="needs the [test] extra (opentelemetry-sdk)")

_TURN = """
import asyncio, json
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnState
from microsoft_agents.hosting.core.testing import TestAdapter
from microsoft_agents.hosting.core import telemetry

def run_turn():
    app = AgentApplication[TurnState](storage=MemoryStorage())

    @app.message("hi")
    async def hi(context, state):
        await context.send_activity("hello")

    adapter = TestAdapter(app)
    replies = asyncio.run(adapter.process_activity("hi"))
    return [reply.text for reply in replies]
"""


def _run(script: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_TURN) + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_without_a_configured_sdk_spans_are_the_shared_no_op() -> None:
    result = _run(
        """
        first = telemetry.span("a", x=1)
        second = telemetry.span("b")
        print(json.dumps({"same": first is second, "noop": type(first).__name__,
                          "replies": run_turn()}))
        """
    )
    assert result == {"same": True, "noop": "_NoSpan", "replies": ["hello"]}


def test_a_configured_sdk_records_the_turn_route_and_storage_spans() -> None:
    result = _run(
        """
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)  # after our package was imported
        replies = run_turn()
        spans = exporter.get_finished_spans()
        print(json.dumps({
            "replies": replies,
            "names": sorted({span.name for span in spans}),
            "turn": [dict(span.attributes) for span in spans
                     if span.name == "agent_application.on_turn"],
        }))
        """
    )
    assert result["replies"] == ["hello"]
    assert {"agent_application.on_turn", "agent_application.route", "agents.storage.read"} <= set(
        result["names"]  # type: ignore[arg-type]
    )
    assert result["turn"] == [{"activity_type": "message"}]
