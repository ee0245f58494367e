"""Cost of one request log line (context, secret filter, formatter) in each log format.

Times ``logs.event`` for the request line through the handler ``logging_config`` builds,
writing to an in-memory stream; the baseline is the same call with the logger disabled.

Run: ``python -m bench.log_line [--lines N]``.
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import time
from logging.config import dictConfig

from seesay import logs


def _time(n: int) -> tuple[float, float]:
    log = logging.getLogger("seesay.request")
    samples = []
    with logs.log_context("req_0123456789abcdef01234567", "acct_0123456789abcdef0123"):
        for _ in range(n):
            t0 = time.perf_counter()
            logs.event(
                log,
                "request",
                method="POST",
                route="/v1/speech",
                status=200,
                latency_ms=12.3,
                credits=0.012,
            )
            samples.append(time.perf_counter() - t0)
    ordered = sorted(samples)
    return statistics.median(ordered) * 1e6, ordered[int(0.95 * (len(ordered) - 1))] * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20000)
    n = parser.parse_args().lines
    rows = []
    for fmt in ("text", "json"):
        config = logs.logging_config("info", fmt)
        config["handlers"]["default"]["stream"] = io.StringIO()
        dictConfig(config)
        rows.append((fmt, *_time(n)))
    dictConfig(logs.logging_config("warning"))  # the request line is now below the level
    rows.append(("off (baseline)", *_time(n)))
    print(f"{'format':<16}{'median µs':>10}{'p95 µs':>10}")
    for name, median, p95 in rows:
        print(f"{name:<16}{median:>10.1f}{p95:>10.1f}")


if __name__ == "__main__":
    main()
