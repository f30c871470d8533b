"""User sign-in for routes: ``Authorization`` and the settings of its handlers."""

from ._auth_handler import AuthHandler
from ._authorization import Authorization
from ._handlers import AgenticUserAuthorization, ConnectorUserAuthorization

__all__ = [
    "AgenticUserAuthorization",
    "AuthHandler",
    "Authorization",
    "ConnectorUserAuthorization",
]
