"""Rate and concurrency limits as a client sees them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from seesay.accounts.limits import ConcurrencyLimiter, RedisLeases
from seesay.errors import ConcurrencyLimited
from seesay.platform import Platform
from support.accounts import make_key
from support.fake_metered import FakeEngine, install_fake_metered_route
from support.live import serve_app
from support.services import fresh_redis


def test_eleventh_request_in_a_minute_on_a_free_key_is_429(
    platform: Platform, client: TestClient
) -> None:
    key = make_key(platform, plan="free", credits=0)
    headers = {"X-API-Key": key.key}
    for i in range(10):
        ok = client.get("/v1/account", headers=headers)
        assert ok.status_code == 200
        assert ok.headers["X-RateLimit-Limit"] == "10"
        assert ok.headers["X-RateLimit-Remaining"] == str(9 - i)
        assert int(ok.headers["X-RateLimit-Reset"]) > time.time()

    limited = client.get("/v1/account", headers=headers)
    assert limited.status_code == 429
    body = limited.json()["error"]
    assert body["code"] == "rate_limit_exceeded"
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert body["retry_after"] == int(limited.headers["Retry-After"])
    assert limited.headers["X-RateLimit-Limit"] == "10"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) > time.time()
    # Another key is not affected.
    other = make_key(platform, plan="free", credits=0)
    assert client.get("/v1/account", headers={"X-API-Key": other.key}).status_code == 200


def test_second_concurrent_request_on_a_free_key_is_429_at_once(
    platform: Platform, app: FastAPI
) -> None:
    engine = FakeEngine(delay=1.5)
    install_fake_metered_route(app, engine)
    key = make_key(platform, plan="free", credits=0)  # 25 monthly credits
    headers = {"X-API-Key": key.key}
    with serve_app(app) as base, httpx.Client(base_url=base, timeout=10) as http:
        first: list[httpx.Response] = []
        t = threading.Thread(
            target=lambda: first.append(
                http.post("/test/echo", json={"text": "a"}, headers=headers)
            )
        )
        t.start()
        assert engine.started.wait(5)
        started = time.monotonic()
        second = http.post("/test/echo", json={"text": "b"}, headers=headers)
        waited = time.monotonic() - started
        t.join()

    assert second.status_code == 429
    assert second.json()["error"]["code"] == "concurrency_limit_exceeded"
    assert second.headers["Retry-After"] == "1"
    assert waited < 1.0  # refused at once, not queued behind the first
    assert first[0].status_code == 200
    assert engine.calls == 1


def test_limits_belong_to_the_account_not_to_each_key(
    platform: Platform, client: TestClient
) -> None:
    first = make_key(platform, plan="free", credits=0)
    keys = [first] + [make_key(platform, account_id=first.account_id) for _ in range(3)]
    statuses = [
        client.get("/v1/account", headers={"X-API-Key": keys[i % 4].key}).status_code
        for i in range(11)
    ]
    assert statuses == [200] * 10 + [429]  # 10 a minute for the account, whatever the key
    # Test mode is counted apart, so trying things out does not eat the live allowance.
    test_key = make_key(platform, mode="test", account_id=first.account_id)
    assert client.get("/v1/account", headers={"X-API-Key": test_key.key}).status_code == 200


def test_a_second_key_of_the_account_gets_no_second_concurrent_slot(
    platform: Platform, app: FastAPI
) -> None:
    engine = FakeEngine(delay=1.5)
    install_fake_metered_route(app, engine)
    first = make_key(platform, plan="free", credits=0)
    second = make_key(platform, account_id=first.account_id)
    with serve_app(app) as base, httpx.Client(base_url=base, timeout=10) as http:
        held: list[httpx.Response] = []
        t = threading.Thread(
            target=lambda: held.append(
                http.post("/test/echo", json={"text": "a"}, headers={"X-API-Key": first.key})
            )
        )
        t.start()
        assert engine.started.wait(5)
        other = http.post("/test/echo", json={"text": "b"}, headers={"X-API-Key": second.key})
        t.join()
    assert other.status_code == 429
    assert other.json()["error"]["code"] == "concurrency_limit_exceeded"
    assert held[0].status_code == 200


def test_key_creation_is_capped_per_account(platform: Platform, client: TestClient) -> None:
    owner = make_key(platform)
    cap = platform.settings.limits.max_keys_per_account
    headers = {"X-API-Key": owner.key}
    created = [client.post("/v1/keys", json={}, headers=headers) for _ in range(cap - 1)]
    assert {r.status_code for r in created} == {201}
    refused = client.post("/v1/keys", json={}, headers=headers)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "permission_denied"
    assert f"{cap} active API keys" in error["message"]
    # Test keys count too: they are keys of the same account.
    test_refused = client.post("/v1/keys", json={"mode": "test"}, headers=headers)
    assert test_refused.status_code == 403
    client.delete(f"/v1/keys/{created[0].json()['id']}", headers=headers)
    assert client.post("/v1/keys", json={}, headers=headers).status_code == 201


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from seesay.accounts.limits import ConcurrencyLimiter, RedisLeases
    limiter = ConcurrencyLimiter(RedisLeases(sys.argv[1]), lease_seconds=float(sys.argv[2]))
    with limiter.slot("key_killed", 1):
        print("holding", flush=True)
        time.sleep(600)
    """
)


def test_lease_of_a_killed_process_frees_within_the_lease_time() -> None:
    lease = 2.0
    with fresh_redis() as url:
        proc = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, url, str(lease)], stdout=subprocess.PIPE
        )
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == b"holding"
            limiter = ConcurrencyLimiter(RedisLeases(url), lease_seconds=lease)
            # While the holder lives (and renews), the single slot is taken.
            time.sleep(lease * 1.2)
            try:
                with limiter.slot("key_killed", 1):
                    raise AssertionError("slot should be held by the live process")
            except ConcurrencyLimited:
                pass
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed_at = time.monotonic()
            while True:
                try:
                    with limiter.slot("key_killed", 1):
                        break
                except ConcurrencyLimited:
                    assert time.monotonic() - killed_at < lease + 1.0, "lease never expired"
                    time.sleep(0.1)
            limiter.close()
        finally:
            if proc.poll() is None:
                proc.kill()
