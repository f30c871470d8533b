"""A loopback stand-in for a channel's connector service, for ``echo_bench.py``.

It answers ``POST /v3/conversations/{conversation}/activities/{activity}`` (and
``POST /v3/conversations/{conversation}/activities``) with ``200 {"id": "..."}`` and counts
the replies it receives. ``GET /stats`` returns the counters as JSON so the runner can check
that every request of the normal-delivery scenario produced exactly one delivered reply:
``{"replies": n, "echo_replies": n_with_echo_text, "bad": n_other_requests,
"connections": n_connections_accepted}`` (the last one shows whether the agent reuses its
connections to the connector).

It is a small HTTP/1.1 server written on ``asyncio`` protocols (keep-alive, Content-Length
and chunked request bodies), standard library only, so it costs little CPU on the core it
shares with the load generator. Run::

    python3 _connector_standin.py --port 9100 [--cpu 1]

It prints ``{"ready": true, "pid": ...}`` on stdout once it listens and stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import sys

REPLY_PATH = re.compile(rb"^/v3/conversations/[^/]+/activities(?:/[^/]+)?$")


class Counters:
    def __init__(self) -> None:
        self.replies = 0
        self.echo_replies = 0
        self.bad = 0
        self.connections = 0

    def as_json(self) -> bytes:
        return json.dumps(
            {
                "replies": self.replies,
                "echo_replies": self.echo_replies,
                "bad": self.bad,
                "connections": self.connections,
            }
        ).encode()


def response(status: str, body: bytes) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


class ConnectorProtocol(asyncio.Protocol):
    """One keep-alive connection; requests are parsed from a byte buffer."""

    def __init__(self, counters: Counters) -> None:
        self.counters = counters
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.counters.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            parsed = self.parse_one()
            if parsed is None:
                return
            method, path, body, close = parsed
            assert self.transport is not None
            self.transport.write(self.handle(method, path, body))
            if close:
                self.transport.close()
                return

    def parse_one(self) -> tuple[bytes, bytes, bytes, bool] | None:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(self.buffer[:end]).split(b"\r\n")
        method, path, _version = head[0].split(b" ", 2)
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        start = end + 4
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = bytearray()
            at = start
            while True:
                line_end = self.buffer.find(b"\r\n", at)
                if line_end < 0:
                    return None
                size = int(bytes(self.buffer[at:line_end]).split(b";")[0], 16)
                chunk_start = line_end + 2
                if len(self.buffer) < chunk_start + size + 2:
                    return None
                if size == 0:
                    trailer_end = self.buffer.find(b"\r\n\r\n", line_end)
                    if trailer_end < 0:
                        return None
                    consumed = trailer_end + 4
                    break
                body += self.buffer[chunk_start : chunk_start + size]
                at = chunk_start + size + 2
        else:
            length = int(headers.get(b"content-length", b"0"))
            if len(self.buffer) < start + length:
                return None
            body = self.buffer[start : start + length]
            consumed = start + length
        del self.buffer[:consumed]
        close = headers.get(b"connection", b"").lower() == b"close"
        return method, path, bytes(body), close

    def handle(self, method: bytes, path: bytes, body: bytes) -> bytes:
        counters = self.counters
        path = path.split(b"?", 1)[0]
        if method == b"POST" and REPLY_PATH.match(path):
            counters.replies += 1
            if b'"Echo: ' in body:
                counters.echo_replies += 1
            return response("200 OK", b'{"id":"reply-%d"}' % counters.replies)
        if method == b"GET" and path == b"/stats":
            return response("200 OK", counters.as_json())
        counters.bad += 1
        return response("404 Not Found", b'{"error":"not a connector route"}')


async def serve(port: int) -> None:
    counters = Counters()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: ConnectorProtocol(counters), "127.0.0.1", port, backlog=1024
    )
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(json.dumps({"ready": True, "pid": os.getpid()}), flush=True)
    try:
        await stop.wait()
    finally:
        server.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="Loopback connector stand-in.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cpu", type=int, help="pin this process to one CPU")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(serve(args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
