"""The framework-neutral request and response shapes the HTTP core works with.

A web host wraps its framework's request in something that satisfies
:class:`HttpRequestProtocol`, hands it to the core, and turns the :class:`HttpResponse` it gets
back into its framework's response. The core renders JSON bodies itself
(:meth:`HttpResponse.encode_body`) so every host answers with the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pydantic_core import to_json

if TYPE_CHECKING:
    from ..authorization import ClaimsIdentity

__all__ = [
    "INVALID_TOKEN_MESSAGE",
    "JSON_CONTENT_TYPE",
    "HttpRequestProtocol",
    "HttpResponse",
    "HttpResponseFactory",
    "check_authorization_header",
    "get_header",
]

JSON_CONTENT_TYPE = "application/json"
INVALID_TOKEN_MESSAGE = "Invalid token or authentication failed."


class HttpRequestProtocol(Protocol):
    """What the HTTP core needs from an incoming request.

    ``headers`` should look names up case-insensitively (the core also copes with a plain
    ``dict``). ``read_body(max_bytes)`` returns the raw body; it may stop reading once more
    than ``max_bytes`` have arrived, returning what it has (a result longer than ``max_bytes``
    tells the core the body is too large). Requests without ``read_body`` still work: the core
    then falls back to ``json()`` and cannot enforce the size limit while reading.
    """

    @property
    def method(self) -> str:
        """The HTTP method, e.g. ``POST``."""
        ...

    @property
    def headers(self) -> Mapping[str, str]:
        """The request headers."""
        ...

    async def json(self) -> Any:
        """The body parsed as JSON."""
        ...

    def get_claims_identity(self) -> ClaimsIdentity | None:
        """The caller identity the authorization layer established, if any."""
        ...

    def get_path_param(self, name: str) -> str:
        """The value of path parameter ``name`` of the matched route."""
        ...

    async def read_body(self, max_bytes: int) -> bytes:
        """The raw body; reading may stop once it is longer than ``max_bytes``."""
        ...


def get_header(headers: Mapping[str, str], name: str) -> str | None:
    """Header ``name`` from ``headers``, matching the name case-insensitively."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, item in headers.items():
        if key.lower() == lowered:
            return item
    return None


@dataclass
class HttpResponse:
    """An answer to a request, independent of any web framework.

    ``body`` is a JSON-compatible value (or raw ``bytes``); ``None`` means an empty body.
    ``content_type`` is ``None`` for responses without a body.
    """

    status_code: int
    body: Any = None
    headers: dict[str, str] | None = None
    content_type: str | None = JSON_CONTENT_TYPE

    def encode_body(self) -> bytes | None:
        """The body as bytes: compact UTF-8 JSON, the same for every host, or ``None``."""
        if self.body is None:
            return None
        if isinstance(self.body, bytes):
            return self.body
        # Compact UTF-8 JSON, several times cheaper than the json module.
        return to_json(self.body)


def _error(status_code: int, message: str) -> HttpResponse:
    return HttpResponse(status_code, {"error": message})


class HttpResponseFactory:
    """Builders for the responses the HTTP core sends; errors carry ``{"error": message}``."""

    @staticmethod
    def ok(body: Any = None) -> HttpResponse:
        """``200`` with ``body`` (JSON), or empty."""
        if body is None:
            return HttpResponse(200, None, content_type=None)
        return HttpResponse(200, body)

    @staticmethod
    def accepted() -> HttpResponse:
        """``202`` with an empty body and no content type."""
        return HttpResponse(202, None, content_type=None)

    @staticmethod
    def json(body: Any, status_code: int = 200, *, status: int | None = None) -> HttpResponse:
        """``body`` as JSON with the given status (``status`` is accepted as an alias)."""
        code = status if status is not None else status_code
        if body is None:
            return HttpResponse(code, None, content_type=None)
        return HttpResponse(code, body)

    @staticmethod
    def bad_request(message: str = "Bad Request") -> HttpResponse:
        """``400 {"error": message}``."""
        return _error(400, message)

    @staticmethod
    def unauthorized(message: str = "Unauthorized") -> HttpResponse:
        """``401 {"error": message}``."""
        return _error(401, message)

    @staticmethod
    def method_not_allowed(message: str = "Method Not Allowed", allow: str = "") -> HttpResponse:
        """``405 {"error": message}``, with an ``Allow`` header when ``allow`` is given."""
        response = _error(405, message)
        if allow:
            response.headers = {"Allow": allow}
        return response

    @staticmethod
    def unsupported_media_type(message: str = "Unsupported Media Type") -> HttpResponse:
        """``415 {"error": message}``."""
        return _error(415, message)

    @staticmethod
    def payload_too_large(message: str = "Payload Too Large") -> HttpResponse:
        """``413 {"error": message}``."""
        return _error(413, message)

    @staticmethod
    def not_implemented(message: str = "Not Implemented") -> HttpResponse:
        """``501 {"error": message}``."""
        return _error(501, message)


def check_authorization_header(value: str | None) -> str | HttpResponse | None:
    """The ``Authorization`` header normalised to ``Bearer <token>``, ``None`` when absent, or
    the ``401`` to send.

    Web hosts run this before validating the token (with ``_authorize_request`` from
    ``microsoft_agents.hosting.core.authorization.jwt``). A present header must be the scheme
    ``Bearer`` (any case) and exactly one token, with any surrounding whitespace; anything else
    (an empty header, another scheme, extra parts) gives
    ``401 {"error": "Invalid token or authentication failed."}``.
    """
    if value is None:
        return None
    parts = value.split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return HttpResponseFactory.unauthorized(INVALID_TOKEN_MESSAGE)
    return f"Bearer {parts[1]}"
