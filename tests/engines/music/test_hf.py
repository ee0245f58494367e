"""The in-process MusicGen-family engine (music and sound effects) on a tiny model built and
saved in the test: real ``from_pretrained`` loading, real sampling and codec decoding."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engines.music.tiny_musicgen import SAMPLE_RATE, build_tiny_musicgen
from seesay.engines.base import EngineContext, MusicEngine, SoundEngine, Task
from seesay.engines.music.hf import HfMusicEngine, HfSoundEngine
from seesay.engines.registry import build_registry
from seesay.engines.settings import EnginesSettings
from seesay.engines.sound.settings import HfAudioSettings
from seesay.errors import EngineUnavailable, InvalidRequest

SECONDS = 0.6  # 60 codec frames: enough to check length, quick on a random model


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_musicgen(tmp_path_factory.mktemp("tiny-musicgen"))


@pytest.fixture(scope="module")
def music(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> HfMusicEngine:
    ctx = EngineContext(cache_dir=tmp_path_factory.mktemp("cache"), threads=1)
    engine = HfMusicEngine(HfAudioSettings(model_path=str(model_dir), name="hf-music"), ctx)
    engine.load()
    return engine


def test_composes_the_asked_duration_deterministically(music: HfMusicEngine) -> None:
    assert isinstance(music, MusicEngine)
    a = music.compose("calm piano music", SECONDS, 3)
    assert a.audio.sample_rate == SAMPLE_RATE
    assert len(a.audio.samples) == round(SECONDS * SAMPLE_RATE)
    assert float(np.std(a.audio.samples)) > 0.005  # it varies: not silence, not a constant
    assert np.max(np.abs(a.audio.samples)) <= 0.99
    assert a.plan["seed"] == 3
    assert a.plan["engine"] == "hf-music"
    again = music.compose("calm piano music", SECONDS, 3)
    assert np.array_equal(a.audio.samples, again.audio.samples)
    other = music.compose("calm piano music", SECONDS, 4)
    assert not np.allclose(a.audio.samples, other.audio.samples)


def test_sound_engine_over_the_same_model(model_dir: Path, tmp_path: Path) -> None:
    engine = HfSoundEngine(
        HfAudioSettings(model_path=str(model_dir), name="hf-sfx"), EngineContext(tmp_path, 1)
    )
    assert isinstance(engine, SoundEngine)
    engine.load()
    result = engine.generate("rain with drums", SECONDS, 1)
    assert len(result.audio.samples) == round(SECONDS * SAMPLE_RATE)
    assert result.understood == ("rain", "with", "drums")
    with pytest.raises(InvalidRequest):
        engine.generate("  ", SECONDS, 1)
    with pytest.raises(InvalidRequest):
        engine.generate("rain", 99.0, 1)
    engine.unload()
    with pytest.raises(EngineUnavailable):
        engine.generate("rain", SECONDS, 1)


def test_missing_or_wrong_model_folder(tmp_path: Path) -> None:
    ctx = EngineContext(tmp_path)
    with pytest.raises(EngineUnavailable, match="model_path"):
        HfMusicEngine(HfAudioSettings(), ctx).load()
    with pytest.raises(EngineUnavailable, match="could not load"):
        HfMusicEngine(HfAudioSettings(model_path=str(tmp_path / "none")), ctx).load()


def test_configured_through_settings(model_dir: Path, tmp_path: Path) -> None:
    settings = EnginesSettings.model_validate({
        "sound": {"engines": ["procedural", "hf"], "hf": {"model_path": str(model_dir)}},
        "music": {"engines": ["hf", "algorithmic"], "hf": {"model_path": str(model_dir)}},
    })  # fmt: skip
    registry = build_registry(settings, EngineContext(tmp_path))
    assert registry.names(Task.SOUND) == ["procedural-sound", "hf-audio"]
    assert registry.names(Task.MUSIC) == ["hf-music", "algorithmic-music"]
    assert registry.music().info.model == str(model_dir)
