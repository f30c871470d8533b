"""User sign-in for routes: ``Authorization`` and the settings of its handlers."""

from ._auth_handler import AuthHandler
from ._authorization import Authorization
from ._handlers import AgenticUserAuthorization, ConnectorUserAuthorization
from ._token_credential import UserTokenCredential, UserTokenUnavailableError

__all__ = [
    "AgenticUserAuthorization",
    "AuthHandler",
    "Authorization",
    "ConnectorUserAuthorization",
    "UserTokenCredential",
    "UserTokenUnavailableError",
]
