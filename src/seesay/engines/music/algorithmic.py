"""The offline default music engine: algorithmic composition from the prompt.

No model: the prompt becomes a plan (``plan.py``: tempo, key, mode, mood, genre, instruments,
chord progression), the plan becomes a score (``compose.py``: chords, bass line, drum pattern,
a motif-based melody), and the score is rendered with synthesised instruments
(``instruments.py``). ``MusicResult.plan`` is the plan as JSON, including the seed, so a
caller can see why the music sounds as it does and reproduce it.

Deterministic: the same prompt, duration and seed give the same samples. Thread-safe: no
shared state.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from seesay.engines.base import Audio, MusicResult, Task
from seesay.engines.music.compose import render_plan
from seesay.engines.music.instruments import INSTRUMENTS
from seesay.engines.music.plan import GENRES, make_plan
from seesay.engines.music.settings import AlgorithmicMusicSettings
from seesay.engines.sound.common import (
    SynthesisEngine,
    check_duration,
    check_prompt,
    resolve_seed,
)

__all__ = ["ENGINE_NAME", "AlgorithmicMusicEngine"]

ENGINE_NAME: Final = "algorithmic-music"
MIN_SECONDS: Final = 1.0
MAX_PROMPT_CHARS: Final = 2000


class AlgorithmicMusicEngine(SynthesisEngine):
    """Music composed by rule and chance from a prompt; see the module docstring."""

    def __init__(self, settings: AlgorithmicMusicSettings | None = None) -> None:
        self._s = settings or AlgorithmicMusicSettings()
        super().__init__(
            ENGINE_NAME,
            Task.MUSIC,
            "algorithmic composition",
            "Algorithmic composition (chord progression, bass, drums, motif melody) from "
            "tempo, key, mood, genre and instrument words, rendered with synthesised "
            "instruments; deterministic for a seed",
            {
                "sample_rate": self._s.sample_rate,
                "max_seconds": self._s.max_seconds,
                "genres": list(GENRES),
                "instruments": [*INSTRUMENTS, "drums"],
            },
        )

    def compose(self, prompt: str, duration_seconds: float, seed: int | None) -> MusicResult:
        seconds = check_duration(duration_seconds, MIN_SECONDS, self._s.max_seconds)
        check_prompt(prompt, MAX_PROMPT_CHARS, "the music to compose")
        plan = make_plan(prompt, resolve_seed(seed))
        samples = render_plan(plan, seconds, self._s.sample_rate)
        return MusicResult(
            audio=Audio(samples.astype(np.float32), self._s.sample_rate),
            plan={**plan.as_dict(), "engine": ENGINE_NAME},
        )
