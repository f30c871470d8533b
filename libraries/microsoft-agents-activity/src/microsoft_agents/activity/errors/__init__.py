"""Error messages with stable error codes and help links.

``ErrorMessage(template, code)`` formats into the message text followed by ``Error Code`` and
``Help URL`` lines. ``activity_errors`` and ``configuration_errors`` hold the messages this
distribution raises; their codes are listed in the catalog's module documentation.
"""

from ._catalog import (
    ActivityErrorResources,
    ConfigurationErrorResources,
    activity_errors,
    configuration_errors,
)
from ._error_message import ErrorMessage

__all__ = [
    "ActivityErrorResources",
    "ConfigurationErrorResources",
    "ErrorMessage",
    "activity_errors",
    "configuration_errors",
]
