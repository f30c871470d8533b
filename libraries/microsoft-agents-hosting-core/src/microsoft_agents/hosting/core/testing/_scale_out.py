"""Scale-out check for storages: several agent processes share one store, and concurrent turns
of one conversation must lose no update.

:func:`run_scale_out` starts ``replicas`` host processes on ``127.0.0.1``, each serving the
same counter agent over HTTP with its state in a store built by ``storage_factory``, as
replicas behind a load balancer would be. It sends ``turns`` "increment" turns of one
conversation spread over the replicas (``in_flight`` at a time), then one "read" turn per
replica, stops the processes and returns what they answered (:class:`ScaleOutRun`)::

    def open_storage(settings: Mapping[str, Any]) -> MyStorage:  # runs in each replica
        return MyStorage(MyStorageConfig(settings["endpoint"], settings["container"]))


    async def test_scale_out() -> None:
        run = await run_scale_out(f"{__file__}:open_storage", {"endpoint": ..., ...})
        run.assert_no_update_lost()

``storage_factory`` is ``"package.module:function"`` or ``"/path/to/file.py:function"``; the
function gets ``settings`` (passed to the replicas as JSON) and returns the store.

The agent does the two things an application does so that no update is lost when turns of one
conversation run at the same time on different replicas:

1. the turn runs again when saving state raises ``StorageConflictError`` (another replica
   saved the conversation after this turn loaded it); the retried turn loads the state afresh,
   so it builds on the other turn's update;
2. the handler saves the state *before* it replies, so a turn that loses the race has said
   nothing yet, and its retry answers once, with the right number.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import os
import random
import re
import signal
import sys
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from .._http_adapter_base import HttpAdapterBase
from .._turn_context import TurnContext
from ..app import AgentApplication, TurnState
from ..authorization import ClaimsIdentity
from ..errors import StorageConflictError
from ..http import parse_activity
from ..storage import Storage

__all__ = ["ScaleOutRun", "run_scale_out"]

MESSAGES_PATH = "/api/messages"
_SETTINGS_VARIABLE = "AGENTS_SCALE_OUT_STORAGE_SETTINGS"
_REPLICA_COMMAND = f"from {__name__} import _replica_main; _replica_main()"
_LISTENING = re.compile(rb"LISTENING (\d+)\s*")
_COUNT = re.compile(r"count=(\d+)(?: retried=(\d+))?")

StorageFactory = Callable[[Mapping[str, Any]], Storage]


@dataclass(frozen=True)
class ScaleOutRun:
    """What the replicas answered: the message texts of every "increment" turn, in the order
    the turns were sent, and of the final "read" turn on each replica."""

    turns: int
    increments: list[list[str]]
    reads: list[list[str]]

    @property
    def counts(self) -> list[int]:
        """The counts the increment turns answered with, sorted."""
        return sorted(_parse(text)[0] for replies in self.increments for text in replies)

    @property
    def final_counts(self) -> list[int]:
        """The count each replica read at the end."""
        return [_parse(text)[0] for replies in self.reads for text in replies]

    @property
    def retried(self) -> int:
        """How many turns the replicas ran again because of a state conflict."""
        return sum(_parse(text)[1] for replies in self.reads for text in replies)

    def assert_no_update_lost(self) -> None:
        """Every turn answered exactly once and together they counted ``1..turns`` (no two
        turns built on the same stored count), every replica reads ``turns``, and the turns did
        collide at least once (so the conflict path was exercised)."""
        assert all(len(replies) == 1 for replies in self.increments), self.increments
        assert self.counts == list(range(1, self.turns + 1)), self.increments
        assert self.final_counts == [self.turns] * len(self.reads), self.reads
        assert self.retried > 0, f"no turn was retried: {self.reads}"


def _parse(text: str) -> tuple[int, int]:
    match = _COUNT.fullmatch(text)
    if match is None:
        raise AssertionError(f"unexpected reply from a replica: {text!r}")
    return int(match.group(1)), int(match.group(2) or 0)


async def run_scale_out(
    storage_factory: str,
    settings: Mapping[str, Any],
    *,
    replicas: int = 2,
    turns: int = 40,
    in_flight: int = 8,
    startup_timeout: float = 60,
) -> ScaleOutRun:
    """Serve the counter agent from ``replicas`` processes sharing the store that
    ``storage_factory(settings)`` builds in each, and drive ``turns`` concurrent turns of one
    conversation through them (see the module docstring).

    :raises ValueError: when ``storage_factory`` is not ``"module:function"``.
    :raises RuntimeError: when a replica does not start within ``startup_timeout`` seconds
        (its error output goes to this process's stderr).
    """
    _split_spec(storage_factory)
    env = {**os.environ, _SETTINGS_VARIABLE: json.dumps(dict(settings))}
    started = await asyncio.gather(
        *(_start_replica(storage_factory, env, startup_timeout) for _ in range(replicas)),
        return_exceptions=True,
    )
    serving = [entry for entry in started if not isinstance(entry, BaseException)]
    try:
        for entry in started:
            if isinstance(entry, BaseException):
                raise entry
        urls = [f"http://127.0.0.1:{port}{MESSAGES_PATH}" for _, port in serving]
        return await _drive(urls, turns, in_flight)
    finally:
        await asyncio.gather(*(_stop(process) for process, _ in serving))


async def _start_replica(
    storage_factory: str, env: dict[str, str], timeout: float
) -> tuple[asyncio.subprocess.Process, int]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _REPLICA_COMMAND,
        storage_factory,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=None,  # the replica's errors show up in the test output
    )
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=timeout)
    except asyncio.TimeoutError:
        line = b""
    match = _LISTENING.fullmatch(line)
    if match is None:
        await _stop(process)
        raise RuntimeError(
            f"a scale-out replica did not start: it printed {line!r} instead of LISTENING <port>"
            " (its error output, if any, is above)"
        )
    return process, int(match.group(1))


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), timeout=10)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()


async def _drive(urls: list[str], turns: int, in_flight: int) -> ScaleOutRun:
    conversation_id = f"scale-out-{uuid.uuid4().hex}"
    gate = asyncio.Semaphore(in_flight)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:

        async def turn(url: str, text: str, number: int) -> list[str]:
            activity = {
                "type": "message",
                "id": f"activity-{number}",
                "channelId": "test",
                "serviceUrl": "http://127.0.0.1:9/unused",
                "deliveryMode": "expectReplies",
                "conversation": {"id": conversation_id},
                "from": {"id": "user-1"},
                "recipient": {"id": "agent"},
                "text": text,
            }
            async with session.post(url, json=activity) as response:
                if response.status != 200:
                    raise AssertionError(f"{response.status} from {url}: {await response.text()}")
                body = await response.json()
            return [reply["text"] for reply in body["activities"] if reply.get("type") == "message"]

        async def increment(number: int) -> list[str]:
            async with gate:
                return await turn(urls[number % len(urls)], "increment", number)

        increments = await asyncio.gather(*(increment(n) for n in range(turns)))
        reads = [await turn(url, "read", -1) for url in urls]
    return ScaleOutRun(turns, list(increments), reads)


# --- the replica process ---------------------------------------------------------------------


class _RetryTurnOnConflict:
    """Runs ``app``'s turn again (up to ``attempts`` times) when saving state conflicts."""

    def __init__(self, app: AgentApplication[TurnState], attempts: int = 25) -> None:
        self.app = app
        self.attempts = attempts
        self.retried = 0

    async def on_turn(self, context: TurnContext) -> None:
        services = dict(context.turn_state)  # what the adapter put there, before any state
        for attempt in range(1, self.attempts + 1):
            try:
                await self.app.on_turn(context)
                return
            except StorageConflictError:
                if attempt == self.attempts:
                    raise
                self.retried += 1
            # Forget the state this attempt loaded, so the next one reads the newest version,
            # and back off a little (with jitter) so the racing replicas spread out.
            context.turn_state.clear()
            context.turn_state.update(services)
            await asyncio.sleep(random.uniform(0, min(0.2, 0.004 * 2**attempt)))


def _counter_agent(storage: Storage, adapter: HttpAdapterBase) -> _RetryTurnOnConflict:
    app = AgentApplication[TurnState](storage=storage, adapter=adapter)
    agent = _RetryTurnOnConflict(app)

    @app.message("increment")
    async def on_increment(context: TurnContext, state: TurnState) -> None:
        count = state.conversation.get_value("count", lambda: 0) + 1
        state.conversation.set_value("count", count)
        await state.save(context)  # raises StorageConflictError if another turn got there first
        await context.send_activity(f"count={count}")

    @app.message("read")
    async def on_read(context: TurnContext, state: TurnState) -> None:
        count = state.conversation.get_value("count", lambda: 0)
        await context.send_activity(f"count={count} retried={agent.retried}")

    return agent


def _split_spec(spec: str) -> tuple[str, str]:
    module, _, name = spec.rpartition(":")
    if not module or not name.isidentifier():
        raise ValueError(f"storage_factory must be 'module:function' or 'file.py:function': {spec}")
    return module, name


def _load_factory(spec: str) -> StorageFactory:
    module_name, name = _split_spec(spec)
    if module_name.endswith(".py"):
        path = Path(module_name)
        module_spec = importlib.util.spec_from_file_location(f"_scale_out_{path.stem}", path)
        if module_spec is None or module_spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[module_spec.name] = module
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    factory: StorageFactory = getattr(module, name)
    return factory


async def _serve(storage_factory: str, settings: Mapping[str, Any]) -> None:
    storage = _load_factory(storage_factory)(settings)
    adapter = HttpAdapterBase()
    agent = _counter_agent(storage, adapter)

    async def messages(request: web.Request) -> web.Response:
        # Every turn runs as from an anonymous caller: the replicas serve a local test only.
        activity = parse_activity(await request.json())
        result = await adapter.process_activity(ClaimsIdentity(), activity, agent.on_turn)
        if result is None:
            return web.Response(status=202)
        return web.json_response(result.body, status=result.status or 200)

    web_app = web.Application()
    web_app.router.add_post(MESSAGES_PATH, messages)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    print(f"LISTENING {runner.addresses[0][1]}", flush=True)  # noqa: T201 (read by the driver)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()
    await adapter.close()
    close = getattr(storage, "close", None)
    if close is not None:
        await close()


def _replica_main() -> None:
    """The entry point of a replica process: ``argv[1]`` is the storage factory, the settings
    are JSON in the environment; prints ``LISTENING <port>`` once it serves, stops on SIGTERM."""
    asyncio.run(_serve(sys.argv[1], json.loads(os.environ[_SETTINGS_VARIABLE])))
