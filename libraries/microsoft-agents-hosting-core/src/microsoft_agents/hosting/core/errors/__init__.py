"""Errors of the hosting core: the exception tree and the catalogue of messages.

Every exception this distribution raises on purpose derives from :class:`HostingError`
(or is a built-in ``ValueError``/``TypeError`` where the compatibility contract says so).
Messages come from :data:`error_resources` and end with an error code and a help link.
"""

from microsoft_agents.activity.errors import ErrorMessage

from ._exceptions import ApplicationError, HostingError, StorageConflictError, StorageError
from ._resources import ErrorResources, error_resources

__all__ = [
    "ApplicationError",
    "ErrorMessage",
    "ErrorResources",
    "HostingError",
    "StorageConflictError",
    "StorageError",
    "error_resources",
]
