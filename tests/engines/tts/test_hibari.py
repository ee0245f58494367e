"""hibari: the bundled heart voice, reproducible audio, and voices an operator copies in, which
are offered by size and loaded only when their SHA-256 matches hibari's registry."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from seesay.engines.base import EngineContext
from seesay.engines.tts import build
from seesay.engines.tts.hibari import HibariEngine, HibariVoiceFile, find_voices
from seesay.engines.tts.settings import TtsSettings
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage

pytestmark = pytest.mark.slow


def _heart() -> HibariVoiceFile:
    (heart,) = (v for v in find_voices(None) if v.name == "heart")
    return heart


def test_heart_ships_in_the_wheel_as_a_natural_us_english_female_voice(
    hibari: HibariEngine,
) -> None:
    (voice,) = hibari.info.voices
    assert (voice.id, voice.language, voice.gender) == ("hibari-heart", "en-US", "female")
    assert voice.sample_rate == 24_000
    assert hibari.info.extra["quality"] == {"en-US": "natural"}
    assert hibari.info.licence.startswith("Apache-2.0")


def test_the_same_request_gives_the_same_audio(hibari: HibariEngine) -> None:
    text = "A red bicycle leans against the wall. The sun is low."
    first = hibari.synthesize(text, "hibari-heart", "en", 1.0)
    again = hibari.synthesize(text, "hibari-heart", "en", 1.0)
    other = hibari.synthesize("A blue bicycle leans against the wall.", "hibari-heart", "en", 1.0)
    assert np.array_equal(first.samples, again.samples)
    assert not np.array_equal(first.samples[: len(other.samples)], other.samples)
    loud = first.samples[np.abs(first.samples) > 0.003]
    rms_dbfs = 20 * np.log10(np.sqrt(np.mean(loud**2)))
    assert -22 < rms_dbfs < -16  # as loud as Piper and Kokoro (about -19 dBFS)
    assert float(np.abs(first.samples).max()) <= 0.9  # headroom for lossy encoders


def test_only_english_is_spoken(hibari: HibariEngine) -> None:
    with pytest.raises(UnsupportedLanguage) as refused:
        hibari.synthesize("Bonjour.", "hibari-heart", "fr", 1.0)
    assert refused.value.details["supported"] == ["en-US"]


def test_a_voice_file_copied_in_is_offered_and_a_damaged_one_refused(tmp_path: Path) -> None:
    # emma's registry entry has the size of heart's file: a copy of heart poses as emma,
    # offered by size, then refused on load because its SHA-256 is not emma's.
    shutil.copy(_heart().path, tmp_path / "bf_emma.int8.onnx")
    (tmp_path / "bf_fable.int8.onnx").write_bytes(b"truncated download")
    settings = TtsSettings(engines=["hibari"], hibari={"voices_dir": tmp_path})
    (engine,) = build(settings, EngineContext(tmp_path))
    ids = [v.id for v in engine.info.voices]
    assert ids == ["hibari-heart", "hibari-emma"]  # the truncated fable file is not offered
    assert set(engine.info.languages) == {"en-US", "en-GB"}
    with pytest.raises(EngineError, match="SHA-256"):
        engine.load()


def test_a_verified_british_voice_speaks_with_british_rules(tmp_path: Path) -> None:
    # The test's own voice file: heart's model, registered under a British entry whose
    # checksum is the copy's, exercising the non-bundled load path end to end.
    copy = tmp_path / "british.onnx"
    shutil.copy(_heart().path, copy)
    british = dataclasses.replace(
        _heart(),
        name="testvoice",
        path=copy,
        language="en-GB",
        british=True,
        bundled=False,
        sha256=hashlib.sha256(copy.read_bytes()).hexdigest(),
    )
    engine = HibariEngine(EngineContext(tmp_path), (_heart(), british))
    engine.load()
    try:
        audio = engine.synthesize("The tomato is on the table.", "hibari-testvoice", "en-GB", 1.0)
        assert audio.duration > 1.0
        assert engine.check("hibari-testvoice", "en")[1] == "en-GB"
    finally:
        engine.unload()


def test_without_voices_it_names_the_extra(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match=r"seesay\[tts\]"):
        HibariEngine(EngineContext(tmp_path), ()).load()
