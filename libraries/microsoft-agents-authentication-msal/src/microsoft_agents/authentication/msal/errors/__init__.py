"""Errors of the MSAL distribution: the exception tree and the catalogue of messages.

``authentication_errors`` holds the message templates (``ErrorMessage`` objects with their
error codes); the exceptions all derive from :class:`MsalAuthError`.
"""

from microsoft_agents.activity.errors import ErrorMessage

from ._exceptions import (
    MsalAuthError,
    MsalConfigurationError,
    MsalRequestError,
    MsalUnsupportedError,
    TokenAcquisitionError,
)
from ._resources import AuthenticationErrorResources, authentication_errors

__all__ = [
    "AuthenticationErrorResources",
    "ErrorMessage",
    "MsalAuthError",
    "MsalConfigurationError",
    "MsalRequestError",
    "MsalUnsupportedError",
    "TokenAcquisitionError",
    "authentication_errors",
]
