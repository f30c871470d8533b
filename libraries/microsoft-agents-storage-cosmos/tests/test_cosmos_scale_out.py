"""Two agent processes share one Cosmos DB container; concurrent turns of one conversation lose
no update (``run_scale_out`` of hosting-core's testing package runs the replicas and the turns)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core.testing import run_scale_out
from microsoft_agents.storage.cosmos import CosmosDBStorage, CosmosDBStorageConfig


def open_storage(settings: Mapping[str, Any]) -> CosmosDBStorage:
    """The store of each replica process."""
    return CosmosDBStorage(CosmosDBStorageConfig(container_id="state", **settings))


async def test_concurrent_turns_on_two_replicas_lose_no_update(
    cosmos_server: Any, fresh_database: str
) -> None:
    settings = {
        "cosmos_db_endpoint": cosmos_server.endpoint,
        "auth_key": cosmos_server.key,
        "database_id": fresh_database,
    }
    run = await run_scale_out(f"{__file__}:open_storage", settings, replicas=2, turns=40)
    run.assert_no_update_lost()
