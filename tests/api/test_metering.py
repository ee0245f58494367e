"""Credits, idempotency and refunds through real HTTP requests."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from seesay.accounts.plans import PLANS
from seesay.api import create_app
from seesay.db.models import LedgerEntry
from seesay.platform import Platform
from support.accounts import make_key
from support.fake_metered import FakeEngine, install_fake_metered_route
from support.live import serve_app


def _serve(platform: Platform, engine: FakeEngine) -> FastAPI:
    app = create_app(platform.settings, platform=platform)
    install_fake_metered_route(app, engine)
    return app


def test_fifty_concurrent_requests_against_ten_credits(
    backend_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = backend_platform
    engine = FakeEngine(delay=0.02)
    # A plan of 50 concurrent requests, so all 50 reach the ledger at once.
    monkeypatch.setitem(PLANS, "paid", replace(PLANS["paid"], concurrent_requests=50))
    first = make_key(platform, plan="paid", credits=10)
    keys = [first.key] + [make_key(platform, account_id=first.account_id).key for _ in range(4)]
    with serve_app(_serve(platform, engine)) as base, httpx.Client(base_url=base) as http:

        def call(i: int) -> int:
            response = http.post(
                "/test/echo", json={"text": "hi"}, headers={"X-API-Key": keys[i % 5]}
            )
            return response.status_code

        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(call, range(50)))

    assert statuses.count(200) == 10, statuses
    assert set(statuses) <= {200, 402}
    assert platform.ledger.balances(first.account_id).total == 0
    assert platform.ledger.ledger_sum(first.account_id) == 0


def test_idempotent_replay_charges_once_and_returns_the_same_body(
    platform: Platform, app: FastAPI
) -> None:
    engine = FakeEngine()
    install_fake_metered_route(app, engine)
    key = make_key(platform, credits=5)
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        headers = {"X-API-Key": key.key, "Idempotency-Key": "order-1"}
        first = http.post("/test/echo", json={"text": "once"}, headers=headers)
        second = http.post("/test/echo", json={"text": "once"}, headers=headers)
        other_body = http.post("/test/echo", json={"text": "twice"}, headers=headers)

    assert first.status_code == 200
    assert second.status_code == 200
    assert second.content == first.content
    assert second.headers["Idempotent-Replayed"] == "true"
    assert engine.calls == 1
    assert platform.ledger.balances(key.account_id).total == 4000
    assert other_body.status_code == 422
    assert other_body.json()["error"]["code"] == "idempotency_mismatch"


def test_concurrent_replay_while_first_runs_gets_409(platform: Platform, app: FastAPI) -> None:
    engine = FakeEngine(delay=1.0)
    install_fake_metered_route(app, engine)
    key = make_key(platform, credits=5)
    headers = {"X-API-Key": key.key, "Idempotency-Key": "slow-1"}
    with serve_app(app) as base, httpx.Client(base_url=base, timeout=10) as http:
        results: dict[str, httpx.Response] = {}
        first = threading.Thread(
            target=lambda: results.setdefault(
                "first", http.post("/test/echo", json={"text": "a"}, headers=headers)
            )
        )
        first.start()
        assert engine.started.wait(5)
        replay = http.post("/test/echo", json={"text": "a"}, headers=headers)
        first.join()

    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "idempotency_in_progress"
    assert results["first"].status_code == 200
    assert engine.calls == 1


def test_idempotency_keys_are_scoped_per_api_key(platform: Platform, app: FastAPI) -> None:
    engine = FakeEngine()
    install_fake_metered_route(app, engine)
    a = make_key(platform, credits=5)
    b = make_key(platform, credits=5)
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        for key in (a, b):
            r = http.post(
                "/test/echo",
                json={"text": "x"},
                headers={"X-API-Key": key.key, "Idempotency-Key": "shared"},
            )
            assert r.status_code == 200
            assert "Idempotent-Replayed" not in r.headers
    assert engine.calls == 2


def test_engine_failure_after_reservation_refunds_exactly_once(
    platform: Platform, app: FastAPI
) -> None:
    install_fake_metered_route(app, FakeEngine(fail=True))
    key = make_key(platform, credits=3)
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        r = http.post("/test/echo", json={"text": "x"}, headers={"X-API-Key": key.key})

    assert r.status_code == 500
    assert r.json()["error"]["code"] == "engine_error"
    assert platform.ledger.balances(key.account_id).total == 3000
    with platform.db.read() as s:
        kinds = [
            e.kind
            for e in s.scalars(
                select(LedgerEntry).where(
                    LedgerEntry.account_id == key.account_id, LedgerEntry.feature == "describe"
                )
            )
        ]
    assert kinds.count("reserve") == 1
    assert kinds.count("refund") == 1


def test_no_credit_taken_when_the_balance_is_short(platform: Platform, app: FastAPI) -> None:
    engine = FakeEngine()
    install_fake_metered_route(app, engine)
    key = make_key(platform, credits=0.5)
    with serve_app(app) as base, httpx.Client(base_url=base) as http:
        r = http.post("/test/echo", json={"text": "x"}, headers={"X-API-Key": key.key})
    assert r.status_code == 402
    assert r.json()["error"]["code"] == "quota_exceeded"
    assert engine.calls == 0
    assert platform.ledger.balances(key.account_id).total == 500
