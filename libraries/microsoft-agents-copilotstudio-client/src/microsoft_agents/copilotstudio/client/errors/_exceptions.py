"""The exception tree of the Copilot Studio client.

::

    CopilotClientError (HostingError)
    ├── CopilotClientValueError (also ValueError)      a setting or argument is missing/invalid
    ├── CopilotClientHTTPError (also aiohttp.ClientError)   the service answered non-200
    ├── CopilotClientConnectionError (also aiohttp.ClientError)  connect failed / stream broke
    │   └── CopilotClientTimeoutError (also TimeoutError)
    └── CopilotClientProtocolError                     the event stream is malformed

Messages name the request (method and URL) but never carry the bearer token: the URL holds
no credentials, and response bodies are cut to a short excerpt with the token masked.
"""

from __future__ import annotations

import aiohttp

from microsoft_agents.activity.errors import ErrorMessage
from microsoft_agents.hosting.core.errors import HostingError

from .copilot_studio_errors import HttpStatus

__all__ = [
    "BODY_EXCERPT_LIMIT",
    "CopilotClientConnectionError",
    "CopilotClientError",
    "CopilotClientHTTPError",
    "CopilotClientProtocolError",
    "CopilotClientTimeoutError",
    "CopilotClientValueError",
    "body_excerpt",
]

BODY_EXCERPT_LIMIT = 500
"""Characters of a response body kept in an :class:`CopilotClientHTTPError`."""


class CopilotClientError(HostingError):
    """Base of every error the Copilot Studio client raises on purpose."""


class CopilotClientValueError(CopilotClientError, ValueError):
    """A connection setting or a call argument is missing or invalid."""

    def __init__(self, message: ErrorMessage | str, *args: object) -> None:
        text = message.format(*args) if isinstance(message, ErrorMessage) else message
        super().__init__(text)


class CopilotClientHTTPError(CopilotClientError, aiohttp.ClientError):
    """Copilot Studio answered with a status other than 200.

    ``status`` and ``reason`` are the HTTP status line, ``body`` an excerpt of the response
    body (at most :data:`BODY_EXCERPT_LIMIT` characters, the bearer token masked), ``method``
    and ``url`` the request that failed.
    """

    def __init__(self, status: int, reason: str, body: str, method: str, url: str) -> None:
        self.status = status
        self.reason = reason
        self.body = body
        self.method = method
        self.url = url
        hint = _hint(status)
        super().__init__(HttpStatus.format(status, reason, method, url, hint, body or "(empty)"))


def _hint(status: int) -> str:
    if status in (401, 403):
        return (
            "Check that the token is current and was issued for the Power Platform API "
            "(scope: CopilotClient.scope_from_settings(settings))."
        )
    if status == 404:
        return (
            "Check the environment id, the agent identifier (schema name), the cloud and "
            "the conversation id."
        )
    if status == 429 or status >= 500:
        return "The service is busy or failing; try again later."
    return "The client expects 200 and an event stream."


class CopilotClientConnectionError(CopilotClientError, aiohttp.ClientError):
    """The connection could not be opened, or broke before the stream ended."""


class CopilotClientTimeoutError(CopilotClientConnectionError, TimeoutError):
    """No answer (or no further stream data) arrived within the session's timeout."""


class CopilotClientProtocolError(CopilotClientError):
    """The server-sent-event stream is malformed: a bad activity, an unterminated event at
    the end of the stream, or an event larger than the parser accepts."""


def body_excerpt(body: bytes, secret: str | None = None, limit: int = BODY_EXCERPT_LIMIT) -> str:
    """A printable excerpt of a response body, with ``secret`` masked wherever it appears."""
    text = body.decode("utf-8", errors="replace").strip()
    if secret:
        text = text.replace(secret, "***")
    if len(text) > limit:
        text = text[:limit] + "…"
    return text
