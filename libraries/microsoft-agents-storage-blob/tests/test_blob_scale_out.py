"""Two agent processes share one Blob container; concurrent turns of one conversation lose no
update (``run_scale_out`` of hosting-core's testing package runs the replicas and the turns)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core.testing import run_scale_out
from microsoft_agents.storage.blob import BlobStorage, BlobStorageConfig


def open_storage(settings: Mapping[str, Any]) -> BlobStorage:
    """The store of each replica process."""
    config = BlobStorageConfig(settings["container"], connection_string=settings["connection"])
    return BlobStorage(config)


async def test_concurrent_turns_on_two_replicas_lose_no_update(
    azurite_connection_string: str, fresh_container: str
) -> None:
    settings = {"connection": azurite_connection_string, "container": fresh_container}
    run = await run_scale_out(f"{__file__}:open_storage", settings, replicas=2, turns=40)
    run.assert_no_update_lost()
