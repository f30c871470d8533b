"""CosmosDBStorage on a real cosmosdb-server against the shared storage contract of hosting-core."""

from __future__ import annotations

import pytest

from microsoft_agents.hosting.core.storage import Storage
from microsoft_agents.hosting.core.storage.storage_contract import StorageContractTests
from microsoft_agents.storage.cosmos import CosmosDBStorage


class TestCosmosDBStorageContract(StorageContractTests):
    atomic_multi_key_writes = False  # each key is its own document, written independently

    @pytest.fixture
    def storage(self, cosmos_storage: CosmosDBStorage) -> Storage:
        return cosmos_storage


def test_the_contract_runs_against_cosmosdb_server(cosmos_storage: CosmosDBStorage) -> None:
    # Guard: the suite above must exercise the real Cosmos client, not another Storage.
    assert type(cosmos_storage) is CosmosDBStorage
    config = cosmos_storage.config
    assert "127.0.0.1" in (config.cosmos_db_endpoint or config.url)
