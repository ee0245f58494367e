"""Short English texts are spoken in English on every surface that speaks text, judged by
transcribing the audio back with the bundled Whisper; long, clearly foreign texts are still
spoken in their own language; an undecided short text follows the voice's language, then the
account's last language.

Before, lingua's guess on a handful of letters decided: "Open the door" was read by eSpeak's
Dutch voice, "Format test." by the Romanian one (heard back as "for math is"), "Bearer test."
was a 400 for Filipino, and a cloned voice refused "Format test." ('ro') and "Hi." ('mi').

Surfaces: native ``/v1/speech`` (catalogue voice and cloned voice), OpenAI
``/v1/audio/speech``, WebVoice ``tts/``, Voice Clone ``tts`` with a cloned voice, Vimmerse
``text-2-speech``. img2voice speaks the description of an image, never a caller's text, so it
has no text to get wrong.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.api import create_app
from seesay.engines import languages
from seesay.media.audio_decode import AudioLimits, decode_audio
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.clone_samples import CLONE_ENGINES, sample_bytes, spoken
from support.speech import assert_heard, spoken_words, wer

pytestmark = pytest.mark.slow

SHORT_ENGLISH = ["Open the door", "Format test.", "Bearer test.", "Hi."]
SPANISH = "Necesito ayuda con la contraseña de mi cuenta antes de las diez de la mañana."
VOICECLONE = "/compat/voiceclone/api/v1"
# The cloner says "Hi." in 0.3 s, which Whisper hears as "Hi.", "Bye." or "Right." from one
# synthesis to the next (6 of 8 right in one measurement, 0 of 3 in another): more tries.
# The test clone's only base voice speaks English alone, and the language the clone was
# given is checked on every try, so the tries cannot hide a wrong language.
CLONE_TRIES = 8
WEBVOICE = "/compat/webvoice/api/v1"
VIMMERSE = "/compat/vimmerse/v2/audio"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, TestClient]]:
    tmp: Path = tmp_path_factory.mktemp("short-text-language")
    settings = load_settings(data_dir=tmp, engines=CLONE_ENGINES)
    platform = Platform.build(settings)
    with TestClient(create_app(settings, platform=platform)) as client:
        yield platform, client
    platform.close()


@pytest.fixture(scope="module")
def clone_key(env: tuple[Platform, TestClient]) -> tuple[str, str]:
    """(key, voice id): an account with a voice cloned from an English sample."""
    platform, client = env
    key = make_key(platform, credits=20_000).key
    made = client.post(
        f"{VOICECLONE}/voice-clone",
        headers={"Authorization": f"Bearer {key}"},
        files={"voice": ("me.mp3", sample_bytes(spoken(platform), "mp3"))},
        data={"title": "Me", "consent": "true"},
    )
    assert made.status_code == 200, made.text
    return key, str(made.json()["voiceId"])


def _key(platform: Platform) -> str:
    return make_key(platform, credits=1000).key


def _get(client: TestClient, url: str) -> bytes:
    answer = client.get(url.replace("http://testserver", ""))
    assert answer.status_code == 200, answer.text
    return answer.content


def heard(platform: Platform, audio: bytes, language: str = "en") -> str:
    """What the bundled Whisper hears in ``audio``, listening for ``language``."""
    decoded = decode_audio(audio, AudioLimits(max_bytes=50_000_000, max_seconds=120))
    return platform.engines.stt().transcribe(decoded, language).text


# -- one call per surface: (the language it reports, if any; the audio) ----------------------


def native(client: TestClient, key: str, text: str, **extra: Any) -> tuple[str | None, bytes]:
    body = {"text": text, "language": "auto", **extra}
    r = client.post("/v1/speech", json=body, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200, r.text
    return r.json()["language"], _get(client, r.json()["audio_url"])


def openai(client: TestClient, key: str, text: str) -> tuple[str | None, bytes]:
    body = {"model": "tts-1", "input": text, "voice": "alloy", "response_format": "wav"}
    r = client.post("/v1/audio/speech", json=body, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200, r.text
    return None, r.content


def webvoice(client: TestClient, key: str, text: str, **extra: Any) -> tuple[str | None, bytes]:
    body = {"text": text, "voice": "af_sarah", "language": "auto", **extra}
    r = client.post(f"{WEBVOICE}/tts/", json=body, headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    return r.json()["language"], base64.b64decode(r.json()["audio"])


def vimmerse(client: TestClient, key: str, text: str) -> tuple[str | None, bytes]:
    r = client.post(f"{VIMMERSE}/text-2-speech", json={"prompt": text}, headers={"X-Api-Key": key})
    assert r.status_code == 200, r.text
    return r.json()["args"]["language"], _get(client, r.json()["results"][0])


def voiceclone(
    platform: Platform, client: TestClient, key: str, text: str, voice_id: str
) -> tuple[str, bytes]:
    """The spec reports no language, so the one the job was given is read from the job."""
    auth = {"Authorization": f"Bearer {key}"}
    r = client.post(f"{VOICECLONE}/tts", json={"text": text, "voiceId": voice_id}, headers=auth)
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + 120
    while True:
        speech = client.get(f"{VOICECLONE}/tts/{r.json()['speechId']}", headers=auth).json()
        status = speech["speech"]["status"]
        if status != "PROCESSING" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == "COMPLETED", speech
    job = platform.jobs.get(platform.accounts.authenticate(key), r.json()["speechId"])
    return str(job.payload["language"]), _get(client, speech["speech"]["audioUrl"])


def _english(language: str | None) -> None:
    assert language is None or languages.primary(language) == "en", language


def _letters(text: str) -> list[str]:
    return list("".join(spoken_words(text)))


def _heard_right(text: str, transcript: str) -> bool:
    """Whether ``transcript`` is ``text``: at most a quarter of its words wrong, except for
    "Bearer test.", which Whisper hears as "Bear our test.", "their test." or "There are
    tests." whichever English voice says it; it is judged on its letters (at most 60% wrong),
    which the Dutch and Romanian readings ("the top of the desk", "Now be with this.") miss
    by far (100% and more)."""
    if text == "Bearer test.":
        return wer(text, transcript, _letters) <= 0.6
    return wer(text, transcript) <= 0.25


def assert_spoken_in_english(
    platform: Platform,
    text: str,
    speak: Callable[[], tuple[str | None, bytes]],
    tries: int = 3,
    *,
    words: bool = True,
) -> None:
    """``speak()`` says ``text`` in English, as the bundled Whisper (listening for English)
    hears it; the reported language, where the surface reports one, is English every time.

    Piper, Kokoro and the cloner sample noise, so a one- or two-word text comes out a little
    differently each time and Whisper sometimes mishears it ("Bye." for a cloned "Hi."): it
    is spoken again, up to ``tries`` times. A wrong language does not pass by chance: eSpeak,
    which spoke the wrong languages, says a text the same way every time.

    With ``words=False`` only the language is judged: the reported language is English and the
    audio holds sound (the cloner's 0.3 s "Hi." is too short for Whisper to hear reliably).
    """
    heard_as = []
    for _ in range(tries):
        language, audio = speak()
        _english(language)
        if not words:
            decoded = decode_audio(audio, AudioLimits(max_bytes=50_000_000, max_seconds=120))
            assert decoded.duration > 0.1
            assert float(abs(decoded.samples).max()) > 0.05
            return
        transcript = heard(platform, audio)
        if _heard_right(text, transcript):
            return
        heard_as.append(transcript)
    if text != "Bearer test.":
        assert_heard(text, heard_as[-1])  # fails, saying what was heard
    raise AssertionError(f"heard {heard_as!r} for {text!r}")


def _hearable_in_a_clone(text: str) -> bool:
    """Whisper hears the cloner's one-word texts wrongly too often to judge them by words."""
    return len(text.split()) > 1


# -- short English ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_on_native_speech(env: tuple[Platform, TestClient], text: str) -> None:
    platform, client = env
    key = _key(platform)
    assert_spoken_in_english(platform, text, lambda: native(client, key, text))


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_on_openai_speech(env: tuple[Platform, TestClient], text: str) -> None:
    platform, client = env
    key = _key(platform)
    assert_spoken_in_english(platform, text, lambda: openai(client, key, text))


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_on_webvoice(env: tuple[Platform, TestClient], text: str) -> None:
    platform, client = env
    key = _key(platform)
    assert_spoken_in_english(platform, text, lambda: webvoice(client, key, text))
    # No voice, so no voice language either: the account's (none yet), then English.
    new = _key(platform)
    assert_spoken_in_english(platform, text, lambda: webvoice(client, new, text, voice=""))


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_on_vimmerse(env: tuple[Platform, TestClient], text: str) -> None:
    platform, client = env
    key = _key(platform)
    assert_spoken_in_english(platform, text, lambda: vimmerse(client, key, text))


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_in_a_cloned_voice_on_voiceclone(
    env: tuple[Platform, TestClient], clone_key: tuple[str, str], text: str
) -> None:
    platform, client = env
    key, voice_id = clone_key
    assert_spoken_in_english(
        platform,
        text,
        lambda: voiceclone(platform, client, key, text, voice_id),
        tries=CLONE_TRIES,
        words=_hearable_in_a_clone(text),
    )


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_in_a_cloned_voice_on_native_speech(
    env: tuple[Platform, TestClient], clone_key: tuple[str, str], text: str
) -> None:
    platform, client = env
    key, voice_id = clone_key
    assert_spoken_in_english(
        platform,
        text,
        lambda: native(client, key, text, voice=voice_id),
        tries=CLONE_TRIES,
        words=_hearable_in_a_clone(text),
    )


def test_a_clone_knows_the_language_of_its_sample(
    env: tuple[Platform, TestClient], clone_key: tuple[str, str]
) -> None:
    platform, _ = env
    key, voice_id = clone_key
    voice = platform.voice_library.voice(platform.accounts.authenticate(key), voice_id)
    assert voice.language == "en"  # Whisper heard English in the sample


# -- long foreign text is still detected -------------------------------------------------------


def test_long_spanish_is_spoken_in_spanish(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    for speak in (native, vimmerse, webvoice):
        language, audio = speak(client, _key(platform), SPANISH)
        assert language is not None, speak
        assert languages.primary(language) == "es", speak
        assert_heard(SPANISH, heard(platform, audio, "es"), max_wer=0.34)
    _, audio = openai(client, _key(platform), SPANISH)
    assert_heard(SPANISH, heard(platform, audio, "es"), max_wer=0.34)


def test_long_spanish_for_an_english_clone_is_not_read_as_english(
    env: tuple[Platform, TestClient], clone_key: tuple[str, str]
) -> None:
    _, client = env
    key, voice_id = clone_key
    # The test clone's only base voice speaks English: the confident Spanish is refused with
    # the reason, not read with English sounds.
    r = client.post(
        "/v1/speech",
        json={"text": SPANISH, "voice": voice_id, "language": "auto"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert r.status_code == 400, r.text
    assert "'es'" in r.json()["error"]["message"]


# -- the fallbacks: the voice's language, then the account's last ----------------------------


def test_an_undecided_text_takes_the_voice_language(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    language, _ = native(client, _key(platform), "Ciao a tutti", voice="if_sara")
    assert language == "it"


def test_an_undecided_text_takes_the_account_last_language(
    env: tuple[Platform, TestClient],
) -> None:
    platform, client = env
    key = _key(platform)
    assert vimmerse(client, key, "Hola, gracias.")[0] == "en"  # nothing known yet: English
    assert vimmerse(client, key, SPANISH)[0] == "es"
    language, audio = vimmerse(client, key, "Hola, gracias.")
    assert language == "es"
    assert_heard("Hola, gracias.", heard(platform, audio, "es"), max_wer=0.5)
    # Every surface shares it: the account spoke Spanish last.
    assert native(client, key, "Hola, gracias.")[0] == "es"
