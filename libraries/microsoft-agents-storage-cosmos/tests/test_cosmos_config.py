"""CosmosDBStorageConfig and what CosmosDBStorage checks before it talks to any server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from azure.cosmos.documents import ConnectionPolicy

from microsoft_agents.hosting.core.errors import StorageError
from microsoft_agents.hosting.core.storage.storage_contract import ContractItem
from microsoft_agents.hosting.core.testing import UnusedTokenCredential
from microsoft_agents.storage.cosmos import (
    CosmosDBConfigurationError,
    CosmosDBKeyError,
    CosmosDBStorage,
    CosmosDBStorageConfig,
    storage_errors,
)

KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
UNREACHABLE = "https://127.0.0.1:9/"  # nothing listens on the discard port


def _config(**kwargs: object) -> CosmosDBStorageConfig:
    values: dict[str, object] = {
        "cosmos_db_endpoint": UNREACHABLE,
        "auth_key": KEY,
        "database_id": "db",
        "container_id": "state",
    }
    values.update(kwargs)
    return CosmosDBStorageConfig(**values)  # type: ignore[arg-type]


def test_defaults() -> None:
    config = CosmosDBStorageConfig()
    assert (config.cosmos_db_endpoint, config.auth_key, config.database_id) == ("", "", "")
    assert (config.container_id, config.key_suffix, config.url) == ("", "", "")
    assert config.cosmos_client_options == {}
    assert config.container_throughput is None
    assert config.compatibility_mode is False
    assert config.credential is None
    assert config.create_container is True
    assert config.connection_string == ""


def test_a_settings_file_fills_what_the_constructor_leaves_out(tmp_path: Path) -> None:
    settings = tmp_path / "cosmos.json"
    settings.write_text(
        json.dumps(
            {
                "cosmos_db_endpoint": "https://from-file:8081/",
                "auth_key": "file-key",
                "database_id": "file-db",
                "container_id": "file-container",
                "container_throughput": 800,
                "compatibility_mode": True,
                "cosmos_client_options": {"consistency_level": "Session"},
                "unrelated": "ignored",
            }
        )
    )
    config = CosmosDBStorageConfig(database_id="explicit-db", filename=str(settings))
    assert config.database_id == "explicit-db"  # the constructor wins
    assert config.cosmos_db_endpoint == "https://from-file:8081/"
    assert config.auth_key == "file-key"
    assert config.container_id == "file-container"
    assert config.container_throughput == 800
    assert config.compatibility_mode is True
    assert config.cosmos_client_options == {"consistency_level": "Session"}


def test_an_unreadable_settings_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        CosmosDBStorageConfig(filename=str(tmp_path / "missing.json"))


def test_repr_never_shows_the_key() -> None:
    assert KEY not in repr(_config())


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (None, storage_errors.CosmosDbConfigRequired),
        (CosmosDBStorageConfig(container_id="c"), storage_errors.CosmosDbDatabaseIdRequired),
        (CosmosDBStorageConfig(database_id="d"), storage_errors.CosmosDbContainerIdRequired),
        (
            CosmosDBStorageConfig(
                database_id="d", container_id="c", key_suffix="x", compatibility_mode=True
            ),
            storage_errors.CosmosDbCompatibilityModeRequired,
        ),
    ],
)
def test_validation_refuses_configurations_that_cannot_work(
    config: CosmosDBStorageConfig | None, message: object
) -> None:
    with pytest.raises(ValueError) as raised:
        CosmosDBStorageConfig.validate_cosmos_db_config(config)
    assert str(raised.value) == str(message)
    assert isinstance(raised.value, CosmosDBConfigurationError)
    assert isinstance(raised.value, StorageError)


@pytest.mark.parametrize("suffix", ["a/b", "a\\b", "a?b", "a#b", "a*b", "a\tb"])
def test_a_suffix_with_forbidden_characters_is_refused(suffix: str) -> None:
    config = CosmosDBStorageConfig(database_id="d", container_id="c", key_suffix=suffix)
    with pytest.raises(ValueError, match="Cannot use invalid Row Key characters"):
        CosmosDBStorageConfig.validate_cosmos_db_config(config)


def test_validation_does_not_ask_for_an_endpoint() -> None:
    CosmosDBStorageConfig.validate_cosmos_db_config(
        CosmosDBStorageConfig(database_id="d", container_id="c", key_suffix="-bot1")
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"cosmos_db_endpoint": ""}, -61001),
        ({"auth_key": ""}, -61002),
        ({"cosmos_db_endpoint": "", "url": "https://acct.documents.azure.com"}, -61012),
        ({"cosmos_db_endpoint": "", "connection_string": "AccountEndpoint=x;"}, -61012),
        ({"cosmos_client_options": {"connection_policy": "not a policy"}}, -61012),
    ],
)
def test_the_storage_refuses_a_client_it_cannot_build(kwargs: dict[str, object], code: int) -> None:
    with pytest.raises(ValueError, match=f"Error Code: {code}"):
        CosmosDBStorage(_config(**kwargs))


def test_url_without_credential_is_an_invalid_configuration() -> None:
    config = _config(cosmos_db_endpoint="", url="https://acct.documents.azure.com")
    with pytest.raises(ValueError, match="Invalid configuration: Credential is required"):
        CosmosDBStorage(config)


async def test_clients_are_built_without_network_io() -> None:
    configs = [
        _config(),
        _config(
            cosmos_db_endpoint="",
            connection_string=f"AccountEndpoint={UNREACHABLE};AccountKey={KEY};",
        ),
        _config(cosmos_db_endpoint="", url=UNREACHABLE, credential=UnusedTokenCredential()),
        _config(
            cosmos_client_options={
                "connection_policy": ConnectionPolicy(),
                "consistency_level": "Session",
                "retry_total": 2,
            }
        ),
    ]
    for config in configs:
        async with CosmosDBStorage(config) as storage:
            assert storage.config is config


async def test_overlong_ids_are_refused_before_any_network_io() -> None:
    async with CosmosDBStorage(_config()) as storage:
        with pytest.raises(CosmosDBKeyError, match="1023 bytes") as raised:
            await storage.write({"/" * 400: ContractItem({})})  # 1200 characters once escaped
        assert isinstance(raised.value, ValueError)
        with pytest.raises(ValueError):
            await storage.read([""], target_cls=ContractItem)
