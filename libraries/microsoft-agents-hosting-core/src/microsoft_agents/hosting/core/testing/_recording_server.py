"""``RecordingServer``: the base of the loopback stand-ins for remote REST services.

A stand-in is a small aiohttp server on ``127.0.0.1`` (port chosen by the OS) that records
every request it receives and can be told to fail the next requests, to test retries.
Subclasses implement :meth:`RecordingServer.answer`.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from ._loopback_server import LoopbackServer

__all__ = ["Answer", "RecordedRequest", "RecordingServer"]


@dataclass
class RecordedRequest:
    """One request as the stand-in received it.

    ``path`` is percent-decoded, ``raw_path`` as sent; ``query`` holds the decoded query
    parameters; ``json`` is the parsed body (``None`` when the body is empty or not JSON);
    ``peer`` is the client's ``(host, port)``, which tells connections apart; ``status`` is
    the status the stand-in answered with.
    """

    method: str
    path: str
    raw_path: str
    query: dict[str, str]
    headers: CIMultiDictProxy[str]
    body: bytes
    json: Any
    peer: tuple[str, int] | None
    status: int = 0

    @property
    def segments(self) -> list[str]:
        """The decoded path segments (``/v3/conversations/a%2Fb`` → ``["v3", ...,"a/b"]``)."""
        raw = self.raw_path.strip("/")
        return [unquote(s) for s in raw.split("/")] if raw else []

    @property
    def authorization(self) -> str | None:
        return self.headers.get("Authorization")


@dataclass
class Answer:
    """What a stand-in answers: a status plus a JSON value, text or bytes."""

    status: int = 200
    json: Any = None
    text: str | None = None
    body: bytes | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> web.Response:
        if self.json is not None:
            return web.Response(
                status=self.status,
                body=json.dumps(self.json).encode("utf-8"),
                content_type="application/json",
                headers=self.headers,
            )
        if self.text is not None:
            return web.Response(
                status=self.status,
                text=self.text,
                content_type=self.content_type or "text/plain",
                headers=self.headers,
            )
        return web.Response(
            status=self.status,
            body=self.body or b"",
            content_type=self.content_type if self.body else None,
            headers=self.headers,
        )


class RecordingServer(LoopbackServer):
    """A loopback REST service that records requests; use as an async context manager.

    ``expected_token``: when set, requests without ``Authorization: Bearer <expected_token>``
    are answered ``401``. :meth:`fail_next` queues failures that take precedence over normal
    answers. :meth:`stub` fixes the answer for one method and decoded path.
    """

    _app_options = {"client_max_size": 64 * 1024 * 1024}

    def __init__(self, *, host: str = "127.0.0.1", expected_token: str | None = None) -> None:
        super().__init__(host=host)
        self.expected_token = expected_token
        self.requests: list[RecordedRequest] = []
        self._failures: deque[Answer] = deque()
        self._stubs: dict[tuple[str, str], Answer] = {}

    # -- lifecycle -----------------------------------------------------------------------------

    def _add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{tail:.*}", self._handle)

    @property
    def url(self) -> str:
        """The base URL, ending with ``/`` (``RuntimeError`` before :meth:`start`)."""
        return super().url + "/"

    # -- test controls ---------------------------------------------------------------------------

    def fail_next(
        self,
        count: int = 1,
        status: int = 503,
        *,
        headers: dict[str, str] | None = None,
        json: Any = None,
        text: str | None = None,
    ) -> None:
        """Answer the next ``count`` requests (any route) with ``status``."""
        if json is None and text is None:
            json = {"error": {"code": "InjectedFailure", "message": f"HTTP {status}"}}
        for _ in range(count):
            self._failures.append(
                Answer(status=status, json=json, text=text, headers=dict(headers or {}))
            )

    def stub(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        json: Any = None,
        text: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Always answer ``method path`` (decoded, leading ``/``) with this answer."""
        key = (method.upper(), "/" + path.lstrip("/"))
        self._stubs[key] = Answer(status=status, json=json, text=text, headers=dict(headers or {}))

    def clear(self) -> None:
        """Forget recorded requests and queued failures."""
        self.requests.clear()
        self._failures.clear()

    @property
    def last_request(self) -> RecordedRequest:
        if not self.requests:
            raise AssertionError(f"{type(self).__name__} received no request")
        return self.requests[-1]

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """The recorded requests with this method and decoded path."""
        wanted = "/" + path.lstrip("/")
        return [r for r in self.requests if r.method == method.upper() and r.path == wanted]

    @property
    def peers(self) -> set[tuple[str, int]]:
        """The distinct client ``(host, port)`` pairs, i.e. the TCP connections used."""
        return {r.peer for r in self.requests if r.peer is not None}

    # -- serving --------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        parsed: Any = None
        if body.strip():
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        peer = request.transport.get_extra_info("peername") if request.transport else None
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            raw_path=request.rel_url.raw_path,
            query=dict(request.query),
            headers=CIMultiDictProxy(CIMultiDict(request.headers)),
            body=body,
            json=parsed,
            peer=tuple(peer[:2]) if peer else None,
        )
        self.requests.append(record)
        answer = self._answer_for(record)
        record.status = answer.status
        return answer.response()

    def _answer_for(self, record: RecordedRequest) -> Answer:
        if self._failures:
            return self._failures.popleft()
        expected = self.expected_token
        if expected is not None and record.authorization != f"Bearer {expected}":
            return Answer(401, json={"message": "Authorization has been denied"})
        stub = self._stubs.get((record.method, record.path))
        if stub is not None:
            return stub
        try:
            answer = self.answer(record)
        except Exception as error:  # a stand-in bug must show up as a failing request
            return Answer(500, json={"error": {"code": "StandInError", "message": repr(error)}})
        return answer if answer is not None else not_found(record)

    def answer(self, request: RecordedRequest) -> Answer | None:
        """The answer to ``request``; ``None`` gives ``404``. Overridden by the stand-ins."""
        return None


def not_found(record: RecordedRequest) -> Answer:
    return Answer(
        404,
        json={"error": {"code": "NotFound", "message": f"{record.method} {record.path}"}},
    )
