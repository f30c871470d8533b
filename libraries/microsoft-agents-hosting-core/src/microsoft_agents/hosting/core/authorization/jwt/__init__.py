"""Validation of incoming bearer tokens (JWTs) and the request checks built on it.

``_authorize_request`` is private to the SDK: both web hosts call it (through their own
module global, so tests can replace it there).
"""

from ._jwks import JwksCache, jwks_cache
from ._request import _authorize_request, validate_service_url_claim
from ._validator import JwtTokenValidator

__all__ = [
    "JwksCache",
    "JwtTokenValidator",
    "_authorize_request",
    "jwks_cache",
    "validate_service_url_claim",
]
