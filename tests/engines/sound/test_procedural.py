"""The offline procedural sound engine: every sound kind of the documented vocabulary renders
audible audio of the asked length that differs from every other kind; modifiers do what
they say; unknown prompts are explained; a seed reproduces a sound exactly."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engines.sound.measure import RMS_FLOOR, centroid, rms, spectral_distance
from seesay.engines.base import SoundEngine, SoundResult
from seesay.engines.sound.procedural import ProceduralSoundEngine
from seesay.engines.sound.vocabulary import KINDS, MODIFIERS, parse_prompt
from seesay.errors import InvalidRequest

SECONDS = 2.5


@pytest.fixture(scope="module")
def engine() -> ProceduralSoundEngine:
    e = ProceduralSoundEngine()
    e.load()
    return e


@pytest.fixture(scope="module")
def every_kind(engine: ProceduralSoundEngine) -> dict[str, SoundResult]:
    return {kind: engine.generate(f"the sound of {kind}", SECONDS, 7) for kind in KINDS}


def test_is_a_sound_engine(engine: ProceduralSoundEngine) -> None:
    assert isinstance(engine, SoundEngine)
    assert engine.info.local
    assert engine.info.task == "sound"
    assert set(engine.info.extra["vocabulary"]["sounds"]) == set(KINDS)


def test_vocabulary_has_the_documented_kinds() -> None:
    documented = {"rain", "wind", "waves", "fire", "thunder", "footsteps", "door", "knock",
                  "bell", "beep", "alarm", "siren", "explosion", "applause", "whoosh", "click",
                  "birds", "engine", "crowd"}  # fmt: skip
    assert documented <= set(KINDS)
    assert {"distant", "close", "heavy", "light", "short", "long", "slow", "fast", "loud",
            "soft", "muffled"} <= set(MODIFIERS)  # fmt: skip


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_audible_and_of_the_asked_length(
    kind: str, every_kind: dict[str, SoundResult]
) -> None:
    result = every_kind[kind]
    audio = result.audio
    assert audio.samples.dtype == np.float32
    assert len(audio.samples) == round(SECONDS * audio.sample_rate)
    assert audio.duration == pytest.approx(SECONDS)
    assert rms(audio) > RMS_FLOOR, f"{kind} is silent"
    assert np.max(np.abs(audio.samples)) <= 0.9  # never clips
    assert kind in result.understood
    assert result.ignored == ()  # "the sound of" are function words


def test_every_kind_sounds_different_from_every_other(every_kind: dict[str, SoundResult]) -> None:
    too_close = []
    for a, b in itertools.combinations(every_kind, 2):
        d = spectral_distance(every_kind[a].audio, every_kind[b].audio)
        same = np.allclose(every_kind[a].audio.samples, every_kind[b].audio.samples)
        if d < 1.0 or same:
            too_close.append((a, b, round(d, 2)))
    assert not too_close


def test_same_seed_same_sound_other_seed_other_sound(engine: ProceduralSoundEngine) -> None:
    a = engine.generate("heavy rain with distant thunder", 2.0, 42).audio.samples
    b = engine.generate("heavy rain with distant thunder", 2.0, 42).audio.samples
    c = engine.generate("heavy rain with distant thunder", 2.0, 43).audio.samples
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_layers_mix_and_modifiers_shape(engine: ProceduralSoundEngine) -> None:
    rain = engine.generate("rain", 2.0, 1)
    both = engine.generate("rain and birds", 2.0, 1)
    assert both.understood == ("rain", "birds")
    assert spectral_distance(rain.audio, both.audio) > 1.0
    near = engine.generate("explosion", 2.0, 1).audio
    far = engine.generate("distant explosion", 2.0, 1).audio
    assert rms(far) < rms(near) / 2  # quieter
    assert centroid(far) < centroid(near)  # duller
    clear = engine.generate("siren", 2.0, 1).audio
    muffled = engine.generate("muffled siren", 2.0, 1).audio
    assert centroid(muffled) < centroid(clear) * 0.8
    light = engine.generate("light applause", 2.0, 1).audio
    heavy = engine.generate("heavy applause", 2.0, 1).audio
    assert rms(heavy) > rms(light)


def test_modifiers_stay_in_their_clause() -> None:
    parsed = parse_prompt("heavy rain and distant thunder")
    shapes = {layer.kind: layer.shape for layer in parsed.layers}
    assert shapes["rain"].density > 1
    assert shapes["rain"].reverb_wet == 0
    assert shapes["thunder"].gain_db < 0
    assert shapes["thunder"].density == 1
    everywhere = parse_prompt("rain, thunder, all far away")
    assert all(layer.shape.gain_db < 0 for layer in everywhere.layers)
    assert [layer.kind for layer in parse_prompt("a fire alarm").layers] == ["alarm"]
    assert {layer.kind for layer in parse_prompt("a storm").layers} == {"thunder", "rain", "wind"}


def test_partly_understood_prompt_says_what_it_ignored(engine: ProceduralSoundEngine) -> None:
    result = engine.generate("a purple dragon breathing fire", 1.0, 3)
    assert result.understood == ("fire",)
    assert result.ignored == ("purple", "dragon", "breathing")


def test_unknown_prompt_is_an_invalid_request_listing_the_vocabulary(
    engine: ProceduralSoundEngine,
) -> None:
    with pytest.raises(InvalidRequest) as err:
        engine.generate("a purple dragon", 1.0, 3)
    assert err.value.param == "prompt"
    assert err.value.details["ignored"] == ["purple", "dragon"]
    assert "rain" in err.value.details["vocabulary"]["sounds"]
    assert "rain" in err.value.message
    with pytest.raises(InvalidRequest, match="understood only: distant"):
        engine.generate("something distant", 1.0, 3)


@pytest.mark.parametrize("seconds", [0.0, -1.0, 31.0, float("nan")])
def test_duration_out_of_range(engine: ProceduralSoundEngine, seconds: float) -> None:
    with pytest.raises(InvalidRequest) as err:
        engine.generate("rain", seconds, 1)
    assert err.value.param == "duration_seconds"


def test_no_seed_draws_one(engine: ProceduralSoundEngine) -> None:
    a = engine.generate("wind", 1.0, None).audio.samples
    b = engine.generate("wind", 1.0, None).audio.samples
    assert not np.array_equal(a, b)
