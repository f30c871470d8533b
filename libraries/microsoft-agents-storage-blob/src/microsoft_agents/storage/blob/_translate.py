"""Turn Azure SDK exceptions into this package's errors, with advice on what to check."""

from __future__ import annotations

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)

from .errors import (
    BlobAuthenticationError,
    BlobConnectionError,
    BlobContainerNotFoundError,
    BlobStorageError,
    BlobThrottledError,
    blob_storage_errors,
)

__all__ = ["container_missing", "is_blob_missing", "is_container_missing", "translate"]

_BUSY = frozenset({429, 500, 502, 503, 504})
_AUTH_CODES = frozenset(
    {
        "AuthenticationFailed",
        "AuthorizationFailure",
        "AuthorizationPermissionMismatch",
        "InvalidAuthenticationInfo",
        "NoAuthenticationInformation",
        "KeyBasedAuthenticationNotPermitted",
    }
)


def error_code_of(error: BaseException) -> str | None:
    """The service error code (``ContainerNotFound``...) of an Azure error, as a plain str."""
    code = getattr(error, "error_code", None)
    if code is None:
        return None
    return str(getattr(code, "value", code))


def status_of(error: BaseException) -> int | None:
    status = getattr(error, "status_code", None)
    return status if isinstance(status, int) else None


def is_container_missing(error: BaseException) -> bool:
    return status_of(error) == 404 and error_code_of(error) == "ContainerNotFound"


def is_blob_missing(error: BaseException) -> bool:
    return status_of(error) == 404 and not is_container_missing(error)


def _describe(error: BaseException) -> str:
    status, code = status_of(error), error_code_of(error)
    parts = [f"HTTP {status}" if status is not None else type(error).__name__]
    if code:
        parts.append(code)
    return " ".join(parts)


def container_missing(
    container: str, account_url: str, *, creation_disabled: bool, cause: BaseException | None
) -> BlobContainerNotFoundError:
    advice = (
        "Container creation is disabled (create_container=False): create the container "
        "(for example with 'az storage container create') or set create_container=True."
        if creation_disabled
        else "It was created on first use but is gone now; it may have been deleted. Check the "
        "container name, or create the container again."
    )
    return BlobContainerNotFoundError(
        blob_storage_errors.ContainerNotFound.format(container, account_url, advice),
        status_code=status_of(cause) if cause else 404,
        error_code="ContainerNotFound",
    )


def translate(error: BaseException, operation: str, account_url: str) -> BlobStorageError:
    """The error of this package that explains ``error`` (raised while doing ``operation``)."""
    status, code = status_of(error), error_code_of(error)
    description = _describe(error)
    if isinstance(error, ClientAuthenticationError) or status == 401 or code in _AUTH_CODES:
        return BlobAuthenticationError(
            blob_storage_errors.AuthenticationFailed.format(operation, account_url, description),
            status_code=status,
            error_code=code,
        )
    if isinstance(error, HttpResponseError) and (status in _BUSY or code == "ServerBusy"):
        return BlobThrottledError(
            blob_storage_errors.Throttled.format(operation, account_url, description),
            status_code=status,
            error_code=code,
        )
    if isinstance(error, (ServiceRequestError, ServiceResponseError)):
        return BlobConnectionError(
            blob_storage_errors.Unreachable.format(operation, account_url, _first_line(error)),
        )
    if status == 403:  # e.g. an expired SAS, a firewall rule or a missing data role
        return BlobAuthenticationError(
            blob_storage_errors.AuthenticationFailed.format(operation, account_url, description),
            status_code=status,
            error_code=code,
        )
    message = _first_line(error) if isinstance(error, AzureError) else str(error)
    return BlobStorageError(
        blob_storage_errors.ServiceError.format(operation, account_url, description, message),
        status_code=status,
        error_code=code,
    )


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "message", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
