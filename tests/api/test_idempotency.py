"""``Idempotency-Key`` replays go through authentication and the rate limit first: a revoked
key gets 401, never the stored answer, and replays count against the plan's window."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from seesay.platform import Platform
from support.accounts import make_key
from support.fake_metered import FakeEngine, install_fake_metered_route
from support.live import serve_app


def test_a_revoked_key_gets_401_not_the_stored_answer(platform: Platform, app: FastAPI) -> None:
    engine = FakeEngine()
    install_fake_metered_route(app, engine)
    key = make_key(platform, credits=5)
    headers = {"X-API-Key": key.key, "Idempotency-Key": "order-1"}
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        first = http.post("/test/echo", json={"text": "secret words"}, headers=headers)
        assert first.status_code == 200
        platform.accounts.revoke_key(key.account_id, key.key_id)
        replay = http.post("/test/echo", json={"text": "secret words"}, headers=headers)

    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "invalid_api_key"
    assert "SECRET WORDS" not in replay.text
    assert "Idempotent-Replayed" not in replay.headers
    assert engine.calls == 1


def test_replays_count_against_the_rate_limit(platform: Platform, app: FastAPI) -> None:
    engine = FakeEngine()
    install_fake_metered_route(app, engine)
    key = make_key(platform, plan="free", credits=0)  # 10 requests a minute
    headers = {"X-API-Key": key.key, "Idempotency-Key": "order-2"}
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        answers = [http.post("/test/echo", json={"text": "a"}, headers=headers) for _ in range(11)]

    assert [r.status_code for r in answers[:10]] == [200] * 10
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert answers[1].headers["X-RateLimit-Remaining"] == "8"  # the replay was counted
    assert answers[0].headers["X-RateLimit-Remaining"] == "9"  # ... and the first just once
    assert answers[10].status_code == 429
    assert answers[10].json()["error"]["code"] == "rate_limit_exceeded"
    assert engine.calls == 1
