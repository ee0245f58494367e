"""The Voice Clone surface over HTTP: every documented error in the spec's shape, rate-limit
headers on every response, per-byte pricing, other accounts' ids, voices list and credits."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from seesay.accounts.plans import CREDIT
from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.clone_samples import CLONE_ENGINES, sample_bytes, spoken

BASE = "/compat/voiceclone/api/v1"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, TestClient]]:
    tmp: Path = tmp_path_factory.mktemp("voiceclone")
    settings = load_settings(data_dir=tmp, engines=CLONE_ENGINES)
    platform = Platform.build(settings)
    with TestClient(create_app(settings, platform=platform)) as client:
        yield platform, client


@pytest.fixture(scope="module")
def mp3(env: tuple[Platform, TestClient]) -> bytes:
    return sample_bytes(spoken(env[0]), "mp3")


def _auth(platform: Platform, credits: float = 5000, plan: str = "paid") -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(platform, credits=credits, plan=plan).key}"}


def _clone(client: TestClient, headers: dict[str, str], mp3: bytes, **data: str) -> Any:
    return client.post(
        f"{BASE}/voice-clone", headers=headers, files={"voice": ("v.mp3", mp3)}, data=data
    )


def _has_rate_headers(response: Any) -> bool:
    return all(
        h in response.headers
        for h in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
    )


def test_unauthorized(env: tuple[Platform, TestClient]) -> None:
    _, client = env
    missing = client.get(f"{BASE}/credits")
    assert missing.status_code == 401
    assert missing.json() == {"code": "UNAUTHORIZED", "error": "Authentication required"}
    bad = client.get(f"{BASE}/voices", headers={"Authorization": "Bearer ss_live_nope"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "UNAUTHORIZED"
    assert _has_rate_headers(missing)
    assert _has_rate_headers(bad)


def test_rate_headers_on_every_response(env: tuple[Platform, TestClient], mp3: bytes) -> None:
    platform, client = env
    auth = _auth(platform)
    answers = [
        client.get(f"{BASE}/credits", headers=auth),
        client.get(f"{BASE}/voices?limit=0", headers=auth),
        client.get(f"{BASE}/tts/job_doesnotexist", headers=auth),
        client.get(f"{BASE}/no-such-route", headers=auth),
        client.post(f"{BASE}/tts", headers=auth, content=b"{not json"),
    ]
    assert [a.status_code for a in answers] == [200, 400, 404, 404, 400]
    assert all(_has_rate_headers(a) for a in answers)
    remaining = [int(a.headers["x-ratelimit-remaining"]) for a in answers[:3]]
    assert remaining == sorted(remaining, reverse=True)
    assert int(answers[0].headers["x-ratelimit-reset"]) > time.time() - 1


def test_rate_limited(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    auth = _auth(platform, plan="free", credits=0)  # 10 requests a minute
    answers = [client.get(f"{BASE}/credits", headers=auth) for _ in range(11)]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert answers[-1].json()["code"] == "RATE_LIMITED"
    assert answers[-1].headers["x-ratelimit-remaining"] == "0"
    assert int(answers[-1].headers["retry-after"]) >= 1


def test_clone_errors(env: tuple[Platform, TestClient], mp3: bytes) -> None:
    platform, client = env
    auth = _auth(platform)
    not_audio = client.post(
        f"{BASE}/voice-clone", headers=auth, files={"voice": ("v.txt", b"hello, not audio")}
    )
    assert not_audio.status_code == 400
    assert not_audio.json() == {
        "code": "INVALID_PARAMETERS",
        "error": "Invalid file type. Supported formats: MP3, WAV, WebM",
        "param": "voice",
    }
    big = client.post(
        f"{BASE}/voice-clone",
        headers=auth,
        files={"voice": ("v.mp3", b"ID3" + b"\x00" * (20 * 1024 * 1024))},
    )
    assert big.status_code == 400
    assert big.json()["error"] == "File size exceeds 20MB limit"
    huge = client.post(  # over the server's whole-body cap (25 MB)
        f"{BASE}/voice-clone",
        headers=auth,
        files={"voice": ("v.mp3", b"ID3" + b"\x00" * (26 * 1024 * 1024))},
    )
    assert huge.status_code == 400
    assert huge.json() == {"code": "INVALID_PARAMETERS", "error": "File size exceeds 20MB limit"}
    no_file = client.post(f"{BASE}/voice-clone", headers=auth, data={"title": "x"})
    assert no_file.status_code == 400
    assert no_file.json()["code"] == "INVALID_PARAMETERS"
    for field, value in [
        ("description", "x" * 501),
        ("tags", '["unterminated"'),
        ("coverImage", "javascript:alert(1)"),
        ("consent", "false"),
    ]:
        answer = _clone(client, auth, mp3, **{field: value})
        assert answer.status_code == 400, field
        assert answer.json()["code"] == "INVALID_PARAMETERS"
        assert answer.json()["param"] == field
    balance = client.get(f"{BASE}/credits", headers=auth).json()["credits"]
    assert balance == 5000  # nothing was charged for any refusal


def test_insufficient_credits_shape(env: tuple[Platform, TestClient], mp3: bytes) -> None:
    platform, client = env
    auth = _auth(platform, credits=500)
    answer = _clone(client, auth, mp3)
    assert answer.status_code == 429
    assert answer.json() == {
        "error": "Insufficient credits",
        "code": "USAGE_LIMIT_EXCEEDED",
        "credits": 500,
        "needCredits": 1000,
    }
    tts = client.post(
        f"{BASE}/tts",
        headers=_auth(platform, credits=10),
        json={"text": "Hello, this is a test speech.", "voiceId": "en_US-joe-medium"},
    )
    assert tts.status_code == 429
    assert tts.json() == {
        "error": "Insufficient credits",
        "code": "USAGE_LIMIT_EXCEEDED",
        "credits": 10,
        "needCredits": 29,
    }


def test_tts_errors_and_pricing(env: tuple[Platform, TestClient]) -> None:
    platform, client = env
    auth = _auth(platform, credits=100)
    unknown = client.post(f"{BASE}/tts", headers=auth, json={"text": "Hi", "voiceId": "clnope"})
    assert unknown.status_code == 404
    assert unknown.json() == {"code": "NOT_FOUND", "error": "Voice not found or not available"}
    too_long = client.post(
        f"{BASE}/tts",
        headers=_auth(platform, credits=10_000),
        json={"text": "語" * 1667, "voiceId": "en_US-joe-medium"},  # 5001 bytes
    )
    assert too_long.status_code == 400
    assert too_long.json() == {
        "code": "INVALID_PARAMETERS",
        "error": "Text exceeds maximum length of 5000 bytes",
        "param": "text",
    }
    missing = client.post(f"{BASE}/tts", headers=auth, json={"voiceId": "en_US-joe-medium"})
    assert missing.status_code == 400
    assert missing.json()["param"] == "text"
    bad_format = client.post(
        f"{BASE}/tts", headers=auth, json={"text": "Hi", "voiceId": "x", "format": "flac"}
    )
    assert bad_format.status_code == 400
    assert bad_format.json()["param"] == "format"
    # CJK: three bytes, three credits a character.
    cjk = client.post(
        f"{BASE}/tts", headers=auth, json={"text": "你好", "voiceId": "en_US-joe-medium"}
    )
    assert cjk.status_code == 200, cjk.text
    assert cjk.json()["creditsUsed"] == 6
    assert cjk.json()["speech"]["creditsUsed"] == 6
    assert (
        platform.ledger.balances(
            platform.accounts.authenticate(auth["Authorization"][7:]).account_id
        ).total
        == (100 - 6) * CREDIT
    )


def test_other_accounts_ids_are_not_found(env: tuple[Platform, TestClient], mp3: bytes) -> None:
    platform, client = env
    owner, stranger = _auth(platform), _auth(platform)
    voice_id = _clone(client, owner, mp3).json()["voiceId"]
    speech = client.post(
        f"{BASE}/tts", headers=owner, json={"text": "Mine.", "voiceId": voice_id}
    ).json()
    theirs = client.post(f"{BASE}/tts", headers=stranger, json={"text": "Hi", "voiceId": voice_id})
    assert theirs.status_code == 404
    assert theirs.json()["code"] == "NOT_FOUND"
    peek = client.get(f"{BASE}/tts/{speech['speechId']}", headers=stranger)
    assert peek.status_code == 404
    assert peek.json() == {"code": "NOT_FOUND", "error": "Speech not found or access denied"}
    listed = client.get(f"{BASE}/voices?type=USER", headers=stranger).json()
    assert listed["voices"] == []
    assert listed["pagination"]["total"] == 0
    mine = client.get(f"{BASE}/tts/{speech['speechId']}", headers=owner)
    assert mine.status_code == 200


def test_voices_list_and_credits(env: tuple[Platform, TestClient], mp3: bytes) -> None:
    platform, client = env
    key = make_key(platform, plan="free", credits=2000)  # 25 monthly + 2000 purchased
    auth = {"Authorization": f"Bearer {key.key}"}
    made = _clone(client, auth, mp3, title="Comma", tags="male, young ,energetic").json()
    assert made["voice"]["tags"] == ["male", "young", "energetic"]
    credits = client.get(f"{BASE}/credits", headers=auth).json()
    # Monthly credits are spent first: 25 regular + 975 permanent paid the clone.
    assert credits == {
        "success": True,
        "credits": 1025,
        "breakdown": {"regular": 0, "permanent": 1025, "resetAt": credits["breakdown"]["resetAt"]},
    }
    assert credits["breakdown"]["resetAt"].endswith("T00:00:00.000Z")
    page = client.get(f"{BASE}/voices?limit=1&page=2&sortBy=title&sortOrder=asc", headers=auth)
    body = page.json()
    assert body["pagination"]["page"] == 2
    assert body["pagination"]["hasPrev"] is True
    assert body["pagination"]["hasNext"] is True
    users = client.get(f"{BASE}/voices?type=USER&status=COMPLETED", headers=auth).json()
    assert [v["id"] for v in users["voices"]] == [made["voiceId"]]
    assert users["voices"][0]["usageCount"] == 0
    assert users["voices"][0]["isPublic"] is False
    for query in ("limit=101", "limit=0", "page=0", "sortBy=size", "type=OTHER"):
        bad = client.get(f"{BASE}/voices?{query}", headers=auth)
        assert bad.status_code == 400, query
        assert bad.json()["code"] == "INVALID_PARAMETERS"
