"""Native speech to text and translation over HTTP, with the real bundled models."""

from __future__ import annotations

import io
import wave

import numpy as np
from fastapi.testclient import TestClient

from seesay.platform import Platform
from support.accounts import make_key


def _speech_wav(platform: Platform, text: str) -> bytes:
    """Real speech from the bundled Piper voice, as a WAV file."""
    audio = platform.engines.tts("piper").synthesize(text, "en_US-joe-medium", "en", 1.0)
    pcm = (np.clip(audio.samples, -1, 1) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(audio.sample_rate)
        w.writeframes(pcm)
    return out.getvalue()


def test_transcribe_returns_text_language_segments_and_words(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=10)
    wav = _speech_wav(platform, "The weather is lovely today.")
    r = client.post(
        "/v1/transcribe",
        headers={"X-API-Key": key.key},
        files={"file": ("hello.wav", wav, "audio/wav")},
        data={"language": "en", "word_timestamps": "true"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert "weather" in body["text"].lower()
    assert body["language"] == "en"
    assert body["duration_seconds"] > 1
    words = [w for s in body["segments"] for w in s["words"]]
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)
    assert body["credits_used"] > 0
    spent = round(body["credits_used"] * 1000)
    assert platform.ledger.balances(key.account_id).total == 10_000 - spent


def test_transcribe_refuses_garbage_without_charging(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, credits=10)
    r = client.post(
        "/v1/transcribe",
        headers={"X-API-Key": key.key},
        files={"file": ("notes.mp3", b"this is not audio at all" * 20, "audio/mpeg")},
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_audio"
    assert platform.ledger.balances(key.account_id).total == 10_000


def test_translate_en_to_pt_and_unserved_pair(platform: Platform, client: TestClient) -> None:
    key = make_key(platform, credits=10)
    ok = client.post(
        "/v1/translate",
        headers={"X-API-Key": key.key},
        json={"text": "The cat is on the table.", "target": "pt-BR", "source": "en"},
    )
    assert ok.status_code == 200, ok.text
    assert "gato" in ok.json()["text"].lower()
    assert ok.json()["target"] == "pt-BR"

    refused = client.post(
        "/v1/translate",
        headers={"X-API-Key": key.key},
        json={"text": "The cat is on the table.", "target": "sw", "source": "en"},
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "invalid_language"
    assert "en" in error["message"]
    assert (
        platform.ledger.balances(key.account_id).total == 10_000 - ok.json()["credits_used"] * 1000
    )
