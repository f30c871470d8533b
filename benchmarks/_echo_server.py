"""The quickstart echo agent, served on 127.0.0.1 for ``echo_bench.py``.

Run inside one of the benchmark environments::

    python -I _echo_server.py --stack ours --port 3978
    python -I _echo_server.py --stack published --port 3978

The agent code is the same on both stacks: an ``AgentApplication[TurnState]`` with a
``MemoryStorage`` and one ``message`` handler that replies ``Echo: <text>``, mounted on
``POST /api/messages`` behind ``jwt_authorization_middleware`` and ``start_agent_process``.
Only the anonymous set-up differs, each stack being configured the way it supports:

* ``ours``: ``CloudAdapter()`` with no connection manager is anonymous; the middleware gets an
  ``AgentAuthConfiguration(anonymous_allowed=True)`` when the package provides one.
* ``published`` (1.9.0): ``CloudAdapter`` needs a connection manager, so the configuration
  ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED=true`` is loaded with
  ``load_configuration_from_env`` into an ``MsalConnectionManager``; its default connection
  configuration goes to the middleware, and the application gets an ``Authorization`` built
  from the same configuration, since that release requires one.

``--stack bare`` serves the same HTTP contract with aiohttp alone (no SDK), as a reference
for how much of the cost is the web framework itself.

The process pins itself to ``--cpu`` (when the runner did not already use ``taskset``),
prints one JSON line ``{"ready": true, "pid": ...}`` on stdout once it listens, and stops
on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from typing import Any


def build_ours(storage: Any) -> tuple[Any, Any, dict[str, Any], Any]:
    from microsoft_agents.hosting.aiohttp import (
        CloudAdapter,
        jwt_authorization_middleware,
        start_agent_process,
    )

    adapter = CloudAdapter()
    auth_config: Any = None
    try:
        from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration
    except ImportError:
        pass
    else:
        auth_config = AgentAuthConfiguration(anonymous_allowed=True)
    app_kwargs: dict[str, Any] = {}
    return adapter, auth_config, app_kwargs, (jwt_authorization_middleware, start_agent_process)


def build_published(storage: Any) -> tuple[Any, Any, dict[str, Any], Any]:
    from microsoft_agents.activity import load_configuration_from_env
    from microsoft_agents.authentication.msal import MsalConnectionManager  # type: ignore[import-untyped,import-not-found,unused-ignore]
    from microsoft_agents.hosting.aiohttp import (
        CloudAdapter,
        jwt_authorization_middleware,
        start_agent_process,
    )
    from microsoft_agents.hosting.core import Authorization

    # As in that release's quickstart, with the settings an anonymous agent needs.
    settings = {"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED": "true"}
    config = load_configuration_from_env(settings)
    connection_manager = MsalConnectionManager(**config)
    adapter = CloudAdapter(connection_manager=connection_manager)
    authorization = Authorization(storage, connection_manager, **config)
    auth_config = connection_manager.get_default_connection_configuration()
    app_kwargs = {"authorization": authorization, **config}
    return adapter, auth_config, app_kwargs, (jwt_authorization_middleware, start_agent_process)


def build_app(stack: str) -> Any:
    from aiohttp import web

    from microsoft_agents.hosting.core import (
        AgentApplication,
        MemoryStorage,
        TurnContext,
        TurnState,
    )

    # The quickstart echo agent.
    storage = MemoryStorage()
    builder = build_ours if stack == "ours" else build_published
    adapter, auth_config, app_kwargs, (middleware, start_agent_process) = builder(storage)
    agent_app = AgentApplication[TurnState](storage=storage, adapter=adapter, **app_kwargs)

    @agent_app.activity("message")
    async def on_message(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(f"Echo: {context.activity.text}")

    async def messages(request: web.Request) -> web.Response:
        return await start_agent_process(request, agent_app, adapter)

    app = web.Application(middlewares=[middleware])
    app.router.add_post("/api/messages", messages)
    app["agent_configuration"] = auth_config
    app["agent_app"] = agent_app
    app["adapter"] = adapter
    return app


def build_bare_app() -> Any:
    """The same HTTP contract with aiohttp alone and no SDK: a reference for the overhead.

    It parses the JSON body, builds the reply as a dict and either returns it in the body
    (expectReplies) or posts it to the connector with one shared ``ClientSession`` (202).
    No activity model, no state, no turn pipeline, no authentication.
    """
    from aiohttp import ClientSession, web

    sessions: list[ClientSession] = []

    async def messages(request: web.Request) -> web.Response:
        data = await request.json()
        reply = {
            "type": "message",
            "channelId": data["channelId"],
            "serviceUrl": data["serviceUrl"],
            "from": data["recipient"],
            "conversation": data["conversation"],
            "recipient": data["from"],
            "locale": data.get("locale"),
            "text": f"Echo: {data['text']}",
            "inputHint": "acceptingInput",
            "replyToId": data["id"],
        }
        if data.get("deliveryMode") == "expectReplies":
            return web.json_response({"activities": [reply]})
        if not sessions:
            sessions.append(ClientSession())
        url = (
            f"{data['serviceUrl'].rstrip('/')}/v3/conversations/"
            f"{data['conversation']['id']}/activities/{data['id']}"
        )
        async with sessions[0].post(url, json=reply) as answer:
            await answer.read()
            if answer.status >= 300:
                return web.Response(status=502)
        return web.Response(status=202)

    async def close_sessions(_app: web.Application) -> None:
        for session in sessions:
            await session.close()

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.on_cleanup.append(close_sessions)
    return app


async def serve(stack: str, port: int) -> None:
    from aiohttp import web

    app = build_bare_app() if stack == "bare" else build_app(stack)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(json.dumps({"ready": True, "pid": os.getpid(), "stack": stack}), flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", choices=("ours", "published", "bare"), required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cpu", type=int, help="pin this process to one CPU")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(serve(args.stack, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
