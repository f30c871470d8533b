"""``HttpAdapterBase``: the messaging endpoint (``POST /api/messages``) for every web host.

``process_request`` takes a framework-neutral request and returns a framework-neutral
response; web hosts (aiohttp, FastAPI, ...) only translate to and from their framework. All
input checking happens here, before any agent code runs: bad input gets a 4xx with a short
JSON ``{"error": ...}`` body, never a 500.
"""

from __future__ import annotations

import itertools
import logging
import random
import sys
import traceback
import uuid
from typing import Any

from yarl import URL

from microsoft_agents.activity import Activity

from ._channel_service_adapter import ChannelServiceAdapter
from ._host_validator import OutboundHostValidator
from ._middleware import Agent
from ._turn_context import TurnContext
from ._wire import _buffers_replies, dump_json_value, encode_replies
from .authorization import (
    AuthenticationConstants,
    ClaimsIdentity,
    Connections,
    validate_service_url_claim,
)
from .connector import ChannelServiceClientFactoryBase, RestChannelServiceClientFactory
from .errors import error_resources
from .http import (
    DEFAULT_MAX_BODY_BYTES,
    BadRequestBody,
    HttpRequestProtocol,
    HttpResponse,
    HttpResponseFactory,
)
from .http._body import read_activity
from .http._gc import tune_after_first_request

__all__ = ["HttpAdapterBase", "default_on_turn_error"]

logger = logging.getLogger(__name__)

SERVICE_URL_NOT_ALLOWED = "Service URL is not allowed by the host validator."
SERVICE_URL_MISMATCH = "The activity's serviceUrl does not match the token's serviceurl claim."
SERVICE_URL_REQUIRED = "Activity must have a serviceUrl that is an absolute http(s) URL"
_ERROR_TRACE_TYPE = "https://www.botframework.com/schemas/error"


async def default_on_turn_error(context: TurnContext, error: Exception) -> None:
    """Print the traceback, tell the user and leave a trace for the emulator."""
    traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    text = f"Exception caught : {error}"
    await context.send_activity(text)
    await context.send_trace_activity("OnTurnError Trace", text, _ERROR_TRACE_TYPE, "TurnError")


# Request ids: a random UUID-shaped prefix per process and a counter, so ids are unique in
# the process and differ between processes. A correlation id, not a secret.
_REQUEST_ID_PREFIX = str(uuid.uuid4())[:24]  # "xxxxxxxx-xxxx-4xxx-yxxx-"
_request_counter = itertools.count(random.getrandbits(40))


def _new_request_id() -> str:
    """A UUID-shaped id, unique in this process: far cheaper than ``str(uuid.uuid4())``."""
    return f"{_REQUEST_ID_PREFIX}{next(_request_counter) & 0xFFFFFFFFFFFF:012x}"


def _host_of(url: str) -> str | None:
    try:
        return URL(url.strip()).host
    except (ValueError, TypeError):
        return None


_WEB_URLS: dict[str, bool] = {}  # the answers for the few service URLs a server sees
_WEB_URLS_LIMIT = 256


def _is_web_url(url: str) -> bool:
    known = _WEB_URLS.get(url)
    if known is not None:
        return known
    try:
        parsed = URL(url.strip())
    except (ValueError, TypeError):
        answer = False
    else:
        answer = parsed.absolute and parsed.scheme in ("http", "https") and bool(parsed.host)
    if len(_WEB_URLS) < _WEB_URLS_LIMIT:
        _WEB_URLS[url] = answer
    return answer


class HttpAdapterBase(ChannelServiceAdapter):
    """The shared logic of the web hosts' ``CloudAdapter``.

    ``HttpAdapterBase(*, connection_manager=None, channel_service_client_factory=None,
    channel_service_client_factory_options=None, host_validator=None,
    max_body_bytes=262144)``: REST clients come from the given factory, else from a
    ``RestChannelServiceClientFactory(connection_manager, **options)``. With neither a
    manager nor a factory the adapter runs in anonymous mode: replies are sent without
    credentials (for local development and tests). ``host_validator`` restricts the
    ``serviceUrl`` values the agent answers to; ``max_body_bytes`` (``None``: no limit) caps
    request bodies.
    """

    def __init__(
        self,
        *,
        connection_manager: Connections | None = None,
        channel_service_client_factory: ChannelServiceClientFactoryBase | None = None,
        channel_service_client_factory_options: dict[str, Any] | None = None,
        host_validator: OutboundHostValidator | None = None,
        max_body_bytes: int | None = DEFAULT_MAX_BODY_BYTES,
    ) -> None:
        options = dict(channel_service_client_factory_options or {})
        factory = channel_service_client_factory
        if factory is not None:
            if options:
                raise ValueError(
                    "channel_service_client_factory_options apply only to the factory the "
                    "adapter builds itself; configure the given channel_service_client_factory "
                    "directly instead"
                )
        else:
            factory = RestChannelServiceClientFactory(connection_manager, **options)
        super().__init__(factory)
        if max_body_bytes is not None and max_body_bytes < 1:
            raise ValueError("max_body_bytes must be a positive number of bytes (or None)")
        self._owns_factory = channel_service_client_factory is None
        self.connection_manager = connection_manager
        self.anonymous = connection_manager is None and channel_service_client_factory is None
        self.host_validator = (
            host_validator if host_validator is not None else (OutboundHostValidator())
        )
        self.max_body_bytes = max_body_bytes
        self.on_turn_error = default_on_turn_error

    def _use_anonymous(self, claims_identity: ClaimsIdentity) -> bool:
        # Anonymous mode has no credentials at all: every reply goes without a token, even
        # to a caller whose own token was validated.
        return self.anonymous or super()._use_anonymous(claims_identity)

    async def close(self) -> None:
        """Release the REST clients' shared connections, when the adapter built the factory.

        A factory handed in stays open: it belongs to the caller.
        """
        if self._owns_factory:
            close = getattr(self.channel_service_client_factory, "close", None)
            if close is not None:
                await close()

    async def process_request(self, request: HttpRequestProtocol, agent: Agent) -> HttpResponse:
        """Answer one request to the messaging endpoint.

        ``202`` (empty) once an ordinary activity has been processed; ``200`` with
        ``{"activities": [...]}`` for ``expectReplies``; the agent's invoke response (``501``
        without one) for ``invoke``. Errors: ``405`` for methods other than POST, ``415`` for
        a non-JSON body, ``413`` for a body over ``max_body_bytes``, ``400`` for invalid JSON
        or an invalid activity, ``401`` when the ``serviceUrl`` is not allowed or does not
        match the caller's token, or when the turn raises ``PermissionError``.

        :raises TypeError: when ``request`` or ``agent`` is ``None``.
        """
        if request is None:
            raise TypeError(str(error_resources.RequestRequired))
        if agent is None:
            raise TypeError(str(error_resources.AgentRequired))
        if str(request.method).upper() != "POST":
            return HttpResponseFactory.method_not_allowed(allow="POST")
        try:
            activity = await self._read_activity(request)
        except BadRequestBody as bad:
            return bad.response
        claims = request.get_claims_identity() or ClaimsIdentity()
        denied = self._check_service_url(claims, activity)
        if denied is not None:
            return denied
        # (Set as pydantic's own assignment would: the field is never validated or dumped.)
        activity.__dict__["request_id"] = _new_request_id()
        activity.__pydantic_fields_set__.add("request_id")
        buffered = _buffers_replies(activity)
        answer: HttpResponse | None = None
        result = None
        try:
            if buffered and self._renders_replies_itself():
                # The replies go straight from the models to the answer's bytes.
                context = await self._run_incoming(claims, activity, agent.on_turn)
                answer = HttpResponse(200, encode_replies(context.buffered_reply_activities))
            else:
                result = await self.process_activity(claims, activity, agent.on_turn)
        except PermissionError:
            return HttpResponseFactory.unauthorized()
        if tune_after_first_request.pending:
            tune_after_first_request()
        if answer is not None:
            return answer
        if result is None:
            return HttpResponseFactory.accepted()
        status = result.status if result.status is not None else 200
        if buffered:
            # The buffered replies are plain JSON values already (see ``_turn_result``).
            return HttpResponseFactory.json(result.body, status)
        return HttpResponseFactory.json(dump_json_value(result.body), status)

    def _renders_replies_itself(self) -> bool:
        """Whether the buffered replies may skip :meth:`process_activity`'s result object
        (neither it nor ``_turn_result`` is overridden)."""
        cls = type(self)
        return (
            cls.process_activity is ChannelServiceAdapter.process_activity
            and cls._turn_result is ChannelServiceAdapter._turn_result
        )

    async def _read_activity(self, request: HttpRequestProtocol) -> Activity:
        limit = self.max_body_bytes if self.max_body_bytes is not None else sys.maxsize
        activity = await read_activity(request, max_bytes=limit)
        needs_channel = not _buffers_replies(activity)
        if needs_channel and not (activity.service_url and _is_web_url(activity.service_url)):
            raise BadRequestBody(HttpResponseFactory.bad_request(SERVICE_URL_REQUIRED))
        return activity

    def _check_service_url(self, claims: ClaimsIdentity, activity: Activity) -> HttpResponse | None:
        """``401`` when the agent must not answer at the activity's ``serviceUrl``."""
        service_url = activity.service_url
        validator = self.host_validator
        if validator.enabled and service_url and not validator.is_allowed(service_url):
            return HttpResponseFactory.unauthorized(SERVICE_URL_NOT_ALLOWED)
        try:
            validate_service_url_claim(claims, service_url)
        except PermissionError:
            return HttpResponseFactory.unauthorized(SERVICE_URL_MISMATCH)
        claimed = claims.get_claim_value(AuthenticationConstants.SERVICE_URL_CLAIM)
        if (
            isinstance(claimed, str)
            and claimed
            and service_url
            and (_host_of(claimed) or "").lower() != (_host_of(service_url) or "").lower()
        ):
            if validator.enabled:
                return HttpResponseFactory.unauthorized(SERVICE_URL_NOT_ALLOWED)
            logger.warning("the activity's serviceUrl host is not the token's serviceurl host")
        return None
