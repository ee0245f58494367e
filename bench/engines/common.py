"""Shared shape of engine benchmark rows and the table printer."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class BenchRow:
    task: str
    engine: str
    workload: str  # e.g. "1 MP JPEG, standard" or "22-word sentence"
    load_s: float
    median_s: float
    p95_s: float
    rtf: float | None = None  # processing seconds / audio seconds, speech engines only
    peak_rss_mb: float = 0.0


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, list[object]]:
    """Run ``fn`` ``repeat`` times; return (median, p95, results)."""
    times: list[float] = []
    results: list[object] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        results.append(fn())
        times.append(time.perf_counter() - t0)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, results


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def print_table(rows: list[BenchRow]) -> None:
    head = (
        f"{'task':<10}{'engine':<22}{'workload':<34}{'load s':>8}{'median s':>10}"
        f"{'p95 s':>9}{'RTF':>8}{'peak MB':>9}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        rtf = f"{r.rtf:.3f}" if r.rtf is not None else "-"
        print(
            f"{r.task:<10}{r.engine:<22}{r.workload[:33]:<34}{r.load_s:>8.2f}{r.median_s:>10.3f}"
            f"{r.p95_s:>9.3f}{rtf:>8}{r.peak_rss_mb:>9.0f}"
        )
