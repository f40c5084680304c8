"""A small HTTP/1.1 load generator for benchmarks: keep-alive connections over loopback,
each sending pre-encoded requests back to back, with per-request latency.

Runs in its own process (``python -m rwakit.bench.http_load``, a JSON plan on stdin, a JSON
report on stdout) so the server under test keeps its core. Raw asyncio streams on uvloop
cost the client a few tens of microseconds per request — far less than an HTTP library.
"""

import asyncio
import json
import sys
import time
from dataclasses import dataclass

import uvloop

REQUEST_TIMEOUT_S = 10.0  # an answer slower than this counts as an error and ends the slot


@dataclass(frozen=True)
class Plan:
    host: str
    port: int
    concurrency: int
    duration_s: float
    requests: list[tuple[str, str]]  # (kind, raw request text), picked round-robin per slot

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        requests = [(kind, raw) for kind, raw in data["requests"]]
        return cls(data["host"], data["port"], data["concurrency"], data["duration_s"], requests)


def encode_request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> str:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join(lines) + "\r\n\r\n" + body.decode()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def _slot(
    plan: Plan, encoded: list[tuple[str, bytes]], offset: int, stop_at: float, out: dict
) -> None:
    reader, writer = await asyncio.open_connection(plan.host, plan.port)
    # each slot walks the whole list from its own start, so every slot sees the mix
    i = offset * 7919
    try:
        while time.perf_counter() < stop_at:
            kind, raw = encoded[i % len(encoded)]
            i += 1
            started = time.perf_counter()
            writer.write(raw)
            status = await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT_S)
            stats = out.setdefault(kind, {"latencies": [], "errors": 0, "statuses": {}})
            stats["latencies"].append(time.perf_counter() - started)
            stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
            if status >= 400:
                stats["errors"] += 1
    except (ConnectionError, asyncio.IncompleteReadError, TimeoutError) as exc:
        out.setdefault("_connection_errors", []).append(type(exc).__name__)
    finally:
        writer.close()


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, int(q * len(sorted_values)))
    return sorted_values[index]


async def run(plan: Plan) -> dict:
    encoded = [(kind, raw.encode()) for kind, raw in plan.requests]
    out: dict = {}
    started = time.perf_counter()
    stop_at = started + plan.duration_s
    await asyncio.gather(*(_slot(plan, encoded, n, stop_at, out) for n in range(plan.concurrency)))
    elapsed = time.perf_counter() - started
    report: dict = {"elapsed_s": round(elapsed, 3), "kinds": {}}
    all_latencies: list[float] = []
    errors = 0
    for kind, stats in out.items():
        if kind.startswith("_"):
            continue
        latencies = sorted(stats["latencies"])
        all_latencies += latencies
        errors += stats["errors"]
        report["kinds"][kind] = {
            "requests": len(latencies),
            "rps": round(len(latencies) / elapsed, 1),
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 2),
            "p95_ms": round(_percentile(latencies, 0.95) * 1000, 2),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 2),
            "errors": stats["errors"],
            "statuses": {str(k): v for k, v in stats["statuses"].items()},
        }
    all_latencies.sort()
    report.update(
        requests=len(all_latencies),
        rps=round(len(all_latencies) / elapsed, 1),
        p50_ms=round(_percentile(all_latencies, 0.50) * 1000, 2),
        p95_ms=round(_percentile(all_latencies, 0.95) * 1000, 2),
        p99_ms=round(_percentile(all_latencies, 0.99) * 1000, 2),
        errors=errors + len(out.get("_connection_errors", [])),
    )
    return report


def main() -> None:
    plan = Plan.from_json(json.load(sys.stdin))
    report = uvloop.run(run(plan))
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
