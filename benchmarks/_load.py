"""Load generator for ``echo_bench.py``: fixed concurrency, warm-up, then a measured window.

Each of ``--concurrency`` workers owns one keep-alive HTTP/1.1 connection to the agent and
sends message activities one after the other (a worker is one conversation). The client is
written on ``asyncio`` protocols with the standard library only, so that it costs far less
CPU per request than the server it drives; it shares its core with the connector stand-in.

Every response is checked:

* ``--scenario expect-replies`` (S1): the activity has ``"deliveryMode": "expectReplies"``;
  the answer must be ``200`` with ``Echo: <the text sent>`` in the JSON body.
* ``--scenario normal`` (S2): default delivery; the answer must be ``202``. The reply itself
  goes to the connector stand-in at ``--service-url``, which counts it.

Requests that complete inside the measured window count towards the throughput and the
latency percentiles. When ``--server-pid`` is given, the server's CPU time (user + system,
all threads, from ``/proc/<pid>/stat``) is read at both ends of the window. The result is one
JSON document on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
MAX_ERROR_SAMPLES = 5


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds used so far by every thread of ``pid``."""
    with open(f"/proc/{pid}/stat", "rb") as handle:
        stat = handle.read()
    fields = stat[stat.rindex(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def cpu_busy_seconds(cpu: int) -> float:
    """Seconds CPU ``cpu`` spent on anything but idle and I/O wait, from ``/proc/stat``."""
    prefix = f"cpu{cpu} ".encode()
    with open("/proc/stat", "rb") as handle:
        for line in handle:
            if line.startswith(prefix):
                fields = [int(value) for value in line.split()[1:]]
                # user nice system idle iowait irq softirq steal (guest is inside user)
                return (sum(fields[:8]) - fields[3] - fields[4]) / CLOCK_TICKS
    raise ValueError(f"cpu{cpu} not found in /proc/stat")


class HttpError(Exception):
    pass


class ClientConnection(asyncio.Protocol):
    """A keep-alive connection that waits for one response at a time."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.lost: Exception | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = exc or HttpError("the server closed the connection")
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(self.lost)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        try:
            parsed = self.parse()
        except Exception as error:  # malformed response
            waiter.set_exception(error)
            return
        if parsed is not None:
            waiter.set_result(parsed)

    def parse(self) -> tuple[int, bytes] | None:
        buffer = self.buffer
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(buffer[:end])
        status = int(head[9:12])
        lower = head.lower()
        start = end + 4
        at = lower.find(b"\r\ncontent-length:")
        if at >= 0:
            line_end = lower.find(b"\r\n", at + 2)
            length = int(head[at + 17 : line_end if line_end > 0 else None])
            if len(buffer) < start + length:
                return None
            body = bytes(buffer[start : start + length])
            del buffer[: start + length]
            return status, body
        if b"\r\ntransfer-encoding: chunked" in lower:
            body_parts: list[bytes] = []
            pos = start
            while True:
                line_end = buffer.find(b"\r\n", pos)
                if line_end < 0:
                    return None
                size = int(bytes(buffer[pos:line_end]).split(b";")[0], 16)
                if len(buffer) < line_end + 2 + size + 2:
                    return None
                if size == 0:
                    del buffer[: line_end + 4]
                    return status, b"".join(body_parts)
                body_parts.append(bytes(buffer[line_end + 2 : line_end + 2 + size]))
                pos = line_end + 2 + size + 2
        if status in (204, 304) or 100 <= status < 200:
            del buffer[:start]
            return status, b""
        raise HttpError(f"response without Content-Length: {head[:200]!r}")

    async def request(self, payload: bytes) -> tuple[int, bytes]:
        if self.lost is not None:
            raise self.lost
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(payload)
        return await self.waiter


class Load:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.expect_replies = args.scenario == "expect-replies"
        # Set by run() when the window opens and closes; a request counts when it completes
        # inside the window.
        self.window_start = float("inf")
        self.window_end = float("inf")
        self.stopping = False
        self.sent = 0
        self.completed_total = 0
        self.latencies: list[float] = []
        self.errors = 0
        self.error_samples: list[str] = []
        self.head = (
            f"POST {args.path} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n"
            "Content-Type: application/json\r\nContent-Length: "
        ).encode()
        delivery = ',"deliveryMode":"expectReplies"' if self.expect_replies else ""
        service_url = json.dumps(args.service_url)
        # One activity template; the id, the conversation and the text change per request.
        self.template = (
            '{"type":"message","id":"act-%d","timestamp":"2025-01-01T00:00:00.000Z",'
            '"channelId":"webchat","serviceUrl":' + service_url + ","
            '"from":{"id":"user-%d","name":"User %d"},'
            '"conversation":{"id":"conv-%d"},'
            '"recipient":{"id":"echo-agent","name":"Echo"},'
            '"locale":"en-US","textFormat":"plain","text":"hello %d"' + delivery + "}"
        )

    def build(self, number: int, worker: int) -> tuple[bytes, bytes]:
        body = (self.template % (number, worker, worker, worker, number)).encode()
        expected = b"Echo: hello %d" % number
        return self.head + str(len(body)).encode() + b"\r\n\r\n" + body, expected

    def fail(self, message: str) -> None:
        self.errors += 1
        if len(self.error_samples) < MAX_ERROR_SAMPLES:
            self.error_samples.append(message)

    async def worker(self, index: int) -> None:
        loop = asyncio.get_running_loop()
        _transport, connection = await loop.create_connection(
            ClientConnection, self.args.host, self.args.port
        )
        clock = time.perf_counter
        latencies = self.latencies
        try:
            while not self.stopping:
                self.sent += 1
                payload, expected = self.build(self.sent, index)
                started = clock()
                try:
                    status, body = await connection.request(payload)
                except Exception as error:
                    self.fail(f"{type(error).__name__}: {error}")
                    return
                finished = clock()
                self.completed_total += 1
                if self.expect_replies:
                    if status != 200 or expected not in body:
                        self.fail(f"expected 200 with {expected!r}, got {status}: {body[:300]!r}")
                        continue
                elif status != 202:
                    self.fail(f"expected 202, got {status}: {body[:300]!r}")
                    continue
                if self.window_start <= finished <= self.window_end:
                    latencies.append(finished - started)
        finally:
            if connection.transport is not None:
                connection.transport.close()

    async def run(self) -> dict[str, Any]:
        args = self.args
        workers = [asyncio.create_task(self.worker(i)) for i in range(args.concurrency)]
        await asyncio.sleep(args.warmup)
        cpu_start = cpu_seconds(args.server_pid) if args.server_pid else None
        busy_start = cpu_busy_seconds(args.server_cpu) if args.server_cpu is not None else None
        own_cpu_start = time.process_time()
        actual_start = self.window_start = time.perf_counter()
        await asyncio.sleep(args.duration)
        cpu_end = cpu_seconds(args.server_pid) if args.server_pid else None
        busy_end = cpu_busy_seconds(args.server_cpu) if args.server_cpu is not None else None
        own_cpu = time.process_time() - own_cpu_start
        actual_end = self.window_end = time.perf_counter()
        self.stopping = True
        await asyncio.gather(*workers, return_exceptions=True)

        latencies = sorted(self.latencies)
        count = len(latencies)

        def percentile(fraction: float) -> float | None:
            if not count:
                return None
            return latencies[min(count - 1, int(fraction * count))] * 1000.0

        window = actual_end - actual_start
        result: dict[str, Any] = {
            "scenario": args.scenario,
            "concurrency": args.concurrency,
            "warmup_s": args.warmup,
            "window_s": window,
            "requests_in_window": count,
            "requests_sent_total": self.sent,
            "responses_total": self.completed_total,
            "rps": count / window if window > 0 else 0.0,
            "p50_ms": percentile(0.50),
            "p99_ms": percentile(0.99),
            "mean_ms": (sum(latencies) / count * 1000.0) if count else None,
            "max_ms": latencies[-1] * 1000.0 if count else None,
            "errors": self.errors,
            "error_samples": self.error_samples,
            # The load generator's own CPU use, to show it was not the bottleneck.
            "client_cpu_s": own_cpu,
            "client_cpu_share": own_cpu / window if window > 0 else None,
        }
        if cpu_start is not None and cpu_end is not None:
            result["server_cpu_s"] = cpu_end - cpu_start
            result["cpu_us_per_request"] = (cpu_end - cpu_start) / count * 1e6 if count else None
        if busy_start is not None and busy_end is not None:
            # Everything the server's CPU did in the window; minus the server's own time, this
            # is the share other processes (and interrupt handling) took from it.
            result["server_cpu_busy_s"] = busy_end - busy_start
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description="Echo agent load generator.")
    parser.add_argument("--scenario", choices=("expect-replies", "normal"), required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/messages")
    parser.add_argument("--service-url", default="http://127.0.0.1:9/")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds")
    parser.add_argument("--server-pid", type=int, help="read this process's CPU time")
    parser.add_argument("--server-cpu", type=int, help="read how busy this CPU was")
    parser.add_argument("--cpu", type=int, help="pin this process to one CPU")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    result = asyncio.run(Load(args).run())
    print(json.dumps(result), flush=True)
    return 0 if result["errors"] == 0 and result["requests_in_window"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
