"""A damaged Piper voice (a pulled file cut short) is refused in its own terms and does not
silence the voices that are fine."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from seesay.engines.base import EngineContext
from seesay.engines.tts.piper import PiperEngine, PiperVoiceFile, bundled_voice
from seesay.errors import EngineUnavailable


def test_a_damaged_voice_is_left_out_and_the_others_still_speak(tmp_path: Path) -> None:
    good = bundled_voice()
    assert good is not None
    broken_model = tmp_path / "es_ES-broken-medium.onnx"
    broken_model.write_bytes(good.model.read_bytes()[:4096])  # an interrupted copy
    broken_config = tmp_path / "es_ES-broken-medium.onnx.json"
    shutil.copy(good.config, broken_config)
    broken = PiperVoiceFile(broken_model, broken_config, gender="neutral", name="broken")
    engine = PiperEngine(EngineContext(tmp_path, threads=1), voices=(good, broken))

    engine.load()  # before: the damaged voice made load() raise, and the bundled one was lost
    audio = engine.synthesize("Hello there.", good.model.name.removesuffix(".onnx"), "en-US", 1.0)
    assert np.abs(audio.samples).max() > 0.05

    with pytest.raises(EngineUnavailable, match="cannot be loaded"):
        engine.synthesize("Hello.", "es_ES-broken-medium", "en-US", 1.0)


def test_when_every_voice_is_damaged_the_engine_is_unavailable(tmp_path: Path) -> None:
    good = bundled_voice()
    assert good is not None
    model = tmp_path / "en_US-cut-medium.onnx"
    model.write_bytes(b"not an onnx model")
    config = tmp_path / "en_US-cut-medium.onnx.json"
    shutil.copy(good.config, config)
    voice = PiperVoiceFile(model, config, gender="neutral", name="cut")
    engine = PiperEngine(EngineContext(tmp_path, threads=1), voices=(voice,))
    with pytest.raises(EngineUnavailable, match="cannot be loaded"):
        engine.load()
