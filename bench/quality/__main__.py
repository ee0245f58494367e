"""The quality harness: generate each registered kind's items, describe them with the default
offline describer, and print one table row per kind and set.

Two sets are made from different seeds: ``dev`` (seed 0, the one thresholds were tuned on) and
``fresh`` (``--fresh-seed``, content nothing was tuned on). Each item is encoded as PNG and decoded
by the server's own decoder, so the describer sees what an upload would give it.

Columns: each metric's mean over the items (1.0 is best), then the seconds one ``describe``
took (median and slowest, wall clock) and the median CPU seconds it used (both cores counted:
on a machine shared with other work, CPU seconds say more about the cost than wall time).

Run: ``python -m bench.quality [--items 8] [--fresh-seed N] [--kinds sign,page] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.quality.registry import KIND_MODULES, REGISTRY, Item, Kind, common_metrics
from seesay.engines.base import EngineContext
from seesay.engines.vision.perception import PerceptionEngine
from seesay.media.images import decode_image


def _decoded(item: Item) -> Any:
    buf = io.BytesIO()
    item.image.save(buf, "PNG")
    return decode_image(buf.getvalue())


def run_kind(engine: PerceptionEngine, kind: Kind, seed: int, items: int) -> dict[str, Any]:
    """Mean of each metric over ``items`` items of ``kind`` made from ``seed``, with timings."""
    scores: dict[str, list[float]] = {}
    times: list[float] = []
    cpu: list[float] = []
    for i in range(items):
        item = kind.generate(random.Random(f"{seed}:{kind.name}:{i}"))
        image = _decoded(item)
        t0, c0 = time.perf_counter(), time.process_time()
        result = engine.describe(image, kind.detail, item.prompt, "en")  # type: ignore[arg-type]
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        for name, value in {**kind.score(item, result), **common_metrics(item, result)}.items():
            scores.setdefault(name, []).append(value)
    row: dict[str, Any] = {name: statistics.fmean(v) for name, v in scores.items()}
    row["median_s"] = statistics.median(times)
    row["max_s"] = max(times)
    row["cpu_s"] = statistics.median(cpu)
    return row


def print_table(rows: list[tuple[str, str, int, dict[str, Any]]]) -> None:
    metrics = sorted({m for *_, r in rows for m in r if not m.endswith("_s")})
    head = ["kind", "set", "items", *metrics, "median_s", "max_s", "cpu_s"]
    print(" | ".join(f"{h:>10}" for h in head))
    print("-" * (13 * len(head)))
    for kind, which, n, r in rows:
        cells = [kind, which, str(n)]
        cells += [f"{r[m]:.3f}" if m in r else "-" for m in metrics]
        cells += [f"{r[k]:.2f}" for k in ("median_s", "max_s", "cpu_s")]
        print(" | ".join(f"{c:>10}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=8, help="items per kind and set")
    parser.add_argument("--seed", type=int, default=0, help="the dev set's seed")
    parser.add_argument("--fresh-seed", type=int, default=None, help="default: a random one")
    parser.add_argument("--kinds", default="", help="comma-separated; default: all registered")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()
    for module in KIND_MODULES:
        importlib.import_module(module)
    wanted = [k for k in args.kinds.split(",") if k] or list(REGISTRY)
    unknown = sorted(set(wanted) - set(REGISTRY))
    if unknown:
        parser.error(f"unknown kinds {unknown}; registered: {sorted(REGISTRY)}")
    fresh = args.fresh_seed if args.fresh_seed is not None else random.randrange(1, 10**6)
    print(f"sets: dev seed {args.seed}, fresh seed {fresh}; {args.items} items per kind and set")
    rows: list[tuple[str, str, int, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as cache:
        engine = PerceptionEngine(EngineContext(cache_dir=Path(cache), threads=2))
        engine.load()
        for name in wanted:
            for which, seed in (("dev", args.seed), ("fresh", fresh)):
                row = run_kind(engine, REGISTRY[name], seed, args.items)
                rows.append((name, which, args.items, row))
        engine.unload()
    print_table(rows)
    if args.json is not None:
        args.json.write_text(
            json.dumps([{"kind": k, "set": s, "items": n, **r} for k, s, n, r in rows], indent=2)
        )


if __name__ == "__main__":
    main()
