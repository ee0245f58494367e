"""WebVoice ``tts/``: base64 MP3 inline, priced per started minute of audio, spec errors."""

from __future__ import annotations

import base64

from seesay.media.audio_decode import AudioLimits, decode_audio
from support.webvoice import BASE, WebVoice

SPEC_BODY = {"text": "Hello, world!", "voice": "af_sarah", "language": "en", "speed": 0.90}


def test_tts_returns_playable_mp3_and_charges_half_a_credit_per_minute(wv: WebVoice) -> None:
    key = wv.key(credits=10)
    r = wv.client.post(f"{BASE}/tts/", json=SPEC_BODY, headers=wv.headers(key))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    assert body["format"] == "mp3"
    audio = base64.b64decode(body["audio"])
    assert audio[:3] == b"ID3" or audio[0] == 0xFF  # an MP3 frame or tag
    decoded = decode_audio(audio, AudioLimits(max_bytes=10_000_000, max_seconds=60))
    assert abs(decoded.duration - body["duration"]) < 0.2
    assert 0.5 < body["duration"] < 5
    # 0.5 credits per started minute: a couple of seconds cost 0.5.
    assert body["credits_used"] == 0.5
    assert body["credits_remaining"] == 9.5
    assert wv.platform.ledger.balances(key.account_id).total == 9500


def test_tts_defaults_speed_and_language(wv: WebVoice) -> None:
    key = wv.key()
    r = wv.client.post(
        f"{BASE}/tts/", json={"text": "Ciao a tutti", "voice": "if_sara"}, headers=wv.headers(key)
    )
    assert r.status_code == 200, r.text
    assert r.json()["language"] == "en"  # the spec's default language


def test_tts_spec_errors_cost_nothing(wv: WebVoice) -> None:
    key = wv.key(credits=5)
    h = wv.headers(key)
    cases = [
        ({**SPEC_BODY, "speed": 2.5}, 400),
        ({**SPEC_BODY, "speed": 0.4}, 400),
        ({**SPEC_BODY, "text": "   "}, 400),
        ({**SPEC_BODY, "text": "x" * 5000}, 400),
        ({**SPEC_BODY, "voice": "no_such_voice"}, 400),
        ({k: v for k, v in SPEC_BODY.items() if k != "text"}, 400),
        ({**SPEC_BODY, "language": "xx-!!"}, 400),
    ]
    for body, status in cases:
        r = wv.client.post(f"{BASE}/tts/", json=body, headers=h)
        assert r.status_code == status, (body, r.text)
        assert r.json()["error"] == "Bad Request"
        assert r.json()["message"]
    assert wv.client.post(f"{BASE}/tts/", json=SPEC_BODY).status_code == 401
    assert wv.platform.ledger.balances(key.account_id).total == 5000


def test_tts_without_credits_is_402_and_takes_nothing(wv: WebVoice) -> None:
    key = wv.key(credits=0.2)
    r = wv.client.post(f"{BASE}/tts/", json=SPEC_BODY, headers=wv.headers(key))
    assert r.status_code == 402
    assert r.json()["error"] == "Payment Required"
    assert wv.platform.ledger.balances(key.account_id).total == 200


def test_tts_idempotency_key_replays_without_a_second_charge(wv: WebVoice) -> None:
    key = wv.key(credits=10)
    h = {**wv.headers(key), "Idempotency-Key": "tts-once"}
    first = wv.client.post(f"{BASE}/tts/", json=SPEC_BODY, headers=h)
    second = wv.client.post(f"{BASE}/tts/", json=SPEC_BODY, headers=h)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["audio"] == second.json()["audio"]
    assert wv.platform.ledger.balances(key.account_id).total == 9500


def test_text_of_control_and_compatibility_characters_is_spoken_not_a_500(wv: WebVoice) -> None:
    # The body the API fuzzer sent: a superscript digit, C0/C1 controls, a private-use character.
    key = wv.key(credits=5)
    body = {"text": "\u00b9\u0098\u001d\u00ee\U0010f31b", "voice": "hibari-heart"}
    r = wv.client.post(f"{BASE}/tts/", json=body, headers=wv.headers(key))
    assert r.status_code == 200, r.text
    assert r.json()["duration"] > 0.2
