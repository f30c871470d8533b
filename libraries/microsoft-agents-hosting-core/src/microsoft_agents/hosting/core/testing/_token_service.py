"""``TokenServiceStandIn``: a loopback user-token service for tests over real HTTP.

It implements the ``api/usertoken``, ``api/botsignin`` and ``api/agentsignin`` routes with an
in-memory token store that tests seed, and records every request::

    async with TokenServiceStandIn() as tokens:
        tokens.add_token("user-1", "graph", "user-token")
        tokens.add_magic_code("user-2", "graph", "123456", "token-after-sign-in")
        client = UserTokenClient(tokens.url, "agent-token", app_id="app")
        assert (await client.get_user_token("user-1", "graph", "msteams")).token == "user-token"
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ._recording_server import Answer, RecordedRequest, RecordingServer

__all__ = ["TokenServiceStandIn"]

_EXPIRATION = "2099-01-01T00:00:00Z"


@dataclass
class _Code:
    user_id: str
    connection_name: str
    token: str
    channel_id: str | None


def _decode_state(state: str | None) -> dict[str, Any] | None:
    if not state:
        return None
    try:
        decoded = json.loads(base64.b64decode(state, validate=True))
    except (binascii.Error, ValueError):
        return None
    return decoded if isinstance(decoded, dict) else None


class TokenServiceStandIn(RecordingServer):
    """A loopback user-token service (see the module documentation).

    Seed it with :meth:`add_token`, :meth:`add_magic_code`, :meth:`add_exchangeable_token` and
    :meth:`add_connection`. A token stored without ``channel_id`` serves every channel.
    ``exchange_failure`` (``(status, text)``) makes every exchange fail with that answer, e.g.
    ``(400, "Consent Required")``. ``states`` collects the decoded sign-in states received, and
    ``sign_outs`` the ``(user, connection or None, channel or None)`` of each sign-out.
    """

    def __init__(self, *, host: str = "127.0.0.1", expected_token: str | None = None) -> None:
        super().__init__(host=host, expected_token=expected_token)
        self.tokens: dict[tuple[str, str, str | None], str] = {}
        self.connections: dict[str, str | None] = {}
        self.magic_codes: dict[str, _Code] = {}
        self.exchangeable: dict[tuple[str, str], str] = {}
        self.exchange_failure: tuple[int, str] | None = None
        self.states: list[dict[str, Any]] = []
        self.sign_outs: list[tuple[str, str | None, str | None]] = []
        self._ids = itertools.count(1)

    async def __aenter__(self) -> TokenServiceStandIn:
        await self.start()
        return self

    # -- seeding ----------------------------------------------------------------------------------

    def add_connection(self, name: str, display_name: str | None = None) -> None:
        """Make an OAuth connection known (it then shows in token statuses)."""
        self.connections[name] = display_name

    def add_token(
        self, user_id: str, connection_name: str, token: str, *, channel_id: str | None = None
    ) -> None:
        """Store a token of ``user_id`` for ``connection_name``."""
        self.connections.setdefault(connection_name, None)
        self.tokens[(user_id, connection_name, channel_id)] = token

    def add_magic_code(
        self,
        user_id: str,
        connection_name: str,
        code: str,
        token: str,
        *,
        channel_id: str | None = None,
    ) -> None:
        """A sign-in that completes when ``code`` is presented: it then stores ``token``."""
        self.connections.setdefault(connection_name, None)
        self.magic_codes[code] = _Code(user_id, connection_name, token, channel_id)

    def add_exchangeable_token(self, connection_name: str, sso_token: str, token: str) -> None:
        """Exchanging ``sso_token`` for ``connection_name`` gives (and stores) ``token``."""
        self.connections.setdefault(connection_name, None)
        self.exchangeable[(connection_name, sso_token)] = token

    def token_of(
        self, user_id: str, connection_name: str, channel_id: str | None = None
    ) -> str | None:
        """The stored token for this user, connection and channel (or any channel)."""
        return self.tokens.get((user_id, connection_name, channel_id)) or self.tokens.get(
            (user_id, connection_name, None)
        )

    # -- helpers ----------------------------------------------------------------------------------

    def _redeem(self, query: dict[str, str]) -> str | None:
        """The token for the query's user/connection/channel, redeeming a magic code first."""
        user, connection = query.get("userId", ""), query.get("connectionName", "")
        channel = query.get("channelId") or None
        code = query.get("code")
        if code:
            pending = self.magic_codes.get(code)
            if (
                pending is None
                or pending.user_id != user
                or pending.connection_name != connection
                or (pending.channel_id is not None and pending.channel_id != channel)
            ):
                return None
            del self.magic_codes[code]
            self.tokens[(user, connection, pending.channel_id)] = pending.token
            return pending.token
        return self.token_of(user, connection, channel)

    @staticmethod
    def _token_response(token: str, connection: str, channel: str | None) -> dict[str, Any]:
        response = {"connectionName": connection, "token": token, "expiration": _EXPIRATION}
        if channel:
            response["channelId"] = channel
        return response

    def _sign_in_resource(self, state: str | None) -> dict[str, Any]:
        decoded = _decode_state(state)
        if decoded is not None:
            self.states.append(decoded)
        connection = (decoded or {}).get("connectionName") or "connection"
        return {
            "signInLink": f"{self.url}sign-in?state={quote(state or '', safe='')}",
            "tokenExchangeResource": {
                "id": f"exchange-{next(self._ids)}",
                "uri": f"api://token-service/{connection}",
                "providerId": "stand-in",
            },
            "tokenPostResource": {"sasUrl": f"{self.url}post-token/{next(self._ids)}"},
        }

    @staticmethod
    def _missing(query: dict[str, str], *names: str) -> Answer | None:
        absent = [name for name in names if not query.get(name)]
        if absent:
            message = f"missing query parameter(s): {', '.join(absent)}"
            return Answer(400, json={"error": {"code": "BadArgument", "message": message}})
        return None

    # -- dispatch --------------------------------------------------------------------------------

    def answer(self, request: RecordedRequest) -> Answer | None:
        route = (request.method, "/".join(request.segments).lower())
        handler = {
            ("GET", "api/usertoken/gettoken"): self._get_token,
            ("GET", "api/usertoken/gettokenorsigninresource"): self._token_or_sign_in,
            ("GET", "api/botsignin/getsigninresource"): self._get_sign_in_resource,
            ("GET", "api/agentsignin/getsigninurl"): self._get_sign_in_url,
            ("DELETE", "api/usertoken/signout"): self._sign_out,
            ("GET", "api/usertoken/gettokenstatus"): self._token_status,
            ("POST", "api/usertoken/getaadtokens"): self._aad_tokens,
            ("POST", "api/usertoken/exchange"): self._exchange,
        }.get(route)
        return handler(request) if handler is not None else None

    def _get_token(self, request: RecordedRequest) -> Answer:
        query = request.query
        missing = self._missing(query, "userId", "connectionName")
        if missing is not None:
            return missing
        token = self._redeem(query)
        if token is None:
            return Answer(404)
        return Answer(
            json=self._token_response(token, query["connectionName"], query.get("channelId"))
        )

    def _token_or_sign_in(self, request: RecordedRequest) -> Answer:
        query = request.query
        missing = self._missing(query, "userId", "connectionName", "state")
        if missing is not None:
            return missing
        token = self._redeem(query)
        if token is not None:
            _decode_state_into(self.states, query.get("state"))
            response = self._token_response(token, query["connectionName"], query.get("channelId"))
            return Answer(json={"tokenResponse": response})
        return Answer(json={"signInResource": self._sign_in_resource(query.get("state"))})

    def _get_sign_in_resource(self, request: RecordedRequest) -> Answer:
        missing = self._missing(request.query, "state")
        return missing or Answer(json=self._sign_in_resource(request.query["state"]))

    def _get_sign_in_url(self, request: RecordedRequest) -> Answer:
        missing = self._missing(request.query, "state")
        if missing is not None:
            return missing
        return Answer(text=self._sign_in_resource(request.query["state"])["signInLink"])

    def _sign_out(self, request: RecordedRequest) -> Answer:
        query = request.query
        missing = self._missing(query, "userId")
        if missing is not None:
            return missing
        user, connection = query["userId"], query.get("connectionName") or None
        channel = query.get("channelId") or None
        self.sign_outs.append((user, connection, channel))
        for key in list(self.tokens):
            if key[0] == user and (connection is None or key[1] == connection):
                del self.tokens[key]
        return Answer(200)

    def _token_status(self, request: RecordedRequest) -> Answer:
        query = request.query
        missing = self._missing(query, "userId")
        if missing is not None:
            return missing
        include = {n.strip() for n in (query.get("include") or "").split(",") if n.strip()}
        statuses = []
        for name, display in self.connections.items():
            if include and name not in include:
                continue
            token = self.token_of(query["userId"], name, query.get("channelId"))
            status = {
                "connectionName": name,
                "hasToken": token is not None,
                "serviceProviderDisplayName": display or name,
            }
            if query.get("channelId"):
                status["channelId"] = query["channelId"]
            statuses.append(status)
        return Answer(json=statuses)

    def _aad_tokens(self, request: RecordedRequest) -> Answer:
        query = request.query
        missing = self._missing(query, "userId", "connectionName")
        if missing is not None:
            return missing
        connection = query["connectionName"]
        token = self.token_of(query["userId"], connection, query.get("channelId"))
        if token is None:
            return Answer(404)
        urls = (request.json or {}).get("resourceUrls") or []
        return Answer(
            json={
                url: self._token_response(f"{token}@{url}", connection, query.get("channelId"))
                for url in urls
            }
        )

    def _exchange(self, request: RecordedRequest) -> Answer:
        query = request.query
        missing = self._missing(query, "userId", "connectionName", "channelId")
        if missing is not None:
            return missing
        if self.exchange_failure is not None:
            status, text = self.exchange_failure
            return Answer(status, text=text)
        connection = query["connectionName"]
        offered = (request.json or {}).get("token")
        token = self.exchangeable.get((connection, offered or ""))
        if token is None:
            return Answer(
                400,
                json={"error": {"code": "ExchangeFailed", "message": "token not exchangeable"}},
            )
        self.tokens[(query["userId"], connection, None)] = token
        return Answer(json=self._token_response(token, connection, query["channelId"]))


def _decode_state_into(states: list[dict[str, Any]], state: str | None) -> None:
    decoded = _decode_state(state)
    if decoded is not None:
        states.append(decoded)
