"""Turn Azure Cosmos SDK exceptions into this package's errors, with advice on what to check."""

from __future__ import annotations

from azure.core.exceptions import (
    ClientAuthenticationError,
    ServiceRequestError,
    ServiceResponseError,
)

from .errors import (
    CosmosDBAuthenticationError,
    CosmosDBConnectionError,
    CosmosDBContainerNotFoundError,
    CosmosDBStorageError,
    CosmosDBThrottledError,
    storage_errors,
)

__all__ = ["container_missing", "is_owner_missing", "status_of", "translate"]

_BUSY = frozenset({429, 503})
_OWNER_RESOURCE_NOT_FOUND = 1003  # sub-status of a 404 for a missing database or container


def status_of(error: BaseException) -> int | None:
    status = getattr(error, "status_code", None)
    return status if isinstance(status, int) else None


def sub_status_of(error: BaseException) -> int | None:
    sub_status = getattr(error, "sub_status", None)
    return sub_status if isinstance(sub_status, int) else None


def is_owner_missing(error: BaseException) -> bool:
    """A 404 saying that the database or container (not the document) is missing."""
    return status_of(error) == 404 and sub_status_of(error) == _OWNER_RESOURCE_NOT_FOUND


def _describe(error: BaseException) -> str:
    status, sub_status = status_of(error), sub_status_of(error)
    if status is None:
        return type(error).__name__
    return f"HTTP {status}" + (f", sub-status {sub_status}" if sub_status else "")


def container_missing(
    database_id: str,
    container_id: str,
    endpoint: str,
    *,
    creation_disabled: bool,
    cause: BaseException | None,
) -> CosmosDBContainerNotFoundError:
    advice = (
        "Creation is disabled (create_container=False): create the database and the container "
        "(partition key path /id), or set create_container=True."
        if creation_disabled
        else "It was created on first use but is gone now; it may have been deleted. Check "
        "database_id and container_id, or create it again."
    )
    return CosmosDBContainerNotFoundError(
        storage_errors.ContainerNotFound.format(database_id, container_id, endpoint, advice),
        status_code=status_of(cause) if cause else 404,
        sub_status=sub_status_of(cause) if cause else None,
    )


def translate(error: BaseException, operation: str, endpoint: str) -> CosmosDBStorageError:
    """The error of this package that explains ``error`` (raised while doing ``operation``)."""
    status, sub_status = status_of(error), sub_status_of(error)
    description = _describe(error)
    if isinstance(error, ClientAuthenticationError) or status in (401, 403):
        return CosmosDBAuthenticationError(
            storage_errors.AuthenticationFailed.format(operation, endpoint, description),
            status_code=status,
            sub_status=sub_status,
        )
    if status in _BUSY:
        return CosmosDBThrottledError(
            storage_errors.Throttled.format(operation, endpoint, description),
            status_code=status,
            sub_status=sub_status,
        )
    if isinstance(error, (ServiceRequestError, ServiceResponseError)):
        return CosmosDBConnectionError(
            storage_errors.Unreachable.format(operation, endpoint, _first_line(error))
        )
    return CosmosDBStorageError(
        storage_errors.ServiceError.format(operation, endpoint, description, _first_line(error)),
        status_code=status,
        sub_status=sub_status,
    )


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
