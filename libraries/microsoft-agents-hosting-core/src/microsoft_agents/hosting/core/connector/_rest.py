"""``RestEndpoint``: one REST client's view of the shared session (base URL + credentials).

Every REST call of the connector and user-token clients goes through :meth:`RestEndpoint.send`,
which builds the URL, adds the common headers (and those of the turn's
``HeaderPropagationContext`` providers), applies the :class:`RetryPolicy` and turns a
final non-2xx answer into ``aiohttp.ClientResponseError``. Tokens are never logged, and error
messages carry only a short excerpt of the answer with anything token-like blanked out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Union
from urllib.parse import quote

import aiohttp
from multidict import CIMultiDictProxy
from pydantic import BaseModel
from yarl import URL

from ..header_propagation._context import PROPAGATED, add_propagated_headers
from ..telemetry import span, tracing_enabled
from ._session import RetryPolicy, SharedSession, get_product_info

__all__ = [
    "RestEndpoint",
    "RestReply",
    "SessionArg",
    "TokenArg",
    "TokenSource",
    "dump_model",
    "encode_model",
    "require_args",
]

logger = logging.getLogger("microsoft_agents.hosting.core.connector")

TokenSource = Callable[[], Awaitable[str]]
"""An async callable returning the bearer token; awaited on first use only."""
TokenArg = Union[str, TokenSource, None]
SessionArg = Union[aiohttp.ClientSession, SharedSession, None]

_EXCERPT_LIMIT = 200
_SAFE_PATH_CHARS = "!$&'()*+,;=:@-._~"
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
_TOKEN_FIELD = re.compile(
    r'(?i)("(?:access_?token|token|refresh_?token|id_?token|client_?secret)"\s*:\s*")[^"]*"'
)


# The characters quote() leaves alone with _SAFE_PATH_CHARS: a segment made of them only
# is its own quoted form.
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_.~!$&'()*+,;=:@-]+")


# The fixed segments of the REST paths, known plain: no pattern match needed for them.
_FIXED_SEGMENTS = frozenset(
    {"v3", "conversations", "activities", "members", "pagedmembers", "attachments", "teams"}
)


def _quote_segment(segment: str) -> str:
    if segment in _FIXED_SEGMENTS or _PLAIN_SEGMENT.fullmatch(segment):
        return segment
    return quote(segment, safe=_SAFE_PATH_CHARS)


_DEFAULT_RETRY = RetryPolicy()  # frozen: one instance serves every endpoint
_JOINPATH_SPECIAL = frozenset({"", ".", ".."})  # joinpath drops or resolves these


def _url_prefix(base: URL) -> str | None:
    """The text that joined path segments can be appended to, when it parses back to ``base``.

    ``None`` for a base that normalises differently as text (an explicit default port, a
    query or fragment...): those take ``URL.joinpath``.
    """
    if base.query_string or base.fragment or not base.raw_path.endswith("/"):
        return None
    text = str(base)
    again = URL(text, encoded=True)
    if again.raw_authority != base.raw_authority or again.raw_path != base.raw_path:
        return None
    return text


_PARSED_BASES: dict[str, tuple[URL, str | None]] = {}
_PARSED_BASES_LIMIT = 256


def _parsed_base(base_url: str) -> tuple[URL, str | None]:
    """The parsed base URL and its :func:`_url_prefix`, remembered for the few service URLs
    a server talks to (a connector client is made per turn)."""
    found = _PARSED_BASES.get(base_url)
    if found is None:
        base = URL(base_url)
        if not base.absolute:
            raise ValueError(f"the endpoint URL must be absolute, got {base_url!r}")
        found = (base, _url_prefix(base))
        if len(_PARSED_BASES) < _PARSED_BASES_LIMIT:
            _PARSED_BASES[base_url] = found
    return found


def dump_model(model: BaseModel, *, exclude_none: bool = False) -> Any:
    """The JSON wire form of ``model``: by alias, unset fields left out."""
    return model.model_dump(
        mode="json", by_alias=True, exclude_unset=True, exclude_none=exclude_none
    )


def encode_model(model: BaseModel, *, exclude_none: bool = False) -> bytes:
    """``model``'s wire form as JSON bytes: what :meth:`RestEndpoint.send` makes of
    ``body=dump_model(model, exclude_none=...)``.

    Pydantic writes the JSON directly, which takes about half the time of building the
    Python form first. Its text matches ``json.dumps`` output except that it leaves
    non-ASCII characters unescaped; such documents therefore take the ``json.dumps`` path.
    """
    data: bytes = type(model).__pydantic_serializer__.to_json(
        model, by_alias=True, exclude_unset=True, exclude_none=exclude_none
    )
    if data.isascii():
        return data
    return _encode_json(dump_model(model, exclude_none=exclude_none))


def _encode_json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def require_args(**values: Any) -> None:
    """``ValueError`` naming every argument that is ``None`` or empty."""
    missing = [name for name, value in values.items() if value is None or value == ""]
    if missing:
        raise ValueError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required")


def redact(text: str) -> str:
    """``text`` with JWTs, bearer credentials and token-valued JSON fields blanked out."""
    text = _JWT.sub("<redacted>", text)
    text = _BEARER.sub(r"\1 <redacted>", text)
    return _TOKEN_FIELD.sub(r'\1<redacted>"', text)


def excerpt(body: bytes, limit: int = _EXCERPT_LIMIT) -> str:
    """A short, single-line, token-free excerpt of a response body."""
    text = " ".join(body[: limit * 4].decode("utf-8", errors="replace").split())
    text = redact(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class RestReply:
    """A fully read HTTP answer."""

    method: str
    url: URL
    status: int
    reason: str
    headers: CIMultiDictProxy[str]
    body: bytes
    request_info: aiohttp.RequestInfo
    history: tuple[aiohttp.ClientResponse, ...]

    @property
    def ok(self) -> bool:
        return 200 <= self.status <= 299

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The parsed JSON body, ``None`` when the body is empty."""
        if not self.body.strip():
            return None
        return json.loads(self.body)

    def error(self, message: str | None = None) -> aiohttp.ClientResponseError:
        """The ``ClientResponseError`` for this answer.

        The default message names the method, the path (never the query, which may carry
        magic codes), the status and a short redacted excerpt of the body.
        """
        if message is None:
            message = f"{self.method} {self.url.path} failed with HTTP {self.status}"
            if self.reason:
                message += f" {self.reason}"
            snippet = excerpt(self.body)
            if snippet:
                message += f": {snippet}"
        return aiohttp.ClientResponseError(
            self.request_info,
            self.history,
            status=self.status,
            message=message,
            headers=self.headers,
        )


class RestEndpoint:
    """A base URL and a credential over a :class:`SharedSession`.

    ``token`` is a string (used as is; a bearer header is sent only when it is longer than one
    character) or an async callable returning one, awaited once on the first request. Closing
    an endpoint closes the session only when the endpoint created that session itself.
    """

    def __init__(
        self,
        base_url: str,
        token: TokenArg,
        *,
        session: SessionArg = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        if not base_url:
            raise ValueError("a REST client needs an endpoint URL")
        if not base_url.endswith("/"):
            base_url += "/"
        self._base_url = base_url
        self._base, self._prefix = _parsed_base(base_url)
        if isinstance(session, SharedSession):
            self._shared, self._owns_shared = session, False
        elif session is not None:
            self._shared, self._owns_shared = SharedSession(session), False
        else:
            self._shared, self._owns_shared = SharedSession(), True
        self._token: str | None
        self._token_source: TokenSource | None
        if token is None or isinstance(token, str):
            self._token, self._token_source = token or "", None
        else:
            self._token, self._token_source = None, token
        self._token_lock: asyncio.Lock | None = None  # made when a token source is awaited
        self._retry = retry_policy or _DEFAULT_RETRY

    @property
    def base_uri(self) -> str:
        """The base URL, always ending with ``/``."""
        return self._base_url

    @property
    def shared_session(self) -> SharedSession:
        return self._shared

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._retry

    def url(self, *segments: str) -> URL:
        """The absolute URL of ``segments`` below the base URL, each segment percent-encoded."""
        encoded = [_quote_segment(str(segment)) for segment in segments]
        prefix = self._prefix
        if prefix is not None and not _JOINPATH_SPECIAL.intersection(encoded):
            # The same URL as joinpath gives, from one string: several times cheaper.
            return URL(prefix + "/".join(encoded), encoded=True)
        return self._base.joinpath(*encoded, encoded=True)

    async def token(self) -> str:
        """The bearer token, resolved (once) from the token source when there is one."""
        if self._token is not None:
            return self._token
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            if self._token is None:
                assert self._token_source is not None
                self._token = await self._token_source()
        return self._token

    async def headers(self) -> dict[str, str]:
        return self._headers_with(await self.token())

    @staticmethod
    def _headers_with(token: str) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": get_product_info(),
        }
        if token and len(token) > 1:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    async def send(
        self,
        method: str,
        target: URL | str,
        *,
        params: Mapping[str, str | None] | None = None,
        body: Any = None,
        accept: Collection[int] = (),
        verbatim_error: bool = False,
        encoded_body: bytes | None = None,
    ) -> RestReply:
        """Send a request with retries; return the answer.

        ``target`` is a URL from :meth:`url` or an absolute URL string. ``None`` query values
        are left out. ``body`` is JSON-encoded when not ``None``; ``encoded_body`` is JSON
        already encoded (see :func:`encode_model`) and sent as is. Answers outside 2xx raise
        ``aiohttp.ClientResponseError`` unless their status is in ``accept``; its message is
        the whole answer text with ``verbatim_error``, else a short redacted summary.
        Redirects are not followed (a bearer token must not travel to another host).
        """
        url = target if isinstance(target, URL) else URL(target)
        if params:
            query = {k: v for k, v in params.items() if v is not None}
            if query:
                url = url.update_query(query)
        if encoded_body is not None:
            data: bytes | None = encoded_body
        else:
            data = None if body is None else _encode_json(body)
        token = self._token
        headers = self._headers_with(token) if token is not None else await self.headers()
        providers = PROPAGATED.get()  # (the turn's HeaderPropagationContext providers)
        if providers:
            add_propagated_headers(headers, providers)
        if not tracing_enabled():  # the common case, without a span object alive per request
            return await self._send_with_retries(method, url, headers, data, accept, verbatim_error)
        attributes = {"http.request.method": method, "url.path": url.path}
        with span("agents.connector.request", **attributes):
            return await self._send_with_retries(method, url, headers, data, accept, verbatim_error)

    async def _send_with_retries(
        self,
        method: str,
        url: URL,
        headers: dict[str, str],
        data: bytes | None,
        accept: Collection[int],
        verbatim_error: bool,
    ) -> RestReply:
        policy = self._retry
        attempt = 0
        while True:
            attempt += 1
            try:
                session = self._shared.get()
                async with session.request(
                    method, url, headers=headers, data=data, allow_redirects=False
                ) as response:
                    reply = RestReply(
                        method=method,
                        url=url,
                        status=response.status,
                        reason=response.reason or "",
                        headers=response.headers,
                        body=await response.read(),
                        request_info=response.request_info,
                        history=response.history,
                    )
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                if attempt >= policy.max_attempts or not policy.retries_error(method, error):
                    raise
                wait = policy.delay(attempt)
                logger.warning(
                    "%s %s failed (%s); retrying in %.2fs (attempt %d of %d)",
                    method, url.path, type(error).__name__, wait, attempt + 1,
                    policy.max_attempts,
                )  # fmt: skip
                await asyncio.sleep(wait)
                continue
            if logger.isEnabledFor(logging.DEBUG):  # (url.path decodes the path each time)
                logger.debug("%s %s -> %d", method, url.path, reply.status)
            if reply.ok or reply.status in accept:
                return reply
            if attempt >= policy.max_attempts or not policy.retries_status(reply.status):
                raise reply.error(reply.text() if verbatim_error else None)
            wait = policy.delay(attempt, reply.headers.get("Retry-After"))
            logger.warning(
                "%s %s answered HTTP %d; retrying in %.2fs (attempt %d of %d)",
                method, url.path, reply.status, wait, attempt + 1, policy.max_attempts,
            )  # fmt: skip
            await asyncio.sleep(wait)

    async def close(self) -> None:
        """Close the session if this endpoint created it; a shared session stays open."""
        if self._owns_shared:
            await self._shared.close()
