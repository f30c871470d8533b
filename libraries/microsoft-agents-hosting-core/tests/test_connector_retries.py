"""Retries of the REST clients: 429/5xx with backoff and Retry-After, 4xx final, attempts capped."""

from __future__ import annotations

import asyncio
import email.utils
import socket
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core.connector import ConnectorClient, RetryPolicy
from microsoft_agents.hosting.core.connector._session import parse_retry_after
from microsoft_agents.hosting.core.testing._channel_service import ChannelServiceStandIn

FAST = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01)


@pytest.fixture
async def channel() -> AsyncIterator[ChannelServiceStandIn]:
    async with ChannelServiceStandIn() as service:
        yield service


def message() -> Activity:
    return Activity(type="message", text="hi")


# -- the policy itself ---------------------------------------------------------------------------


def test_parse_retry_after_seconds_and_dates() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(" 1.5 ", now) == 1.5
    assert parse_retry_after("-3", now) == 0.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now) == pytest.approx(30.0)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(past, now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_grows_exponentially_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=False)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_jitter_stays_within_the_upper_half() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
    delays = [policy.delay(3) for _ in range(200)]
    assert all(2.0 <= d <= 4.0 for d in delays)
    assert len(set(delays)) > 1


def test_retry_after_replaces_backoff_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0, jitter=False)
    assert policy.delay(1, "3") == 3.0
    assert policy.delay(1, "3600") == 5.0
    assert policy.delay(2, "garbage") == 2.0


def test_which_statuses_are_retried() -> None:
    policy = RetryPolicy()
    assert [s for s in (400, 401, 403, 404, 409, 412, 429) if policy.retries_status(s)] == [429]
    assert [s for s in (500, 501, 502, 503, 504, 505) if policy.retries_status(s)] == [
        500,
        502,
        503,
        504,
    ]


def test_policy_validation_and_mapping() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(max_delay=-1)
    assert RetryPolicy.from_value({"MAX_ATTEMPTS": 2, "max_delay": 1}) == RetryPolicy(
        max_attempts=2, max_delay=1
    )
    with pytest.raises(ValueError, match="unknown retry option"):
        RetryPolicy.from_value({"attempts": 2})
    assert RetryPolicy.from_value(None) == RetryPolicy()


def test_connection_errors_are_retried_only_when_safe() -> None:
    policy = RetryPolicy()
    reset = aiohttp.ServerDisconnectedError()
    assert policy.retries_error("GET", reset)
    assert policy.retries_error("PUT", reset)
    assert policy.retries_error("DELETE", reset)
    assert not policy.retries_error("POST", reset)
    assert policy.retries_error("POST", aiohttp.ClientConnectorError(_key(), OSError(111, "x")))
    assert not policy.retries_error("GET", aiohttp.ClientSSLError(_key(), OSError(1, "tls")))


def _key() -> aiohttp.client_reqrep.ConnectionKey:
    return aiohttp.client_reqrep.ConnectionKey("h", 443, True, True, None, None, None)


# -- over HTTP ------------------------------------------------------------------------------------


async def test_503_is_retried_until_success(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(2, 503)
    async with ConnectorClient(channel.url, "tok", retry_policy=FAST) as client:
        response = await client.conversations.send_to_conversation("c", message())
    assert [r.status for r in channel.requests] == [503, 503, 200]
    assert response.id
    assert len(channel.activities("c")) == 1
    # Each attempt is a complete request with the same body and credentials.
    assert {r.authorization for r in channel.requests} == {"Bearer tok"}
    assert all(r.json == {"type": "message", "text": "hi"} for r in channel.requests)


async def test_429_honours_retry_after(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(1, 429, headers={"Retry-After": "1"})
    policy = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=5.0)
    async with ConnectorClient(channel.url, "tok", retry_policy=policy) as client:
        started = time.monotonic()
        await client.conversations.get_conversation_members("c")
        elapsed = time.monotonic() - started
    assert [r.status for r in channel.requests] == [429, 200]
    assert elapsed >= 0.95


async def test_retry_after_is_capped_by_max_delay(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(1, 429, headers={"Retry-After": "3600"})
    policy = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.2)
    async with ConnectorClient(channel.url, "tok", retry_policy=policy) as client:
        started = time.monotonic()
        await client.conversations.get_conversation_members("c")
        elapsed = time.monotonic() - started
    assert [r.status for r in channel.requests] == [429, 200]
    assert 0.18 <= elapsed < 3


async def test_400_is_not_retried(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(1, 400, json={"error": {"code": "BadArgument", "message": "nope"}})
    async with ConnectorClient(channel.url, "tok", retry_policy=FAST) as client:
        with pytest.raises(aiohttp.ClientResponseError) as caught:
            await client.conversations.send_to_conversation("c", message())
    assert caught.value.status == 400
    assert "BadArgument" in caught.value.message
    assert len(channel.requests) == 1


async def test_attempts_are_capped(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(10, 503)
    policy = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01)
    async with ConnectorClient(channel.url, "tok", retry_policy=policy) as client:
        with pytest.raises(aiohttp.ClientResponseError) as caught:
            await client.conversations.update_activity("c", "a", message())
    assert caught.value.status == 503
    assert "503" in caught.value.message
    assert len(channel.requests) == 3


async def test_retries_can_be_turned_off(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(1, 429, headers={"Retry-After": "0"})
    async with ConnectorClient(channel.url, "t", retry_policy=RetryPolicy.disabled()) as client:
        with pytest.raises(aiohttp.ClientResponseError) as caught:
            await client.conversations.get_conversation_members("c")
    assert caught.value.status == 429
    assert len(channel.requests) == 1


async def test_default_policy_retries(channel: ChannelServiceStandIn) -> None:
    channel.fail_next(1, 502, headers={"Retry-After": "0"})
    async with ConnectorClient(channel.url, "t") as client:
        await client.conversations.get_conversation_members("c")
    assert [r.status for r in channel.requests] == [502, 200]


async def test_connection_refused_is_retried_then_raised() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = RetryPolicy(max_attempts=3, base_delay=0.05, max_delay=0.05, jitter=False)
    async with ConnectorClient(f"http://127.0.0.1:{port}/", "t", retry_policy=policy) as client:
        started = time.monotonic()
        with pytest.raises(aiohttp.ClientConnectorError):
            await client.conversations.send_to_conversation("c", message())
        elapsed = time.monotonic() - started
    assert elapsed >= 0.1  # two waits of 0.05 s: three attempts were made


async def _hang_up_server() -> tuple[asyncio.Server, list[int]]:
    """A server that reads each request and closes the connection without answering."""
    seen: list[int] = []

    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        seen.append(1)
        writer.close()

    server = await asyncio.start_server(on_connection, "127.0.0.1", 0)
    return server, seen


async def _requests_until_failure(method: str, max_attempts: int) -> int:
    server, seen = await _hang_up_server()
    port = server.sockets[0].getsockname()[1]
    policy = RetryPolicy(max_attempts=max_attempts, base_delay=0.001, max_delay=0.01)
    try:
        async with ConnectorClient(f"http://127.0.0.1:{port}/", "t", retry_policy=policy) as client:
            conversations = client.conversations
            call = {
                "GET": lambda: conversations.get_conversation_members("c"),
                "DELETE": lambda: conversations.delete_activity("c", "a"),
                "POST": lambda: conversations.send_to_conversation("c", message()),
            }[method]
            with pytest.raises(aiohttp.ServerDisconnectedError):
                await call()
    finally:
        server.close()
        await server.wait_closed()
    return len(seen)


@pytest.mark.parametrize(("method", "retried"), [("GET", True), ("DELETE", True), ("POST", False)])
async def test_dropped_connections_are_retried_for_idempotent_methods_only(
    method: str, retried: bool
) -> None:
    # aiohttp itself may resend an idempotent request once; compare with a single attempt.
    single = await _requests_until_failure(method, 1)
    triple = await _requests_until_failure(method, 3)
    assert single >= 1
    assert triple == (3 * single if retried else single)
