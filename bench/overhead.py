"""Per-request overhead of auth, limits and the ledger, embedded and distributed.

Two views, each against a baseline run in the same process:
* steps: the platform calls a metered request makes, timed one by one;
* HTTP: a real uvicorn server on loopback, sequential requests with httpx: ``/healthz``
  (no auth, the baseline) vs a metered no-op route (auth, rate window, concurrency lease,
  reserve + settle, idempotency off) registered by this benchmark only.

Run: ``python -m bench.overhead [--requests N] [--skip-distributed]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import APIRouter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from seesay.api import create_app
from seesay.api.deps import InferenceKey, Services
from seesay.platform import Platform
from seesay.settings import load_settings
from support.live import serve_app
from support.services import fresh_postgres, fresh_redis


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def _time(fn: Callable[[], object], n: int) -> tuple[float, float]:
    for _ in range(min(20, n)):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return _stats(samples)


def bench_mode(name: str, platform: Platform, n: int) -> list[tuple[str, str, float, float]]:
    account = platform.accounts.create_account("bench", plan="paid").id
    platform.ledger.grant(account, 10**12)
    key = platform.accounts.create_key(account).key
    principal = platform.accounts.authenticate(key)
    rows = [(name, "baseline: no-op", *_time(lambda: None, n))]
    rows.append((name, "authenticate", *_time(lambda: platform.accounts.authenticate(key), n)))
    rows.append(
        (name, "rate window hit", *_time(lambda: platform.rate_limiter.hit("b", key, 10**9), n))
    )

    def lease() -> None:
        with platform.concurrency.slot(principal.key_id, 10):
            pass

    rows.append((name, "concurrency lease", *_time(lease, n)))

    def ledger() -> None:
        held = platform.ledger.reserve(account, "live", "describe", 1)
        platform.ledger.settle(held.id)

    rows.append((name, "reserve + settle", *_time(ledger, n)))

    app = create_app(platform.settings, platform=platform, consume_jobs=False)
    router = APIRouter()

    @router.post("/bench/metered")
    def metered(principal: InferenceKey, services: Services) -> dict[str, bool]:
        with services.metering.charge(principal, "describe"):
            return {"ok": True}

    app.include_router(router)
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        headers = {"X-API-Key": key}
        rows.append((name, "HTTP GET /healthz (baseline)", *_time(lambda: http.get("/healthz"), n)))
        rows.append(
            (
                name,
                "HTTP metered no-op",
                *_time(lambda: http.post("/bench/metered", headers=headers), n),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--skip-distributed", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        platform = Platform.build(load_settings(data_dir=Path(tmp) / "embedded"))
        rows += bench_mode("embedded", platform, args.requests)
        if not args.skip_distributed:
            with fresh_postgres() as pg, fresh_redis() as redis_url:
                platform = Platform.build(
                    load_settings(
                        data_dir=Path(tmp) / "dist",
                        database_url=pg,
                        queue_url=redis_url,
                        ratelimit_url=redis_url,
                    )
                )
                rows += bench_mode("distributed", platform, args.requests)
                platform.close()
    print(f"{'mode':<12}{'step':<32}{'median ms':>10}{'p95 ms':>9}{'x baseline':>12}")
    print("-" * 75)
    baseline: dict[str, float] = {}
    for mode, step, med, p95 in rows:
        if "baseline" in step and "HTTP" in step:
            baseline[mode] = med
        ratio = f"{med / baseline[mode]:.2f}" if "HTTP" in step and mode in baseline else ""
        print(f"{mode:<12}{step:<32}{med:>10.3f}{p95:>9.3f}{ratio:>12}")
    for mode in baseline:
        http = {s: m for md, s, m, _ in rows if md == mode and s.startswith("HTTP")}
        over = http["HTTP metered no-op"] - http["HTTP GET /healthz (baseline)"]
        print(f"{mode}: overhead of auth + limits + ledger over the HTTP baseline = {over:.2f} ms")


if __name__ == "__main__":
    main()
