"""Errors of the Copilot Studio client: the exception tree and the catalogue of messages.

Catch :class:`CopilotClientError` for everything the client raises on purpose. Invalid
settings and arguments raise :class:`CopilotClientValueError`, which is also a ``ValueError``;
HTTP failures raise :class:`CopilotClientHTTPError` and broken connections
:class:`CopilotClientConnectionError`, both also ``aiohttp.ClientError``.
"""

from . import copilot_studio_errors
from ._exceptions import (
    CopilotClientConnectionError,
    CopilotClientError,
    CopilotClientHTTPError,
    CopilotClientProtocolError,
    CopilotClientTimeoutError,
    CopilotClientValueError,
)
from .copilot_studio_errors import CopilotStudioErrorResources

__all__ = [
    "CopilotClientConnectionError",
    "CopilotClientError",
    "CopilotClientHTTPError",
    "CopilotClientProtocolError",
    "CopilotClientTimeoutError",
    "CopilotClientValueError",
    "CopilotStudioErrorResources",
    "copilot_studio_errors",
]
