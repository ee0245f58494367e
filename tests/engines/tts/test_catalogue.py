"""The voice catalogue: spec voice names, the documented fallback order, language matching.

Built from the real engines' EngineInfo (constructed, not loaded: the catalogue needs no model).
"""

from __future__ import annotations

import dataclasses

import pytest

from seesay.engines.base import EngineContext
from seesay.engines.tts import build
from seesay.engines.tts.catalogue import ALIASES, VoiceCatalogue
from seesay.engines.tts.settings import OpenAITtsSettings, TtsSettings
from seesay.errors import UnknownVoice, UnsupportedLanguage


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> EngineContext:
    return EngineContext(cache_dir=tmp_path_factory.mktemp("cache"))


def catalogue(ctx: EngineContext, **settings: object) -> VoiceCatalogue:
    return VoiceCatalogue([e.info for e in build(TtsSettings.model_validate(settings), ctx)])


@pytest.fixture(scope="module")
def default(ctx: EngineContext) -> VoiceCatalogue:
    return catalogue(ctx)


def test_every_voice_is_described(default: VoiceCatalogue) -> None:
    voices = default.voices()
    engines = {v.engine for v in voices}
    assert engines == {"hibari", "piper", "kokoro", "espeak"}
    for v in voices:
        assert v.id
        assert v.name
        assert v.language
        assert v.sample_rate > 0
        assert v.gender in ("female", "male", "neutral")
    assert {"en-US", "ja", "es", "de", "pt-BR", "hi"} <= set(default.languages())


@pytest.mark.parametrize(
    ("voice", "language", "engine", "voice_id"),
    [
        ("eve", "en", "hibari", "hibari-heart"),
        ("ara", "en", "hibari", "hibari-heart"),  # the only natural female English voice
        ("rex", "en-US", "piper", "en_US-joe-medium"),
        ("leo", "en", "piper", "en_US-joe-medium"),
        ("sal", "en", "piper", "en_US-joe-medium"),
        ("eve", "ja", "kokoro", "jf_alpha"),
        ("ara", "ja", "kokoro", "jf_gongitsune"),  # distinct where two equal voices exist
        ("rex", "ja", "kokoro", "jm_kumo"),
        ("eve", "de", "espeak", "espeak-de-female"),
        ("rex", "de-AT", "espeak", "espeak-de"),
        ("af_sarah", "en", "hibari", "hibari-heart"),
        ("am_adam", "en", "piper", "en_US-joe-medium"),
        ("if_sara", "it", "espeak", "espeak-it-female"),
        ("nova", "en", "hibari", "hibari-heart"),
        ("onyx", "en", "piper", "en_US-joe-medium"),
        ("EVE", "en", "hibari", "hibari-heart"),
        (None, "en", "hibari", "hibari-heart"),
        ("eve", "en-GB", "hibari", "hibari-heart"),  # en-GB ~ en-US
        ("", "ja", "kokoro", "jf_alpha"),
        (None, "es", "kokoro", "jf_alpha"),
        ("rex", "pt-BR", "espeak", "espeak-pt-BR"),  # exact tag before the pt-PT voice
        ("rex", "pt", "espeak", "espeak-pt"),
    ],
)
def test_spec_names_resolve_to_real_voices(
    default: VoiceCatalogue, voice: str | None, language: str, engine: str, voice_id: str
) -> None:
    r = default.resolve(voice, language)
    assert (r.engine, r.voice_id) == (engine, voice_id)
    assert not r.fell_back
    assert r.voice.id == voice_id


def test_every_alias_resolves_in_english(default: VoiceCatalogue) -> None:
    for name, alias in ALIASES.items():
        r = default.resolve(name, "en")
        assert r.engine != "espeak", "espeak's robotic English is never an English default"
        assert r.voice.gender == alias.gender


def test_a_real_voice_in_its_language_speaks(default: VoiceCatalogue) -> None:
    r = default.resolve("jm_kumo", "ja-JP")
    assert (r.voice_id, r.language, r.fell_back) == ("jm_kumo", "ja-JP", False)
    r = default.resolve("espeak-en-US", "en")
    assert (r.voice_id, r.fell_back) == ("espeak-en-US", False)
    assert default.resolve("jf_alpha", "en-US").voice_id == "jf_alpha"


def test_fallback_keeps_the_gender_first(default: VoiceCatalogue) -> None:
    r = default.resolve("en_US-joe-medium", "ja")  # male piper voice, no Japanese piper
    assert (r.voice_id, r.fell_back) == ("jm_kumo", True)
    assert "en_US-joe-medium does not speak ja" in r.reason
    r = default.resolve("jf_alpha", "de")  # kokoro has no German: espeak's female German
    assert (r.voice_id, r.fell_back) == ("espeak-de-female", True)
    r = default.resolve("jm_kumo", "en")  # kumo speaks no English: the male English voice
    assert (r.voice_id, r.fell_back) == ("en_US-joe-medium", True)


def test_fallback_to_the_same_engine_before_the_other_gender(ctx: EngineContext) -> None:
    # Without espeak, German has no voice at all; with piper only, English has no female.
    only_piper = catalogue(ctx, engines=["piper"])
    r = only_piper.resolve("eve", "en")
    assert (r.voice_id, r.fell_back) == ("en_US-joe-medium", True)
    assert "no female voice speaks en" in r.reason
    kokoro_only = catalogue(ctx, engines=["kokoro"])
    r = kokoro_only.resolve("jm_kumo", "en")  # same engine, other gender
    assert (r.voice_id, r.fell_back) == ("jf_alpha", True)


def test_unknown_voice(default: VoiceCatalogue) -> None:
    with pytest.raises(UnknownVoice) as err:
        default.resolve("zz_nobody", "en")
    assert err.value.param == "voice"


@pytest.mark.parametrize("language", ["tlh", "xx-!!", "auto", ""])
def test_a_language_nobody_speaks(default: VoiceCatalogue, language: str) -> None:
    with pytest.raises(UnsupportedLanguage) as err:
        default.resolve("eve", language)
    supported = err.value.details["supported"]
    assert "en-US" in supported
    assert "ja" in supported
    assert err.value.param == "language"


def test_a_remote_any_language_engine(ctx: EngineContext) -> None:
    cat = catalogue(
        ctx,
        engines=["openai", "piper", "espeak"],
        openai=OpenAITtsSettings(base_url="http://127.0.0.1:9/v1").model_dump(),
    )
    r = cat.resolve("nova", "fr")  # a real remote voice, which speaks any language
    assert (r.engine, r.voice_id, r.fell_back) == ("openai-tts", "nova", False)
    assert cat.resolve("eve", "sw").engine == "openai-tts"
    # A language no local engine lists is still speakable through the remote engine.
    assert cat.resolve(None, "tlh").engine == "openai-tts"


def test_a_voice_its_engine_cannot_open_is_listed_apart(ctx: EngineContext) -> None:
    infos = [e.info for e in build(TtsSettings(), ctx)]
    why = "the Piper voice en_US-joe-medium cannot be loaded (test)"
    broken = [
        dataclasses.replace(i, extra={**i.extra, "unavailable_voices": {"en_US-joe-medium": why}})
        if i.name == "piper"
        else i
        for i in infos
    ]
    whole, cat = VoiceCatalogue(infos), VoiceCatalogue(broken)
    # Nothing unavailable: asking for the unavailable ones adds nothing.
    assert whole.candidates("en", unavailable=True) == whole.candidates("en")
    assert whole.available_voices() == whole.voices()

    joe = cat.voice("en_US-joe-medium")
    assert joe is not None
    assert cat.load_error(joe) == why
    assert joe in cat.voices()
    assert joe not in cat.available_voices()
    assert joe not in cat.candidates("en")
    assert cat.candidates("en", unavailable=True) == [*cat.candidates("en"), joe]
    assert joe not in cat.candidates("ja", unavailable=True)  # of its language only
    r = cat.resolve("en_US-joe-medium", "en")
    assert r.fell_back
    assert r.reason.startswith("en_US-joe-medium cannot be loaded; ")
