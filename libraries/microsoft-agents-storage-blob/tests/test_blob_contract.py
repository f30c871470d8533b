"""BlobStorage on a real Azurite server against the shared storage contract of hosting-core."""

from __future__ import annotations

import pytest

from microsoft_agents.hosting.core.storage import Storage
from microsoft_agents.hosting.core.storage.storage_contract import StorageContractTests
from microsoft_agents.storage.blob import BlobStorage


class TestBlobStorageContract(StorageContractTests):
    atomic_multi_key_writes = False  # each key is its own blob, written independently

    @pytest.fixture
    def storage(self, blob_storage: BlobStorage) -> Storage:
        return blob_storage


def test_the_contract_runs_against_azurite_not_a_stand_in(blob_storage: BlobStorage) -> None:
    # Guard: the suite above must exercise the real blob client pointed at the local server.
    assert type(blob_storage) is BlobStorage
    assert blob_storage._container.url.startswith("http://127.0.0.1:")
