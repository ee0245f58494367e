"""WebVoice ``stt/`` (multipart audio, provider names) and ``translation/`` (the spec's 15
languages) on the real bundled engines."""

from __future__ import annotations

import base64

import pytest

from support.webvoice import BASE, WebVoice


@pytest.fixture(scope="module")
def hello_mp3(wv: WebVoice) -> bytes:
    """Real speech: the tts/ endpoint saying a short English sentence."""
    key = wv.key()
    r = wv.client.post(
        f"{BASE}/tts/",
        json={"text": "Hello world, this is a test.", "voice": "en_US-joe-medium", "speed": 1.0},
        headers=wv.headers(key),
    )
    assert r.status_code == 200, r.text
    return base64.b64decode(r.json()["audio"])


def test_stt_transcribes_and_charges_per_started_minute(wv: WebVoice, hello_mp3: bytes) -> None:
    key = wv.key(credits=2)
    r = wv.client.post(
        f"{BASE}/stt/",
        files={"audio": ("audio.mp3", hello_mp3, "audio/mpeg")},
        data={"language": "en"},
        headers=wv.headers(key),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    assert "hello" in body["text"].lower()
    assert body["language"] == "en"
    assert 1 < body["duration"] < 10
    assert body["credits_used"] == 0.3
    assert body["credits_remaining"] == 1.7


@pytest.mark.parametrize("language", [None, "", "auto"])
def test_stt_detects_the_language_when_omitted_or_auto(
    wv: WebVoice, hello_mp3: bytes, language: str | None
) -> None:
    key = wv.key()
    data = {} if language is None else {"language": language}
    r = wv.client.post(
        f"{BASE}/stt/",
        files={"audio": ("a.mp3", hello_mp3)},
        data=data,
        headers=wv.headers(key),
    )
    assert r.status_code == 200, r.text
    assert r.json()["language"] == "en"


def test_stt_provider_names_map_to_configured_engines(wv: WebVoice, hello_mp3: bytes) -> None:
    key = wv.key(credits=5)
    files = {"audio": ("a.mp3", hello_mp3)}
    ok = wv.client.post(
        f"{BASE}/stt/", files=files, data={"provider": "whisper_small"}, headers=wv.headers(key)
    )
    assert ok.status_code == 200, ok.text
    # whisper_fast maps to the remote engine, which this server does not configure.
    r = wv.client.post(
        f"{BASE}/stt/", files=files, data={"provider": "whisper_fast"}, headers=wv.headers(key)
    )
    assert r.status_code == 503
    assert "SEESAY_ENGINES__STT__ENGINES" in r.json()["message"]
    r = wv.client.post(
        f"{BASE}/stt/", files=files, data={"provider": "nope"}, headers=wv.headers(key)
    )
    assert r.status_code == 400
    assert wv.platform.ledger.balances(key.account_id).total == 5000 - 300


def test_stt_errors_cost_nothing(wv: WebVoice, hello_mp3: bytes) -> None:
    key = wv.key(credits=1)
    h = wv.headers(key)
    r = wv.client.post(f"{BASE}/stt/", files={"audio": ("a.mp3", b"not audio at all")}, headers=h)
    assert r.status_code == 400
    assert r.json()["error"] == "Bad Request"
    assert wv.client.post(f"{BASE}/stt/", data={"language": "en"}, headers=h).status_code == 400
    r = wv.client.post(
        f"{BASE}/stt/", files={"audio": ("a.mp3", hello_mp3)}, data={"language": "xx-!!"}, headers=h
    )
    assert r.status_code == 400
    assert wv.client.post(f"{BASE}/stt/", files={"audio": ("a.mp3", hello_mp3)}).status_code == 401
    assert wv.platform.ledger.balances(key.account_id).total == 1000
    poor = wv.key(credits=0.1)
    r = wv.client.post(
        f"{BASE}/stt/", files={"audio": ("a.mp3", hello_mp3)}, headers=wv.headers(poor)
    )
    assert r.status_code == 402


def test_translation_of_a_served_pair(wv: WebVoice) -> None:
    key = wv.key(credits=1)
    r = wv.client.post(
        f"{BASE}/translation/",
        json={"text": "Hello, world!", "source_language": "en", "target_language": "es"},
        headers=wv.headers(key),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    assert "hola" in body["translated_text"].lower()
    assert body["source_language"] == "en"
    assert body["target_language"] == "es"
    assert body["text_length"] == 13
    assert body["credits_used"] == 0.1
    assert body["credits_remaining"] == 0.9


def test_translation_auto_source_and_errors(wv: WebVoice) -> None:
    key = wv.key(credits=1)
    h = wv.headers(key)
    r = wv.client.post(
        f"{BASE}/translation/",
        json={"text": "The cat sleeps on the red sofa.", "target_language": "es"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert r.json()["source_language"] == "en"
    # One of the spec's languages, but no configured engine serves the pair: a clear 400.
    r = wv.client.post(
        f"{BASE}/translation/",
        json={"text": "Hello", "source_language": "en", "target_language": "it"},
        headers=h,
    )
    assert r.status_code == 400
    assert "it" in r.json()["message"]
    # Not one of the spec's 15 languages.
    r = wv.client.post(
        f"{BASE}/translation/", json={"text": "Hello", "target_language": "sv"}, headers=h
    )
    assert r.status_code == 400
    assert "cs" in r.json()["message"]
    for body in ({"text": "", "target_language": "es"}, {"text": "Hello"}):
        assert wv.client.post(f"{BASE}/translation/", json=body, headers=h).status_code == 400
    assert (
        wv.client.post(
            f"{BASE}/translation/", json={"text": "Hi", "target_language": "es"}
        ).status_code
        == 401
    )
    assert wv.platform.ledger.balances(key.account_id).total == 900
