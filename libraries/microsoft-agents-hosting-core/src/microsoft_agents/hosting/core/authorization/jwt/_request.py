"""Request-level checks shared by the web hosts: the ``Authorization`` header and the
``serviceurl`` claim."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import jwt

from .._claims_identity import ClaimsIdentity
from .._config import AgentAuthConfiguration
from .._constants import AuthenticationConstants as _C
from .._issuers import is_bot_framework_issuer
from ._validator import JwtTokenValidator

if TYPE_CHECKING:
    from ...http import HttpResponse

__all__ = ["_authorize_request", "validate_service_url_claim"]

logger = logging.getLogger("microsoft_agents.hosting.core.authorization")


async def _authorize_request(
    authorization_header: str | None, auth_config: AgentAuthConfiguration | None
) -> ClaimsIdentity | HttpResponse:
    """The caller's identity, or the error response to send instead.

    * no configuration: 500 ``{"error": "Agent Authentication configuration not found"}``;
    * no header: an anonymous identity when ``ANONYMOUS_ALLOWED``, else 401
      ``{"error": "Authorization header not found"}``;
    * a header other than ``Bearer <token>``: 401
      ``{"error": "Invalid authorization header format"}``;
    * a token that does not validate: 401 ``{"error": "Invalid token or authentication failed."}``.
    """
    if not authorization_header and auth_config is not None and auth_config.ANONYMOUS_ALLOWED:
        return ClaimsIdentity()  # what JwtTokenValidator.get_anonymous_claims gives
    from ...http import HttpResponse  # the HTTP layer imports this module too

    if auth_config is None:
        return HttpResponse(500, {"error": "Agent Authentication configuration not found"})
    if not authorization_header:
        return HttpResponse(401, {"error": "Authorization header not found"})
    validator = JwtTokenValidator(auth_config)
    parts = authorization_header.split(" ")
    if len(parts) != 2 or parts[0].lower() != "bearer" or not parts[1]:
        return HttpResponse(401, {"error": "Invalid authorization header format"})
    token = parts[1]
    try:
        return await validator.validate_token(token)
    except (jwt.PyJWTError, ValueError) as error:
        logger.warning("Rejected a request token: %s", _safe_reason(error, token))
        return HttpResponse(401, {"error": "Invalid token or authentication failed."})


def validate_service_url_claim(identity: ClaimsIdentity, activity_service_url: str | None) -> None:
    """Check that a Bot Framework token was issued for the activity's ``serviceUrl``.

    Tokens of the Bot Framework token service carry the ``serviceurl`` the channel will be
    reached at; an activity naming a different one must not be answered with this caller's
    trust. Raises ``PermissionError`` when such a token has no ``serviceurl`` claim or it
    differs from ``activity_service_url`` (compared ignoring case and a trailing ``/``).
    Other tokens (Entra ID, anonymous) are not checked.
    """
    issuer = identity.get_claim_value(_C.ISSUER_CLAIM)
    if not isinstance(issuer, str) or not is_bot_framework_issuer(issuer):
        return
    claimed = identity.get_claim_value(_C.SERVICE_URL_CLAIM)
    if not isinstance(claimed, str) or not claimed:
        raise PermissionError("The token has no serviceurl claim.")
    if not activity_service_url or _normalise(claimed) != _normalise(activity_service_url):
        raise PermissionError("The activity's serviceUrl does not match the token.")


def _normalise(url: str) -> str:
    return url.strip().rstrip("/").lower()


def _safe_reason(error: Exception, token: str) -> str:
    """Why a token was rejected, without any part of the token."""
    reason = f"{type(error).__name__}: {error}"
    pieces = [token, *(part for part in token.split(".") if len(part) >= 8)]
    if any(piece and piece in reason for piece in pieces):
        return type(error).__name__
    return reason
