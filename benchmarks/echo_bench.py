"""Load-test the quickstart echo agent on this repository's host and on the published 1.9.0 one.

Usage::

    python3 benchmarks/echo_bench.py             # 3 rounds, 10 s measured per scenario
    python3 benchmarks/echo_bench.py --quick     # 1 round, 3 s measured per scenario
    python3 benchmarks/echo_bench.py --json      # machine-readable results on stdout
    python3 benchmarks/echo_bench.py --profile   # also sample the servers with py-spy
    python3 benchmarks/echo_bench.py --stack both  # the aiohttp stacks only (no ours-asgi)

The same agent (``_echo_server.py``) runs on both aiohttp stacks, each in its own virtual
environment under ``<repo>/.bench/``: ``echo-ours`` gets the distributions built from
``libraries/`` (regular, non-editable installs) and ``echo-published`` gets
``microsoft-agents-hosting-aiohttp==1.9.0`` with ``microsoft-agents-authentication-msal==1.9.0``,
pinned to the same pydantic and aiohttp. A third stack, ``ours-asgi``, serves the same agent
from our FastAPI host under uvicorn (``_echo_server_asgi.py``, environment
``echo-ours-asgi``); it is reported next to the others but is not part of the verdict. The
server is pinned to CPU 0; the load generator (``_load.py``) and the loopback connector
stand-in (``_connector_standin.py``) run in their own processes on CPU 1. Two scenarios are
measured:

* S1: message activities with ``deliveryMode: expectReplies`` (the reply comes back in the
  ``200`` response body);
* S2: normal delivery (``202``; the reply is posted to the stand-in, which counts it).

Only the standard library is needed to run this file.

Exit status: 0 when both scenarios reach the target speed-up, 1 when one does not (or when
our stack gave a wrong answer), 2 when the environments could not be set up or a process
failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from _echo_envs import (
    BENCH_DIR,
    RUNNER_PYTHON,
    STATE_DIR,
    SetupError,
    log,
    prepare_ours,
    prepare_published,
    prepare_py_spy,
    venv_python,
)
from _echo_runs import (
    CLIENT_CPU,
    SCENARIOS,
    SERVER_CPU,
    Background,
    check_deliveries,
    free_port,
    pinned,
    profile_scenario,
    run_load,
    standin_stats,
)

SERVER = BENCH_DIR / "_echo_server.py"
SERVER_ASGI = BENCH_DIR / "_echo_server_asgi.py"
STANDIN = BENCH_DIR / "_connector_standin.py"
STACKS = ("ours", "published")  # the verdict compares these two
ASGI = "ours-asgi"  # our FastAPI host under uvicorn, reported alongside
TARGET = 5.0


# -- measuring -------------------------------------------------------------------------------


def measure(
    envs: dict[str, Path], options: argparse.Namespace, py_spy: Path | None
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Alternate the stacks for each round; return per-stack results, profiles, problems."""
    rounds: dict[str, dict[str, list[dict[str, Any]]]] = {
        stack: {scenario: [] for scenario in SCENARIOS} for stack in envs
    }
    profiles: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    STATE_DIR.mkdir(exist_ok=True)
    standin_port = free_port()
    standin = Background(
        "connector-standin",
        pinned(
            [sys.executable, "-I", str(STANDIN), "--port", str(standin_port)],
            CLIENT_CPU,
        ),
    )
    try:
        names = list(envs)
        for index in range(options.rounds):
            order = names if index % 2 == 0 else names[::-1]
            for stack in order:
                server_port = free_port()
                command = [
                    str(venv_python(envs[stack])),
                    "-I",
                    str(SERVER_ASGI if stack == ASGI else SERVER),
                    "--stack",
                    stack,
                    "--port",
                    str(server_port),
                ]
                server = Background(f"{stack}-server", pinned(command, SERVER_CPU))
                try:
                    for scenario in SCENARIOS:
                        before = standin_stats(standin_port)
                        result = run_load(
                            scenario,
                            server_port,
                            server.pid,
                            standin_port,
                            options,
                            options.duration,
                        )
                        server.check_alive()
                        wrong = list(result["error_samples"]) if result["errors"] else []
                        if scenario == "S2":
                            delivery = check_deliveries(
                                standin_port, before, int(result["responses_total"]), result
                            )
                            if delivery:
                                wrong.append(delivery)
                        if not result["requests_in_window"]:
                            wrong.append("no request completed in the measured window")
                        for message in wrong:
                            problems.append(f"{stack} {scenario}: {message}")
                        result["correct"] = not wrong
                        window = result["window_s"]
                        own = result.get("server_cpu_s") or 0.0
                        result["server_cpu_share"] = own / window
                        busy = result.get("server_cpu_busy_s")
                        result["foreign_cpu_share"] = (
                            max(0.0, busy - own) / window if busy is not None else None
                        )
                        rounds[stack][scenario].append(result)
                        log(
                            f"  round {index + 1}/{options.rounds} {stack:<9} {scenario}"
                            f"  {result['rps']:8.0f} req/s  p50 {result['p50_ms'] or 0:7.2f} ms"
                            f"  p99 {result['p99_ms'] or 0:7.2f} ms"
                            f"  cpu {result.get('cpu_us_per_request') or 0:7.0f} µs/req"
                            f"  server busy {100 * result['server_cpu_share']:3.0f}%"
                            f"  others on its cpu {100 * (result['foreign_cpu_share'] or 0):3.0f}%"
                            f"  load generator {100 * (result['client_cpu_share'] or 0):3.0f}%"
                            + (
                                f"  {result['connector_connections']} connector connections"
                                if "connector_connections" in result
                                else ""
                            )
                            + ("" if not wrong else "  WRONG ANSWERS")
                        )
                    if py_spy is not None and stack != "bare" and index == options.rounds - 1:
                        for scenario in SCENARIOS:
                            log(f"  profiling {stack} {scenario} with py-spy")
                            profiles.setdefault(stack, {})[scenario] = profile_scenario(
                                py_spy,
                                stack,
                                scenario,
                                server,
                                server_port,
                                standin_port,
                                options,
                            )
                finally:
                    server.stop()
    finally:
        standin.stop()

    summary: dict[str, Any] = {}
    for stack, by_scenario in rounds.items():
        summary[stack] = {}
        for scenario, results in by_scenario.items():
            best = max(results, key=lambda r: r["rps"])
            summary[stack][scenario] = {
                **best,
                "rounds_rps": [r["rps"] for r in results],
                "correct": all(r["correct"] for r in results),
            }
    return summary, profiles, problems


# -- reporting -------------------------------------------------------------------------------


def ratios(summary: dict[str, Any], stack: str = "ours") -> dict[str, dict[str, float | None]]:
    """``stack`` against the published one, per scenario (above 1: ``stack`` is better)."""
    out: dict[str, dict[str, float | None]] = {}
    for scenario in SCENARIOS:
        ours, theirs = summary[stack][scenario], summary["published"][scenario]

        def divide(a: float | None, b: float | None) -> float | None:
            return a / b if a and b else None

        out[scenario] = {
            "rps": divide(ours["rps"], theirs["rps"]),
            "p50": divide(theirs["p50_ms"], ours["p50_ms"]),
            "p99": divide(theirs["p99_ms"], ours["p99_ms"]),
            "cpu": divide(theirs.get("cpu_us_per_request"), ours.get("cpu_us_per_request")),
        }
    return out


def fmt(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def print_tables(
    summary: dict[str, Any],
    ratio: dict[str, dict[str, float | None]] | None,
    versions: dict[str, dict[str, Any]],
    options: argparse.Namespace,
) -> None:
    stacks = list(summary)
    print(
        f"Echo agent benchmark: concurrency {options.concurrency}, {options.warmup:g} s warm-up,"
        f" best of {options.rounds} x {options.duration:g} s per scenario and stack"
    )
    print(
        f"python {RUNNER_PYTHON}; server on CPU {SERVER_CPU}; load generator and connector"
        f" stand-in on CPU {CLIENT_CPU}"
    )
    for stack in stacks:
        found = versions[stack]
        if stack == "bare":
            print(f"bare: aiohttp {found['aiohttp']} alone, no SDK (a floor, not compared)")
            continue
        if stack == ASGI:
            print(
                f"{stack}: hosting-fastapi {found.get('microsoft-agents-hosting-fastapi')},"
                f" hosting-core {found['microsoft-agents-hosting-core']},"
                f" fastapi {found.get('fastapi')}, starlette {found.get('starlette')},"
                f" uvicorn {found.get('uvicorn')} (httptools {found.get('httptools')}),"
                f" pydantic {found['pydantic']}"
            )
            continue
        print(
            f"{stack}: hosting-aiohttp {found['microsoft-agents-hosting-aiohttp']},"
            f" hosting-core {found['microsoft-agents-hosting-core']},"
            f" aiohttp {found['aiohttp']}, pydantic {found['pydantic']}"
        )
    rows = (
        ("requests/s", "rps", 0, "rps"),
        ("p50 latency (ms)", "p50_ms", 2, "p50"),
        ("p99 latency (ms)", "p99_ms", 2, "p99"),
        ("server CPU µs / request", "cpu_us_per_request", 0, "cpu"),
    )
    for scenario, (_name, label) in SCENARIOS.items():
        print()
        print(f"{scenario}: {label}")
        header = f"{'measure':<26}" + "".join(f"{stack:>12}" for stack in stacks)
        if ratio:
            header += f"{'ratio':>10}"
        print(header)
        print("-" * len(header))
        for title, key, digits, ratio_key in rows:
            line = f"{title:<26}" + "".join(
                f"{fmt(summary[stack][scenario].get(key), digits):>12}" for stack in stacks
            )
            if ratio:
                value = ratio[scenario][ratio_key]
                line += f"{fmt(value, 2) + 'x':>10}"
            print(line)
        if scenario == "S2":
            per_connection = [
                summary[stack][scenario].get("connector_replies", 0)
                / max(1, summary[stack][scenario].get("connector_connections", 0))
                for stack in stacks
            ]
            print(
                f"{'replies per connection':<26}"
                + "".join(f"{value:>12.0f}" for value in per_connection)
            )
    if ratio:
        print()
        print("ratio: ours/published for requests/s; published/ours for latencies and CPU,")
        print("so above 1 always means ours is better. Figures only compare within this run.")


def print_profiles(profiles: dict[str, dict[str, Any]]) -> None:
    for stack, scenario, profile in (
        (stack, scenario, profile)
        for stack, by_scenario in sorted(profiles.items())
        for scenario, profile in by_scenario.items()
    ):
        if stack != "ours" and len(profiles) > 1:
            continue  # the other stack's summary is in --json and in the files
        print()
        print(
            f"py-spy, {stack} {scenario}: {profile['samples']} samples"
            f" (collapsed stacks: {profile['collapsed_stacks']})"
        )
        print("  self time by area:")
        for entry in profile["areas_self"]:
            print(f"    {100 * entry['share']:5.1f}%  {entry['frame']}")
        print("  top 15 functions by self time:")
        for entry in profile["top_self"]:
            print(f"    {100 * entry['share']:5.1f}%  {entry['frame']}")
        print("  SDK functions by inclusive time:")
        for entry in profile["top_inclusive_sdk"]:
            print(f"    {100 * entry['share']:5.1f}%  {entry['frame']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Load-test the echo agent on our host and on the published one."
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s per scenario")
    parser.add_argument("--rounds", type=int, help="rounds per stack (default 3, quick 1)")
    parser.add_argument("--duration", type=float, help="measured seconds (default 10, quick 3)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds (default 3, quick 1)")
    parser.add_argument("--concurrency", type=int, default=32, help="in-flight requests")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--rebuild", action="store_true", help="recreate both environments")
    parser.add_argument(
        "--stack",
        choices=("all", "both", *STACKS, ASGI),
        default="all",
        help="all: ours, published and ours-asgi; both: ours and published; or one stack only",
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure the same HTTP contract served by aiohttp alone (no SDK)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="sample both servers with py-spy (S1 and S2)"
    )
    parser.add_argument(
        "--profile-seconds", type=float, default=10.0, help="seconds of load while sampling"
    )
    args = parser.parse_args(argv)

    if sys.version_info < (3, 10):  # noqa: UP036 - a clear message for older interpreters
        log("this benchmark needs Python 3.10 or newer")
        return 2
    if not sys.platform.startswith("linux"):
        log("this benchmark reads /proc and pins CPUs: it needs Linux")
        return 2
    if len(os.sched_getaffinity(0)) < 2:
        log("this benchmark needs at least 2 CPUs (server on one, load on another)")
        return 2
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 3.0)
    stacks = {"all": (*STACKS, ASGI), "both": STACKS}.get(args.stack, (args.stack,))
    envs = {stack: STATE_DIR / f"echo-{stack}" for stack in stacks}
    if args.floor:
        # aiohttp alone, run by the interpreter of the first environment (same aiohttp).
        envs["bare"] = next(iter(envs.values()))

    versions: dict[str, dict[str, Any]] = {}
    try:
        STATE_DIR.mkdir(exist_ok=True)
        if "ours" in envs:
            versions["ours"] = prepare_ours(envs["ours"], args.rebuild)
            pins = {k: versions["ours"][k] for k in ("aiohttp", "pydantic")}
        else:
            pins = {}
        if "published" in envs:
            versions["published"] = prepare_published(envs["published"], pins, args.rebuild)
        if ASGI in envs:
            versions[ASGI] = prepare_ours(envs[ASGI], args.rebuild, stack=ASGI, pins=pins)
        py_spy = prepare_py_spy(next(iter(envs.values()))) if args.profile else None
        if "bare" in envs:
            versions["bare"] = dict(versions[stacks[0]])
        if pins:
            log(f"pinned in both environments: {', '.join(f'{k} {v}' for k, v in pins.items())}")
        log(
            f"measuring: {args.rounds} round(s), {args.warmup:g} s warm-up +"
            f" {args.duration:g} s per scenario, concurrency {args.concurrency}"
        )
        summary, profiles, problems = measure(envs, args, py_spy)
    except SetupError as error:
        log(f"error: {error}")
        return 2

    both = "ours" in summary and "published" in summary
    ratio = ratios(summary) if both else None
    asgi_ratio = ratios(summary, ASGI) if ASGI in summary and "published" in summary else None
    speedups = {s: (ratio[s]["rps"] or 0.0) for s in SCENARIOS} if ratio else {}
    ours_correct = all(
        summary[stack][s]["correct"]
        for stack in ("ours", ASGI)
        if stack in summary
        for s in SCENARIOS
    )
    met = both and ours_correct and all(value >= TARGET for value in speedups.values())
    if args.json:
        document = {
            "concurrency": args.concurrency,
            "warmup_seconds": args.warmup,
            "duration_seconds": args.duration,
            "rounds": args.rounds,
            "versions": versions,
            "results": summary,
            "ratios": ratio,
            "ratios_asgi": asgi_ratio,
            "speedups": speedups,
            "target": TARGET,
            "target_met": met,
            "problems": problems,
            "profiles": profiles,
        }
        print(json.dumps(document, indent=2))
    else:
        print_tables(summary, ratio, versions, args)
        print_profiles(profiles)
    for problem in problems:
        log(f"warning: wrong answer: {problem}")
    for stack, by_scenario in summary.items():
        for scenario, result in by_scenario.items():
            share, foreign = result["server_cpu_share"], result["foreign_cpu_share"] or 0.0
            if foreign > 0.1:
                log(
                    f"note: other processes took {100 * foreign:.0f}% of CPU {SERVER_CPU} during"
                    f" the reported {stack} {scenario} window; its requests/s and latencies are"
                    " understated (CPU µs per request is less affected). Run on an idle machine."
                )
            elif share < 0.9:
                log(
                    f"note: the {stack} server used {100 * share:.0f}% of its CPU in {scenario};"
                    " the load generator or the stand-in may be the limit, so compare CPU µs"
                    " per request as well"
                )
    if not ours_correct:
        log("our figures do not count while our server gives wrong answers")
    if asgi_ratio is not None:
        out = sys.stderr if args.json else sys.stdout
        for scenario in SCENARIOS:
            versus_ours = (
                summary[ASGI][scenario]["rps"] / summary["ours"][scenario]["rps"]
                if "ours" in summary and summary["ours"][scenario]["rps"]
                else None
            )
            print(
                f"{scenario} {ASGI}: {fmt(asgi_ratio[scenario]['rps'], 2)}x the published"
                f" requests/s, {fmt(versus_ours, 2)}x ours on aiohttp (not part of the verdict)",
                file=out,
            )
    if not both:
        return 0 if not problems else 1
    for scenario in SCENARIOS:
        line = f"{scenario} speed-up: {speedups[scenario]:.2f}x (target >= {TARGET:g}x)"
        print(line, file=sys.stderr if args.json else sys.stdout)
    published_wrong = any(p.startswith("published") for p in problems)
    if published_wrong:
        log("the published stack gave wrong answers: its figures are not a valid baseline")
        return 2
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
