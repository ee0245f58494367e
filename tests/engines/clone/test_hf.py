"""The in-process neural cloner (SpeechT5 + HiFi-GAN + x-vector speaker encoder) on tiny
random models built and saved in the test: real loading, embedding and generation code."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engines.clone.tiny_speecht5 import EMBEDDING_DIM, SAMPLE_RATE, build_tiny_speecht5
from seesay.engines.base import Audio, CloneEngine, EngineContext, VoiceProfile
from seesay.engines.clone.hf import HfCloneEngine, stats_embedding
from seesay.engines.clone.settings import HfCloneSettings
from seesay.errors import EngineUnavailable, InvalidAudio, InvalidRequest, UnsupportedLanguage


def voice(hz: float, seconds: float = 1.5) -> Audio:
    """A buzzy vowel-like sample: harmonics of ``hz`` with a little noise."""
    rate = 16_000
    t = np.arange(round(seconds * rate)) / rate
    x = sum(np.sin(2 * np.pi * hz * k * t) / k for k in range(1, 12))
    x += 0.01 * np.random.default_rng(0).standard_normal(len(t))
    return Audio((0.3 * x / np.max(np.abs(x))).astype(np.float32), rate)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_tiny_speecht5(tmp_path_factory.mktemp("tiny-speecht5"))


def make(folders: dict[str, Path], *, encoder: bool, tmp: Path) -> HfCloneEngine:
    settings = HfCloneSettings(
        model_path=str(folders["tts"]),
        vocoder_path=str(folders["vocoder"]),
        speaker_encoder_path=str(folders["xvector"]) if encoder else "",
        max_new_frames=60,
    )
    engine = HfCloneEngine(settings, EngineContext(cache_dir=tmp, threads=1))
    engine.load()
    return engine


@pytest.fixture(scope="module")
def engine(folders: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> HfCloneEngine:
    return make(folders, encoder=True, tmp=tmp_path_factory.mktemp("cache"))


def test_clone_and_speak_with_an_xvector_encoder(engine: HfCloneEngine) -> None:
    assert isinstance(engine, CloneEngine)
    low, high = engine.analyse(voice(110)), engine.analyse(voice(240))
    assert low.data["embedding"] == "x-vector"
    assert "neural" in low.method
    vector = np.asarray(low.data["speaker_embedding"])
    assert vector.shape == (EMBEDDING_DIM,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-4)
    assert not np.allclose(vector, high.data["speaker_embedding"])
    stored = VoiceProfile.from_json(json.loads(json.dumps(low.to_json())))
    a = engine.synthesize("hello world", stored, "en-US", 1.0)
    assert a.sample_rate == SAMPLE_RATE
    assert a.duration > 0.01
    assert np.all(np.isfinite(a.samples))
    # Same request, same audio; another voice, other audio.
    assert np.array_equal(a.samples, engine.synthesize("hello world", stored, "en", 1.0).samples)
    b = engine.synthesize("hello world", high, "en", 1.0)
    assert len(a.samples) != len(b.samples) or not np.array_equal(a.samples, b.samples)
    assert np.any(a.samples != 0)  # random weights: a faint signal, but a signal


def test_speed_changes_the_length(engine: HfCloneEngine) -> None:
    profile = engine.analyse(voice(150))
    normal = engine.synthesize("the quick brown fox", profile, "en", 1.0)
    fast = engine.synthesize("the quick brown fox", profile, "en", 2.0)
    assert len(normal.samples) > 20 * 256  # frames of 256 samples, up to the 60-frame cap
    assert len(fast.samples) < 0.6 * len(normal.samples)


def test_statistics_embedding_without_an_encoder(folders: dict[str, Path], tmp_path: Path) -> None:
    engine = make(folders, encoder=False, tmp=tmp_path)
    profile = engine.analyse(voice(200))
    assert profile.data["embedding"] == "log-mel statistics"
    assert len(profile.data["speaker_embedding"]) == EMBEDDING_DIM
    assert engine.synthesize("hello", profile, "en", 1.0).duration > 0
    same = stats_embedding(voice(200).samples, EMBEDDING_DIM)
    assert np.allclose(same, profile.data["speaker_embedding"], atol=1e-5)
    assert not np.allclose(same, stats_embedding(voice(120).samples, EMBEDDING_DIM))


def test_refusals(engine: HfCloneEngine, folders: dict[str, Path], tmp_path: Path) -> None:
    profile = engine.analyse(voice(150))
    with pytest.raises(UnsupportedLanguage):
        engine.synthesize("hola", profile, "es", 1.0)
    with pytest.raises(InvalidRequest):
        engine.synthesize("hello", profile, "en", 3.0)
    with pytest.raises(InvalidAudio):
        engine.analyse(Audio(np.zeros(4000, np.float32), 16_000))
    short = VoiceProfile.from_json({**profile.to_json(), "data": {"speaker_embedding": [0.1]}})
    with pytest.raises(InvalidRequest, match="does not fit"):
        engine.synthesize("hello", short, "en", 1.0)
    with pytest.raises(EngineUnavailable, match="model_path"):
        HfCloneEngine(HfCloneSettings(), EngineContext(tmp_path)).load()
