"""What Whisper's hallucination guards cost and save on audio that makes it run away.

Rows: noise, music (chords) and a looping clip (one phrase spoken 15 times), each through
tiny.en (English) and base (language detected, word timestamps), with the VAD off so the
decoder sees everything; once with SeeSay's guards (``WhisperSettings`` defaults) and once
with faster-whisper's own defaults (six fallback temperatures, no token, window or length
caps). Columns: wall seconds, CPU seconds of this process, characters and segments out.

Run: ``python -m bench.whisper_guards``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from engines.stt.helpers import chords, looping_phrase, noise
from seesay.engines.base import Audio, EngineContext
from seesay.engines.stt.settings import WhisperSettings
from seesay.engines.stt.whisper import WhisperEngine

RATE = 16_000
UNGUARDED = {
    "temperatures": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
    "hallucination_silence_threshold": None,
    "max_tokens_per_second": 1000.0,  # capped at the decoder's context: no cap of ours
    "max_chars_per_second": 1e9,
}


def main() -> None:
    clips = {
        "noise 20 s": Audio(noise(20.0, RATE), RATE),
        "music 20 s": Audio(chords(20.0, RATE), RATE),
        "looping phrase": Audio(looping_phrase("Open the door.", 15, RATE), RATE),
    }
    ctx = EngineContext(cache_dir=Path(tempfile.gettempdir()) / "seesay-bench-models", threads=2)
    engines = {
        "guarded": WhisperEngine(WhisperSettings(vad=False), ctx),
        "faster-whisper defaults": WhisperEngine(WhisperSettings(vad=False, **UNGUARDED), ctx),
    }
    for engine in engines.values():
        engine.load()
    print("| clip | model | settings | wall | cpu | chars | segments |")
    print("|---|---|---|---|---|---|---|")
    for clip, audio in clips.items():
        for model, language in (("tiny.en", "en"), ("base, detected", None)):
            for name, engine in engines.items():
                wall, cpu = time.perf_counter(), time.process_time()
                out = engine.transcribe(audio, language, word_timestamps=language is None)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                print(
                    f"| {clip} ({audio.duration:.1f} s) | {model} | {name} | {wall:.2f} s "
                    f"| {cpu:.2f} s | {len(out.text)} | {len(out.segments)} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
