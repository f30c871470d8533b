"""After its first answered turn the host tunes the garbage collector, once per process.

``gc.freeze()`` is global to a process, so each case serves the agent from its own
interpreter (over real HTTP on 127.0.0.1) and reports ``gc.get_freeze_count()``, the
thresholds and how often ``gc.freeze`` was called.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

_SCRIPT = """
import asyncio, gc, json
import aiohttp

freezes = []
_freeze = gc.freeze
def counting_freeze():
    freezes.append(gc.get_count())
    _freeze()
gc.freeze = counting_freeze
from aiohttp import web
from microsoft_agents.hosting.aiohttp import CloudAdapter, start_agent_process
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnState

async def main():
    adapter = CloudAdapter()
    app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=adapter)

    @app.activity("message")
    async def echo(context, state):
        await context.send_activity(f"Echo: {context.activity.text}")

    async def messages(request):
        return await start_agent_process(request, app, adapter)

    web_app = web.Application()
    web_app.router.add_post("/api/messages", messages)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/messages"
    counts = {"start": gc.get_freeze_count(), "thresholds_before": gc.get_threshold()}
    activity = {"type": "message", "text": "hi", "deliveryMode": "expectReplies",
                "channelId": "test", "conversation": {"id": "c"}, "from": {"id": "u"},
                "recipient": {"id": "a"}}
    async with aiohttp.ClientSession() as session:
        headers = {"Content-Type": "application/json"}
        async with session.post(url, data=b"{bad", headers=headers) as bad:
            counts["bad_status"] = bad.status
        await asyncio.sleep(0.05)
        counts["after_bad_request"] = gc.get_freeze_count()
        async with session.post(url, json=activity) as good:
            counts["good_status"] = good.status
            counts["reply"] = (await good.json())["activities"][0]["text"]
        await asyncio.sleep(0.05)
        counts["after_first_turn"] = gc.get_freeze_count()
        async with session.post(url, json=activity) as again:
            counts["again_status"] = again.status
        await asyncio.sleep(0.05)
        counts["after_second_turn"] = gc.get_freeze_count()
    counts["freezes"] = len(freezes)
    counts["thresholds_after"] = gc.get_threshold()
    await runner.cleanup()
    print(json.dumps(counts))

asyncio.run(main())
"""


def _serve(setting: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "AGENTS_GC_TUNING"}
    if setting is not None:
        env["AGENTS_GC_TUNING"] = setting
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_first_answered_turn_freezes_start_up_objects_once() -> None:
    counts = _serve(None)
    assert (counts["bad_status"], counts["good_status"], counts["reply"]) == (400, 200, "Echo: hi")
    assert counts["start"] == 0
    assert counts["after_bad_request"] == 0  # a rejected request does not count
    frozen = counts["after_first_turn"]
    assert isinstance(frozen, int) and frozen > 1000  # modules, schemas, the app...
    assert counts["again_status"] == 200
    assert counts["freezes"] == 1  # once per process
    young, middle, old = counts["thresholds_before"]  # type: ignore[misc]
    assert young < 10_000
    assert counts["thresholds_after"] == [10_000, middle, old]


@pytest.mark.parametrize("setting", ["0", "false", "OFF"])
def test_agents_gc_tuning_off_leaves_the_collector_alone(setting: str) -> None:
    counts = _serve(setting)
    assert (counts["good_status"], counts["reply"]) == (200, "Echo: hi")
    assert counts["after_first_turn"] == counts["after_second_turn"] == 0
    assert counts["freezes"] == 0
    assert counts["thresholds_after"] == counts["thresholds_before"]
