"""One replica of a counter agent whose state lives in Azure Blob Storage (scale-out test).

    python scale_out_host.py          # env: AZURITE_CONNECTION_STRING, SCALE_OUT_CONTAINER

Several of these processes serve the same agent on different ports and share one container,
as replicas behind a load balancer would. Every "increment" message adds one to a counter in
the conversation state and answers with the new value; "read" answers with the value.

It shows the two things an application does so that no update is lost when turns of one
conversation run at the same time on different replicas:

1. ``RetryTurnOnConflict`` runs the whole turn again when saving state raises
   ``StorageConflictError`` (another replica saved the conversation after this turn loaded
   it). The retried turn loads the state afresh, so it builds on the other turn's update.
2. The handler saves the state *before* it replies, so a turn that loses the race has said
   nothing yet, and its retry answers once, with the right number.

The process prints ``LISTENING <port>`` once it serves, and stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal

from aiohttp import web

from microsoft_agents.hosting.aiohttp import CloudAdapter, create_app
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration
from microsoft_agents.hosting.core.errors import StorageConflictError
from microsoft_agents.storage.blob import BlobStorage, BlobStorageConfig


class RetryTurnOnConflict:
    """An agent that runs ``app``'s turn again (up to ``attempts`` times) on a state conflict."""

    def __init__(self, app: AgentApplication[TurnState], attempts: int = 25) -> None:
        self.app = app
        self.attempts = attempts
        self.adapter = app.adapter  # what create_app() serves the agent with
        self.retried = 0  # turns run again because of a conflict (the test reports it)

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


def build_application(storage: BlobStorage) -> RetryTurnOnConflict:
    app = AgentApplication[TurnState](storage=storage, adapter=CloudAdapter())
    agent = RetryTurnOnConflict(app)

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


async def main() -> None:
    storage = BlobStorage(
        BlobStorageConfig(
            os.environ["SCALE_OUT_CONTAINER"],
            connection_string=os.environ["AZURITE_CONNECTION_STRING"],
        )
    )
    agent = build_application(storage)
    # Anonymous callers only: a local test, not a production configuration.
    web_app = create_app(agent, AgentAuthConfiguration(anonymous_allowed=True))
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"LISTENING {runner.addresses[0][1]}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()
    await storage.close()


if __name__ == "__main__":
    asyncio.run(main())
