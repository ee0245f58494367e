"""The offline algorithmic music engine: prompts become plans (tempo, key, mode, genre,
instruments), plans become audible music of the asked length that differs between prompts,
and a seed reproduces a piece exactly."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engines.sound.measure import RMS_FLOOR, rms, spectral_distance
from seesay.engines.base import MusicEngine, MusicResult
from seesay.engines.music.algorithmic import AlgorithmicMusicEngine
from seesay.engines.music.plan import GENRES, make_plan
from seesay.errors import InvalidRequest

PROMPTS = (
    "calm ambient pads",
    "upbeat rock with guitar and drums",
    "sad piano in D minor at 70 bpm",
    "smooth jazz",
    "energetic electronic dance track",
    "happy folk waltz without drums",
)
SECONDS = 6.0


@pytest.fixture(scope="module")
def engine() -> AlgorithmicMusicEngine:
    e = AlgorithmicMusicEngine()
    e.load()
    return e


@pytest.fixture(scope="module")
def pieces(engine: AlgorithmicMusicEngine) -> dict[str, MusicResult]:
    return {p: engine.compose(p, SECONDS, 5) for p in PROMPTS}


def test_is_a_music_engine(engine: AlgorithmicMusicEngine) -> None:
    assert isinstance(engine, MusicEngine)
    assert set(engine.info.extra["genres"]) >= {"ambient", "lofi", "rock", "jazz", "classical",
                                                "electronic", "folk"}  # fmt: skip


@pytest.mark.parametrize("prompt", PROMPTS)
def test_each_prompt_is_audible_music_of_the_asked_length(
    prompt: str, pieces: dict[str, MusicResult]
) -> None:
    audio = pieces[prompt].audio
    assert len(audio.samples) == round(SECONDS * audio.sample_rate)
    assert rms(audio) > RMS_FLOOR
    assert np.max(np.abs(audio.samples)) <= 0.9


def test_prompts_sound_different(pieces: dict[str, MusicResult]) -> None:
    for a, b in itertools.combinations(PROMPTS, 2):
        assert spectral_distance(pieces[a].audio, pieces[b].audio) > 1.0, (a, b)


def test_the_plan_follows_the_prompt(pieces: dict[str, MusicResult]) -> None:
    sad = pieces["sad piano in D minor at 70 bpm"].plan
    assert (sad["tempo"], sad["key"], sad["mode"], sad["instruments"]) == (
        70, "D minor", "minor", ["piano"]
    )  # fmt: skip
    rock = pieces["upbeat rock with guitar and drums"].plan
    assert rock["genre"] == "rock"
    assert rock["tempo"] > 120
    assert rock["instruments"] == ["guitar", "drums"]
    folk = pieces["happy folk waltz without drums"].plan
    assert folk["time_signature"] == "3/4"
    assert "drums" not in folk["instruments"]
    assert folk["mode"] == "major"
    assert pieces["smooth jazz"].plan["genre"] == "jazz"
    for result in pieces.values():
        assert result.plan["seed"] == 5
        assert result.plan["engine"] == "algorithmic-music"


def test_mood_and_tempo_words() -> None:
    assert make_plan("dark mysterious theme", 1).mode == "minor"
    assert make_plan("bright happy tune", 1).mode == "major"
    assert make_plan("fast pop", 1).tempo > make_plan("slow pop", 1).tempo
    assert make_plan("key of F# major", 1).key == "F# major"
    assert make_plan("Bb minor lofi", 1).key == "Bb minor"
    # "in a bright mood" names no key: "a" there is an article.
    assert "in a" not in make_plan("pop in a bright mood", 1).understood
    for genre in GENRES:
        assert make_plan(f"some {genre}", 1).genre == genre


def test_same_seed_same_music(engine: AlgorithmicMusicEngine) -> None:
    a = engine.compose("lofi beats", 3.0, 9).audio.samples
    b = engine.compose("lofi beats", 3.0, 9).audio.samples
    c = engine.compose("lofi beats", 3.0, 10).audio.samples
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_bad_requests(engine: AlgorithmicMusicEngine) -> None:
    with pytest.raises(InvalidRequest) as err:
        engine.compose("   ", 5.0, 1)
    assert err.value.param == "prompt"
    with pytest.raises(InvalidRequest) as err:
        engine.compose("jazz", 0.5, 1)
    assert err.value.param == "duration_seconds"
