"""Reading and checking request bodies: media type, size limit, JSON, model validation.

Everything here answers bad input with a short JSON error response (raised as
:class:`BadRequestBody`) and never lets a parser or validator error escape: a client that
sends garbage gets a 4xx that says what was wrong, never a 500, and no agent code runs.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from microsoft_agents.activity import Activity

from ._messages import (
    JSON_CONTENT_TYPE,
    HttpRequestProtocol,
    HttpResponse,
    HttpResponseFactory,
    get_header,
)

__all__ = [
    "ACTIVITY_REQUIRED_FIELDS_MESSAGE",
    "DEFAULT_MAX_BODY_BYTES",
    "INVALID_JSON_MESSAGE",
    "BadRequestBody",
    "is_json_media_type",
    "parse_activity",
    "parse_model",
    "read_activity",
    "read_json_body",
]

DEFAULT_MAX_BODY_BYTES = 256 * 1024
"""Bodies larger than this (256 KiB) are refused with ``413`` unless configured otherwise."""

INVALID_JSON_MESSAGE = "Invalid JSON or unsupported Content-Type"
ACTIVITY_REQUIRED_FIELDS_MESSAGE = "Activity must have type and conversation.id"
NOT_AN_OBJECT_MESSAGE = "The request body must be a JSON object"
UNSUPPORTED_MEDIA_TYPE_MESSAGE = "Unsupported Content-Type: send the body as application/json"
_MAX_PROBLEM_LENGTH = 200

_M = TypeVar("_M", bound=BaseModel)


class BadRequestBody(Exception):
    """The body cannot be used; :attr:`response` is the error answer to send."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.body)
        self.response = response


_PLAIN_JSON = frozenset({JSON_CONTENT_TYPE, JSON_CONTENT_TYPE + "; charset=utf-8"})


def is_json_media_type(content_type: str | None) -> bool:
    """Whether ``content_type`` is ``application/json`` or a ``+json`` type (any parameters)."""
    if not content_type:
        return False
    if content_type in _PLAIN_JSON:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == JSON_CONTENT_TYPE or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _declared_length(request: HttpRequestProtocol) -> int | None:
    value = get_header(request.headers, "Content-Length")
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def _too_large(max_bytes: int) -> BadRequestBody:
    return BadRequestBody(
        HttpResponseFactory.payload_too_large(
            f"Request body too large: the limit is {max_bytes} bytes"
        )
    )


async def read_json_body(
    request: HttpRequestProtocol,
    *,
    max_bytes: int = DEFAULT_MAX_BODY_BYTES,
    require_content_type: bool = False,
) -> Any:
    """The request body parsed as JSON.

    Checks, in order: the ``Content-Type`` (a non-JSON type → ``415``; a missing one is
    accepted unless ``require_content_type``), the declared ``Content-Length`` and then the
    bytes actually read against ``max_bytes`` (→ ``413``), and the JSON syntax (→ ``400``).

    :raises BadRequestBody: with the error response to send.
    """
    raw = await _read_raw(request, max_bytes, require_content_type)
    if raw is None:
        return await _parse_json(request.json())
    return _loads(raw)


async def _read_raw(
    request: HttpRequestProtocol, max_bytes: int, require_content_type: bool
) -> bytes | None:
    """The checked raw body; ``None`` for a request without ``read_body``."""
    content_type = get_header(request.headers, "Content-Type")
    if (content_type or require_content_type) and not is_json_media_type(content_type):
        raise BadRequestBody(
            HttpResponseFactory.unsupported_media_type(UNSUPPORTED_MEDIA_TYPE_MESSAGE)
        )
    declared = _declared_length(request)
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    read_body = getattr(request, "read_body", None)
    if read_body is None:
        return None
    try:
        raw: bytes = await read_body(max_bytes)
    except (ValueError, RecursionError) as error:
        raise BadRequestBody(HttpResponseFactory.bad_request(INVALID_JSON_MESSAGE)) from error
    if len(raw) > max_bytes:
        raise _too_large(max_bytes)
    return raw


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as error:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors.
        raise BadRequestBody(HttpResponseFactory.bad_request(INVALID_JSON_MESSAGE)) from error


async def _parse_json(parsing: Awaitable[Any]) -> Any:
    try:
        return await parsing
    except (ValueError, RecursionError) as error:
        raise BadRequestBody(HttpResponseFactory.bad_request(INVALID_JSON_MESSAGE)) from error


_VALIDATE_ACTIVITY_JSON = Activity.__pydantic_validator__.validate_json


async def read_activity(
    request: HttpRequestProtocol, *, max_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> Activity:
    """The request body as an incoming :class:`Activity`: :func:`read_json_body` followed by
    :func:`parse_activity`, with the same checks and the same error responses.

    A well-formed body is validated straight from its bytes, which is much faster than
    parsing the JSON into Python objects first; anything else takes the two-step path, so
    bad input gets exactly the answer the two steps give.

    :raises BadRequestBody: with the error response to send.
    """
    raw = await _read_raw(request, max_bytes, False)
    if raw is None:
        return parse_activity(await _parse_json(request.json()))
    try:
        activity = _VALIDATE_ACTIVITY_JSON(raw)  # model_validate_json, minus its wrapper
    except Exception:  # the two-step path below gives the right answer (or error)
        pass
    else:
        conversation = activity.conversation
        if activity.type and conversation is not None and conversation.id:
            return activity
    return parse_activity(_loads(raw))


def _describe(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_input=False)[0]
    location = ".".join(str(part) for part in first.get("loc", ())) or "body"
    problem = f"{location}: {first.get('msg', 'invalid value')}"
    if len(problem) > _MAX_PROBLEM_LENGTH:
        problem = problem[: _MAX_PROBLEM_LENGTH - 3] + "..."
    return problem


def parse_model(data: Any, model: type[_M], *, what: str | None = None) -> _M:
    """``data`` validated as ``model``; a non-object or invalid body → ``400``.

    :raises BadRequestBody: naming the first problem (field path and reason), never echoing
        the submitted values.
    """
    if not isinstance(data, dict):
        raise BadRequestBody(HttpResponseFactory.bad_request(NOT_AN_OBJECT_MESSAGE))
    try:
        return model.model_validate(data)
    except ValidationError as error:
        label = what or model.__name__
        raise BadRequestBody(
            HttpResponseFactory.bad_request(f"Invalid {label}: {_describe(error)}")
        ) from error


def _blank(value: Any) -> bool:
    return value is None or value == ""


def parse_activity(data: Any) -> Activity:
    """``data`` validated as an incoming :class:`Activity`.

    A missing or empty ``type`` or ``conversation.id`` gives the ``400`` with
    ``{"error": "Activity must have type and conversation.id"}``; any other invalid field gives
    ``400 {"error": "Invalid activity: <field>: <reason>"}``.

    :raises BadRequestBody: with the error response to send.
    """
    if not isinstance(data, dict):
        raise BadRequestBody(HttpResponseFactory.bad_request(NOT_AN_OBJECT_MESSAGE))
    conversation = data.get("conversation")
    if (
        _blank(data.get("type"))
        or _blank(conversation)
        or (isinstance(conversation, dict) and _blank(conversation.get("id")))
    ):
        raise BadRequestBody(HttpResponseFactory.bad_request(ACTIVITY_REQUIRED_FIELDS_MESSAGE))
    return parse_model(data, Activity, what="activity")
