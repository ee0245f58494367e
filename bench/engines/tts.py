"""Benchmark of the offline speech engines: load time, latency of a typical sentence, real-time
factor, peak RSS. Run from the repository root: ``.venv/bin/python -m bench.engines.tts``.

Each engine is loaded into a fresh cache folder (so Kokoro's load includes joining its model),
warmed up once, then timed over ``REPEAT`` syntheses of the same 22-word English sentence
(Japanese for Kokoro's Japanese row). Peak RSS is the process's, so it accumulates in row order.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.engines.common import BenchRow, peak_rss_mb, print_table, timed

from seesay.engines.base import Audio, EngineContext
from seesay.engines.tts.common import SentenceEngine
from seesay.engines.tts.espeak import EspeakEngine
from seesay.engines.tts.hibari import HibariEngine, find_voices
from seesay.engines.tts.kokoro import KokoroEngine
from seesay.engines.tts.piper import PiperEngine

__all__ = ["run"]

REPEAT = 5
SENTENCE = (
    "The quick brown fox jumps over the lazy dog while the sun sets slowly behind "
    "the old red barn at the edge of town."
)
JAPANESE = "今日はとても良い天気なので、公園を散歩しながら写真を撮りました。"


def _row(engine: SentenceEngine, voice: str, language: str, text: str, load_s: float) -> BenchRow:
    engine.synthesize(text, voice, language, 1.0)  # warm-up: first-run allocations
    median, p95, results = timed(lambda: engine.synthesize(text, voice, language, 1.0), REPEAT)
    audio = results[0]
    assert isinstance(audio, Audio)
    return BenchRow(
        task="tts",
        engine=f"{engine.info.name}/{voice}",
        workload=f"{len(text.split())}-word sentence, {language}"
        if language != "ja"
        else f"{len(text)}-char sentence, ja",
        load_s=load_s,
        median_s=median,
        p95_s=p95,
        rtf=median / audio.duration,
        peak_rss_mb=peak_rss_mb(),
    )


def run() -> list[BenchRow]:
    rows: list[BenchRow] = []
    with tempfile.TemporaryDirectory() as cache:
        ctx = EngineContext(cache_dir=Path(cache), threads=2)
        cases: list[tuple[SentenceEngine, list[tuple[str, str, str]]]] = [
            (HibariEngine(ctx, find_voices(None)), [("hibari-heart", "en-US", SENTENCE)]),
            (PiperEngine(ctx), [("en_US-joe-medium", "en-US", SENTENCE)]),
            (
                KokoroEngine(ctx),
                [("jf_alpha", "en-US", SENTENCE), ("jf_alpha", "ja", JAPANESE)],
            ),
            (EspeakEngine(ctx), [("espeak-en-US", "en-US", SENTENCE)]),
        ]
        for engine, workloads in cases:
            t0 = time.perf_counter()
            engine.load()
            load_s = time.perf_counter() - t0
            for voice, language, text in workloads:
                rows.append(_row(engine, voice, language, text, load_s))
            engine.unload()
    return rows


if __name__ == "__main__":
    print_table(run())
