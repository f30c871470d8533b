"""Measure one installed ``microsoft-agents-activity`` and print the figures as JSON.

Run by ``activity_bench.py`` with the interpreter of a benchmark venv; it imports whatever
``microsoft_agents.activity`` that venv has installed and never the repository sources. Only
the standard library is used besides the package under test (and the pydantic it brings).

Output (one JSON object on stdout)::

    {"package": {...}, "pydantic": "...", "timings_us": {"validate_json": ..., ...},
     "roundtrip_ok": true, "roundtrip_diff": [], "memory_bytes_per_instance": ...}
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$"
)


# -- correctness -----------------------------------------------------------------------------


def _parse_datetime(text: str) -> tuple[datetime, timedelta | None] | None:
    """Parse an ISO 8601 timestamp to (instant, offset), keeping microsecond precision.

    Written here rather than using ``datetime.fromisoformat`` because Python 3.10 accepts
    neither ``Z`` nor the 7 fractional digits channels send. Extra digits are truncated, the
    way pydantic reads them.
    """
    match = _DATETIME.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    offset: timedelta | None
    if zone is None:
        offset = None
    elif zone == "Z":
        offset = timedelta(0)
    else:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    tzinfo = timezone(offset) if offset is not None else None
    try:
        value = datetime(year, month, day, hour, minute, second, micro, tzinfo=tzinfo)
    except ValueError:
        return None
    return value, offset


def normalise(value: Any) -> Any:
    """Replace timestamp strings by comparable (instant, offset) pairs, recursively."""
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str):
        parsed = _parse_datetime(value)
        return parsed if parsed is not None else value
    return value


def differences(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Human-readable paths where ``actual`` differs from ``expected``."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in expected.keys() - actual.keys():
            out.append(f"{path}.{key}: missing from the dump")
        for key in actual.keys() - expected.keys():
            out.append(f"{path}.{key}: not in the input but written ({actual[key]!r:.60})")
        for key in expected.keys() & actual.keys():
            out.extend(differences(expected[key], actual[key], f"{path}.{key}"))
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} items in, {len(actual)} out"]
        out = []
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            out.extend(differences(left, right, f"{path}[{index}]"))
        return out
    if expected != actual or type(expected) is not type(actual):
        return [f"{path}: {expected!r:.60} became {actual!r:.60}"]
    return []


# -- timing ----------------------------------------------------------------------------------


def _batch_sizes() -> Iterator[int]:
    base = 1
    while True:
        for step in (1, 2, 5):
            yield base * step
        base *= 10


def best_per_op(operation: Callable[[], object], budget: float) -> tuple[float, int]:
    """Best (minimum) seconds per call of ``operation`` over batches filling ``budget`` s.

    The batch size grows 1, 2, 5, 10, ... until one batch takes at least a twentieth of the
    budget; batches then repeat until the budget is spent (at least five of them). The
    collector is paused inside a batch, as ``timeit`` does, and run between batches.
    """
    clock = time.perf_counter
    for number in _batch_sizes():
        start = clock()
        for _ in range(number):
            operation()
        if clock() - start >= budget / 20 or number >= 10_000_000:
            break
    best = float("inf")
    batches = 0
    deadline = clock() + budget
    while batches < 5 or clock() < deadline:
        gc.collect()
        gc.disable()
        try:
            start = clock()
            for _ in range(number):
                operation()
            elapsed = clock() - start
        finally:
            gc.enable()
        best = min(best, elapsed / number)
        batches += 1
    return best, number


def retained_bytes_per_instance(parse: Callable[[], object], count: int) -> float:
    """Bytes still allocated per parsed activity while ``count`` of them are kept alive."""
    for _ in range(50):
        parse()
    gc.collect()
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        kept = [parse() for _ in range(count)]
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return (after - before) / count


# -- main ------------------------------------------------------------------------------------


def _package_info() -> dict[str, Any]:
    from importlib import metadata

    import microsoft_agents.activity as package

    try:
        version = metadata.version("microsoft-agents-activity")
    except metadata.PackageNotFoundError:
        version = None
    return {"version": version, "file": str(Path(package.__file__ or "").resolve())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="activity JSON file")
    parser.add_argument("--budget", type=float, default=0.3, help="seconds per measurement")
    parser.add_argument("--memory-count", type=int, default=1000)
    args = parser.parse_args()

    import pydantic
    import pydantic_core

    from microsoft_agents.activity import Activity

    # The compact form is what a channel puts on the wire.
    payload = json.dumps(json.loads(args.data.read_text(encoding="utf-8")), separators=(",", ":"))

    def validate() -> Any:
        return Activity.model_validate_json(payload)

    parsed = validate()

    def dump() -> str:
        return parsed.model_dump_json(by_alias=True, exclude_unset=True)

    def roundtrip() -> str:
        return Activity.model_validate_json(payload).model_dump_json(
            by_alias=True, exclude_unset=True
        )

    written = roundtrip()
    diff = differences(normalise(json.loads(payload)), normalise(json.loads(written)))
    # A second pass must reproduce the first dump exactly.
    again = Activity.model_validate_json(written).model_dump_json(by_alias=True, exclude_unset=True)
    if again != written:
        diff.append("$: dumping a re-parsed dump gives a different document")

    timings: dict[str, float] = {}
    iterations: dict[str, int] = {}
    operations = (("validate_json", validate), ("dump_json", dump), ("roundtrip", roundtrip))
    for name, operation in operations:
        seconds, number = best_per_op(operation, args.budget)
        timings[name] = seconds * 1e6
        iterations[name] = number

    result = {
        "package": _package_info(),
        "python": sys.version.split()[0],
        "pydantic": pydantic.VERSION,
        "pydantic_core": pydantic_core.__version__,
        "payload_bytes": len(payload.encode("utf-8")),
        "timings_us": timings,
        "batch_size": iterations,
        "roundtrip_ok": not diff,
        "roundtrip_diff": diff[:20],
        "memory_bytes_per_instance": retained_bytes_per_instance(validate, args.memory_count),
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
