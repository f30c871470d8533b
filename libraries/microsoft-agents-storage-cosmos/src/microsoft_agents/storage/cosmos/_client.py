"""Building the ``CosmosClient`` of a storage from its configuration (no network I/O)."""

from __future__ import annotations

from typing import Any

from azure.cosmos.aio import CosmosClient
from azure.cosmos.documents import ConnectionPolicy

from ._config import CosmosDBStorageConfig
from .errors import CosmosDBConfigurationError, storage_errors

__all__ = ["build_client", "parse_connection_string"]


def parse_connection_string(connection_string: str) -> tuple[str, str]:
    """``(endpoint, key)`` of an ``AccountEndpoint=...;AccountKey=...;`` connection string."""
    parts: dict[str, str] = {}
    for segment in connection_string.split(";"):
        name, separator, value = segment.strip().partition("=")
        if separator:
            parts[name.strip().lower()] = value.strip()
    endpoint, key = parts.get("accountendpoint", ""), parts.get("accountkey", "")
    if not endpoint or not key:
        raise CosmosDBConfigurationError(
            storage_errors.InvalidConfiguration.format(
                "connection_string must hold AccountEndpoint=...;AccountKey=...;"
            )
        )
    return endpoint, key


def build_client(config: CosmosDBStorageConfig) -> tuple[CosmosClient, str]:
    """The client for ``config`` and the endpoint to name in error messages."""
    options: dict[str, Any] = dict(config.cosmos_client_options)
    policy = options.pop("connection_policy", None) or ConnectionPolicy()
    if not isinstance(policy, ConnectionPolicy):
        raise CosmosDBConfigurationError(
            storage_errors.InvalidConfiguration.format(
                "cosmos_client_options['connection_policy'] must be an "
                f"azure.cosmos.documents.ConnectionPolicy, not {type(policy).__name__}"
            )
        )
    consistency_level = options.pop("consistency_level", None)
    if config.url:
        if config.credential is None:
            raise CosmosDBConfigurationError(
                storage_errors.InvalidConfiguration.format(
                    "Credential is required when using a custom service URL"
                )
            )
        client = CosmosClient(
            url=config.url,
            credential=config.credential,
            consistency_level=consistency_level,
            connection_policy=policy,
            **options,
        )
        return client, config.url
    endpoint, key = config.cosmos_db_endpoint, config.auth_key
    if not endpoint and config.connection_string:
        endpoint, key = parse_connection_string(config.connection_string)
    if not endpoint:
        raise CosmosDBConfigurationError(str(storage_errors.CosmosDbEndpointRequired))
    if not key:
        raise CosmosDBConfigurationError(str(storage_errors.CosmosDbAuthKeyRequired))
    options.setdefault("connection_verify", not policy.DisableSSLVerification)
    client = CosmosClient(
        endpoint,
        key,
        consistency_level=consistency_level,
        connection_policy=policy,
        **options,
    )
    return client, endpoint
