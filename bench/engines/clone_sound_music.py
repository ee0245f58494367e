"""Benchmark of the offline clone, sound and music engines: latency, real-time factor (seconds
of processing per second of audio), peak RSS. Run from the repository root:
``.venv/bin/python -m bench.engines.clone_sound_music``.

Clone: a 6 s sample spoken by Kokoro jf_alpha is analysed (the first analysis also measures
the base voices once: that is the row's load time), then a 22-word sentence is spoken through
Piper joe and converted. Sound: 10 s clips of a layered and a single-kind prompt. Music: a
30 s piece of two genres. Peak RSS is the process's, so it accumulates down the table.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.engines.common import BenchRow, peak_rss_mb, print_table, timed

from seesay.engines.base import Audio, EngineContext, MusicResult, SoundResult, TtsEngine
from seesay.engines.clone.conversion import ConversionCloneEngine
from seesay.engines.clone.settings import BaseVoiceSetting, ConversionCloneSettings
from seesay.engines.music.algorithmic import AlgorithmicMusicEngine
from seesay.engines.sound.procedural import ProceduralSoundEngine
from seesay.engines.tts.kokoro import KokoroEngine
from seesay.engines.tts.piper import PiperEngine

__all__ = ["run"]

REPEAT = 3
SAMPLE_TEXT = (
    "She sells sea shells by the sea shore, and the shells she sells are surely sea shells, "
    "so if she sells shells on the shore, I am sure she sells sea shore shells."
)
SENTENCE = (
    "The quick brown fox jumps over the lazy dog while the sun sets slowly behind "
    "the old red barn at the edge of town."
)
SOUND_PROMPTS = ("heavy rain with distant thunder and wind", "footsteps")
MUSIC_PROMPTS = ("upbeat rock with guitar and drums", "calm ambient pads")


def _clone_rows(ctx: EngineContext) -> list[BenchRow]:
    engines: dict[str, TtsEngine] = {"piper": PiperEngine(ctx), "kokoro": KokoroEngine(ctx)}
    for e in engines.values():
        e.load()
    bases = [BaseVoiceSetting(engine="piper", voice="en_US-joe-medium")]
    cloner = ConversionCloneEngine(ConversionCloneSettings(base_voices=bases), engines.__getitem__)
    cloner.load()
    sample = engines["kokoro"].synthesize(SAMPLE_TEXT, "jf_alpha", "en-US", 1.0)
    t0 = time.perf_counter()
    cloner.bases()  # base voices are measured once, on first use
    calibrate_s = time.perf_counter() - t0
    median, p95, results = timed(lambda: cloner.analyse(sample), REPEAT)
    profile = results[0]
    rows = [
        BenchRow("clone", "voice-conversion", f"analyse {sample.duration:.1f} s sample",
                 calibrate_s, median, p95, median / sample.duration, peak_rss_mb()),
    ]  # fmt: skip
    median, p95, results = timed(
        lambda: cloner.synthesize(SENTENCE, profile, "en-US", 1.0),  # type: ignore[arg-type]
        REPEAT,
    )
    audio = results[0]
    assert isinstance(audio, Audio)
    rows.append(
        BenchRow(
            "clone",
            "voice-conversion",
            "22-word sentence, piper joe base",
            calibrate_s,
            median,
            p95,
            median / audio.duration,
            peak_rss_mb(),
        )
    )
    for e in engines.values():
        e.unload()
    return rows


def run() -> list[BenchRow]:
    rows: list[BenchRow] = []
    with tempfile.TemporaryDirectory() as cache:
        rows += _clone_rows(EngineContext(cache_dir=Path(cache), threads=2))
    sound = ProceduralSoundEngine()
    t0 = time.perf_counter()
    sound.load()
    load_s = time.perf_counter() - t0
    for prompt in SOUND_PROMPTS:
        median, p95, results = timed(lambda p=prompt: sound.generate(p, 10.0, 1), REPEAT)  # type: ignore[misc]
        result = results[0]
        assert isinstance(result, SoundResult)
        rows.append(BenchRow("sound", "procedural-sound", f"10 s: {prompt}", load_s, median,
                             p95, median / result.audio.duration, peak_rss_mb()))  # fmt: skip
    music = AlgorithmicMusicEngine()
    t0 = time.perf_counter()
    music.load()
    load_s = time.perf_counter() - t0
    for prompt in MUSIC_PROMPTS:
        median, p95, results = timed(lambda p=prompt: music.compose(p, 30.0, 1), REPEAT)  # type: ignore[misc]
        piece = results[0]
        assert isinstance(piece, MusicResult)
        rows.append(BenchRow("music", "algorithmic-music", f"30 s: {prompt}", load_s, median,
                             p95, median / piece.audio.duration, peak_rss_mb()))  # fmt: skip
    return rows


if __name__ == "__main__":
    print_table(run())
