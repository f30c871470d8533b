"""BlobStorageConfig and what BlobStorage checks before it talks to any server."""

from __future__ import annotations

import pytest

from microsoft_agents.hosting.core.errors import StorageError
from microsoft_agents.hosting.core.storage.storage_contract import ContractItem
from microsoft_agents.hosting.core.testing import UnusedTokenCredential
from microsoft_agents.storage.blob import (
    BlobKeyError,
    BlobStorage,
    BlobStorageConfig,
    BlobStorageConfigurationError,
    blob_storage_errors,
)

# Nothing listens on port 9 (discard) of 127.0.0.1 in the test environment.
UNREACHABLE = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
    "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;"
)


def test_config_keeps_plain_attributes_with_defaults() -> None:
    config = BlobStorageConfig("state")
    assert (config.container_name, config.connection_string, config.url) == ("state", "", "")
    assert config.credential is None
    assert config.create_container is True
    assert config.client_options == {}
    assert config.read_timeout_seconds == 5
    full = BlobStorageConfig("c", "conn", "https://acct.blob.core.windows.net", None)
    assert (full.connection_string, full.url) == ("conn", "https://acct.blob.core.windows.net")


def test_repr_never_shows_the_connection_string() -> None:
    assert "a2V5" not in repr(BlobStorageConfig("state", connection_string=UNREACHABLE))


@pytest.mark.parametrize(
    ("config", "code"),
    [
        (None, blob_storage_errors.BlobStorageConfigRequired.error_code),
        (BlobStorageConfig("", connection_string=UNREACHABLE), -61102),
        (BlobStorageConfig("state"), -61101),
    ],
)
def test_incomplete_configuration_is_a_value_error(
    config: BlobStorageConfig | None, code: int
) -> None:
    with pytest.raises(ValueError, match=f"Error Code: {code}") as raised:
        BlobStorage(config)  # type: ignore[arg-type]
    assert isinstance(raised.value, BlobStorageConfigurationError)
    assert isinstance(raised.value, StorageError)


def test_url_needs_a_credential() -> None:
    config = BlobStorageConfig("state", url="https://acct.blob.core.windows.net")
    with pytest.raises(
        ValueError,
        match="Invalid configuration: Credential is required when using a custom service URL",
    ):
        BlobStorage(config)


async def test_url_with_a_token_credential_builds_without_network() -> None:
    config = BlobStorageConfig(
        "state", url="https://acct.blob.core.windows.net", credential=UnusedTokenCredential()
    )
    async with BlobStorage(config) as storage:
        assert storage.config is config


def test_retry_policy_and_retry_settings_together_are_refused() -> None:
    from azure.storage.blob.aio import LinearRetry

    config = BlobStorageConfig(
        "state",
        connection_string=UNREACHABLE,
        client_options={"retry_policy": LinearRetry(), "retry_total": 1},
    )
    with pytest.raises(ValueError, match="retry_total"):
        BlobStorage(config)


async def test_constructor_does_no_network_io_and_keys_are_checked_before_any() -> None:
    config = BlobStorageConfig(
        "state", connection_string=UNREACHABLE, client_options={"retry_total": 0}
    )
    async with BlobStorage(config) as storage:
        for key in ["a\\b", "a/../b", "a/./b", "k" * 1025]:
            with pytest.raises(BlobKeyError) as raised:
                await storage.write({key: ContractItem({})})
            assert isinstance(raised.value, ValueError)
            assert "Error Code: -61108" in str(raised.value)
        with pytest.raises(ValueError):
            await storage.read([""], target_cls=ContractItem)
