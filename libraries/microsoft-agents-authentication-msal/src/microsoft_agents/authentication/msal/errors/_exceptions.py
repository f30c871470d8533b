"""The exception tree of the MSAL distribution.

Every error raised on purpose derives from :class:`MsalAuthError` (itself a
``HostingError``). Where the compatibility contract promises a built-in type, the class also
derives from it, so ``except ValueError`` and ``except NotImplementedError`` keep working.
"""

from __future__ import annotations

from microsoft_agents.hosting.core.errors import HostingError

__all__ = [
    "MsalAuthError",
    "MsalConfigurationError",
    "MsalRequestError",
    "MsalUnsupportedError",
    "TokenAcquisitionError",
]


class MsalAuthError(HostingError):
    """Base of every error this distribution raises on purpose."""


class MsalConfigurationError(MsalAuthError, ValueError):
    """A connection's settings cannot work; the message names the variable to fix.

    Raised when the connection manager (or an ``MsalAuth``) is created, before any request.
    """


class MsalUnsupportedError(MsalAuthError, NotImplementedError):
    """The connection's authentication type cannot do what was asked (or at all)."""


class MsalRequestError(MsalAuthError, ValueError):
    """A token was asked for with unusable arguments (an invalid URL, missing ids)."""


class TokenAcquisitionError(MsalAuthError, ValueError):
    """The identity provider did not issue a token.

    ``error`` is the OAuth error code (``invalid_client``, ...), ``error_codes`` the provider's
    numeric codes and ``correlation_id`` the id to quote to its support, when it sent them.
    The message never contains secrets, assertions or tokens.
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        error_codes: list[int] | None = None,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.error = error
        self.error_codes = list(error_codes or [])
        self.correlation_id = correlation_id
