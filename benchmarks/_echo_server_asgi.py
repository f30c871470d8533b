"""The quickstart echo agent on our ASGI host, served by uvicorn, for ``echo_bench.py``.

Run inside the ``echo-ours-asgi`` benchmark environment::

    python -I _echo_server_asgi.py --stack ours-asgi --port 3978

The agent is the one ``_echo_server.py`` serves (an ``AgentApplication[TurnState]`` with a
``MemoryStorage`` and one ``message`` handler that replies ``Echo: <text>``), here in a
FastAPI application the way ``microsoft-agents-hosting-fastapi`` documents it:
``JwtAuthorizationMiddleware`` (anonymous ``AgentAuthConfiguration``) in front of a
``POST /api/messages`` route that returns ``start_agent_process``. ``--app starlette`` serves
it from a plain Starlette application instead (the package's ``create_app``), to see what
FastAPI's routing adds.

uvicorn runs in this process on the standard asyncio event loop (as the aiohttp servers do)
with its ``httptools`` HTTP parser and no access log. The process pins itself to ``--cpu``
(when the runner did not already use ``taskset``), prints one JSON line
``{"ready": true, "pid": ...}`` on stdout once it listens, and stops on SIGTERM or SIGINT.
"""

# No ``from __future__ import annotations`` here: FastAPI must see the route's ``Request``
# annotation as the class itself, and it is imported inside a function.
import argparse
import asyncio
import json
import os
import sys
from typing import Any


def build_agent() -> Any:
    from microsoft_agents.hosting.core import (
        AgentApplication,
        MemoryStorage,
        TurnContext,
        TurnState,
    )
    from microsoft_agents.hosting.fastapi import CloudAdapter

    agent_app = AgentApplication[TurnState](storage=MemoryStorage(), adapter=CloudAdapter())

    @agent_app.activity("message")
    async def on_message(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(f"Echo: {context.activity.text}")

    return agent_app


def build_fastapi_app(agent_app: Any) -> Any:
    from fastapi import FastAPI, Request

    from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration
    from microsoft_agents.hosting.fastapi import JwtAuthorizationMiddleware, start_agent_process

    app = FastAPI()
    app.add_middleware(JwtAuthorizationMiddleware)
    app.state.agent_configuration = AgentAuthConfiguration(anonymous_allowed=True)

    @app.post("/api/messages")
    async def messages(request: Request):  # type: ignore[no-untyped-def]  # no response model
        return await start_agent_process(request, agent_app, agent_app.adapter)

    return app


def build_starlette_app(agent_app: Any) -> Any:
    from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration
    from microsoft_agents.hosting.fastapi import create_app

    return create_app(agent_app, AgentAuthConfiguration(anonymous_allowed=True))


async def serve(app: Any, port: int) -> None:
    import uvicorn

    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        loop="asyncio",
        http="httptools",
        lifespan="on",
        access_log=False,
        log_level="warning",
        backlog=1024,
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())  # handles SIGTERM / SIGINT itself
    while not server.started:
        if serving.done():
            await serving  # raises why it stopped
            return
        await asyncio.sleep(0.01)
    print(json.dumps({"ready": True, "pid": os.getpid(), "stack": "ours-asgi"}), flush=True)
    await serving


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", choices=("ours-asgi",), default="ours-asgi")
    parser.add_argument("--app", choices=("fastapi", "starlette"), default="fastapi")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cpu", type=int, help="pin this process to one CPU")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    agent_app = build_agent()
    build = build_fastapi_app if args.app == "fastapi" else build_starlette_app
    asyncio.run(serve(build(agent_app), args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
