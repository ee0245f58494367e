"""Jobs in the embedded mode: run, retry, fail and refund, reaper, webhooks, cancel."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from seesay.accounts.service import Principal
from seesay.db.models import Job, LedgerEntry
from seesay.errors import EngineError, InvalidRequest, RateLimited, SeeSayError, UpstreamError
from seesay.jobs import JobContext, verify_signature, webhook_secret
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import make_key
from support.contracts import anything, json_job
from support.contracts import kind as job_kind


@pytest.fixture
def jobs_platform(tmp_path: Path) -> Iterator[Platform]:
    settings = load_settings(
        data_dir=tmp_path,
        jobs={"lease_seconds": 1.0, "retry_delay_seconds": 0.05, "max_attempts": 3},
        fetch={"allowed_hosts": ["127.0.0.1"]},  # the webhook receiver below is on loopback
    )
    platform = Platform.build(settings)
    yield platform
    platform.close()


def _principal(platform: Platform, credits: float = 10, mode: str = "live") -> Principal:
    key = make_key(platform, credits=credits, mode=mode)
    return platform.accounts.authenticate(key.key)


def _wait(platform: Platform, principal: Principal, job_id: str, timeout: float = 10) -> Any:
    return platform.jobs.wait(principal, job_id, timeout)


def test_job_succeeds_and_settles(jobs_platform: Platform) -> None:
    p = jobs_platform
    p.handlers.register_job(
        job_kind("upper"), json_job(lambda ctx, payload: {"text": payload["text"].upper()})
    )
    p.start(consume=True)
    who = _principal(p)
    job = p.jobs.submit(
        who, job_kind("upper"), anything({"text": "hi"}), feature="describe", amount=2000
    )
    assert job.status == "queued"
    assert p.ledger.balances(who.account_id).total == 8000  # reserved up front
    done = _wait(p, who, job.id)
    assert done.status == "succeeded"
    assert done.result == {"text": "HI"}
    assert p.ledger.balances(who.account_id).total == 8000
    assert p.ledger.ledger_sum(who.account_id) == 8000


def test_transient_failures_retry_then_fail_and_refund_once(jobs_platform: Platform) -> None:
    p = jobs_platform
    attempts: list[int] = []

    def flaky(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        attempts.append(ctx.attempt)
        raise EngineError("engine down")

    p.handlers.register_job(job_kind("flaky"), json_job(flaky))
    p.start(consume=True)
    who = _principal(p)
    job = p.jobs.submit(who, job_kind("flaky"), anything({}), feature="describe", amount=1000)
    done = _wait(p, who, job.id)
    assert done.status == "failed"
    assert attempts == [1, 2, 3]
    assert done.error["code"] == "engine_error"
    assert p.ledger.balances(who.account_id).total == 10_000  # refunded as it failed
    with p.db.read() as s:
        refunds = s.scalars(
            select(LedgerEntry).where(
                LedgerEntry.reservation_id == job.reservation_id, LedgerEntry.kind == "refund"
            )
        ).all()
    assert len(refunds) == 1


def test_permanent_errors_fail_at_once(jobs_platform: Platform) -> None:
    p = jobs_platform
    calls: list[int] = []

    def bad_input(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(1)
        raise InvalidRequest("text is empty", param="text")

    p.handlers.register_job(job_kind("bad"), json_job(bad_input))
    p.start(consume=True)
    who = _principal(p)
    done = _wait(
        p,
        who,
        p.jobs.submit(who, job_kind("bad"), anything({}), feature="describe", amount=1000).id,
    )
    assert done.status == "failed"
    assert done.error["param"] == "text"
    assert calls == [1]
    assert p.ledger.balances(who.account_id).total == 10_000  # refunded as it failed


@pytest.mark.parametrize(
    ("error", "attempts"),
    [
        # A provider that refused the request refuses it again: one attempt, though the
        # error's status (502) is a server error.
        (UpstreamError("provider refused (HTTP 400)", upstream_status=400), [1]),
        # A rate limit (the provider's or ours) passes: another attempt may succeed, though
        # RateLimited's status (429) is a client error.
        (UpstreamError("provider busy (HTTP 429)", upstream_status=429, retry_after=2), [1, 2, 3]),
        (RateLimited("too many at once", retry_after=1, limit=1), [1, 2, 3]),
    ],
    ids=["upstream-400", "upstream-429", "rate-limited"],
)
def test_retries_follow_what_the_error_says_not_its_status(
    jobs_platform: Platform, error: SeeSayError, attempts: list[int]
) -> None:
    p = jobs_platform
    seen: list[int] = []

    def failing(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        seen.append(ctx.attempt)
        raise error

    p.handlers.register_job(job_kind("failing"), json_job(failing))
    p.start(consume=True)
    who = _principal(p)
    job = p.jobs.submit(who, job_kind("failing"), anything({}), feature="describe", amount=1000)
    done = _wait(p, who, job.id)
    assert done.status == "failed"
    assert seen == attempts
    assert SeeSayError.from_dict(done.error).to_dict() == error.to_dict()
    assert p.ledger.balances(who.account_id).total == 10_000  # refunded as it failed


def test_a_job_ends_in_the_same_transaction_as_its_money(
    jobs_platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failing a job and refunding its hold commit together: a poller never sees "failed"
    with the credits still held, and a refund that cannot be written leaves the job running
    (the reaper retries it) rather than failed and unpaid."""
    p = jobs_platform
    seen: list[tuple[str, int]] = []
    refund_in = p.ledger.refund_in

    def refund_then_look(s: Any, reservation_id: str) -> bool:
        refunded = refund_in(s, reservation_id)
        # From another connection, mid-transaction: neither move is visible yet.
        with p.db.read() as other:
            job = other.scalars(select(Job).where(Job.reservation_id == reservation_id)).one()
            seen.append((job.status, p.ledger.balances(job.account_id).total))
        return refunded

    monkeypatch.setattr(p.ledger, "refund_in", refund_then_look)
    p.handlers.register_job(job_kind("bad"), json_job(lambda ctx, payload: 1 / 0))
    p.start(consume=True)
    who = _principal(p)
    job = p.jobs.submit(who, job_kind("bad"), anything({}), feature="describe", amount=1000)
    done = _wait(p, who, job.id)
    assert done.status == "failed"
    assert p.ledger.balances(who.account_id).total == 10_000  # already back when "failed" shows
    assert seen == [("running", 9_000)]


def test_reaper_rescues_a_job_whose_worker_died(jobs_platform: Platform) -> None:
    p = jobs_platform
    runs: list[str] = []
    p.handlers.register_job(
        job_kind("once"), json_job(lambda ctx, payload: runs.append(ctx.job_id) or {"ok": True})
    )
    who = _principal(p)
    job = p.jobs.submit(who, job_kind("once"), anything({}), feature="describe", amount=1000)
    # A worker claimed it and died: running, lease expired, nobody heartbeating.
    assert p.jobs._store.claim(job.id, "dead-worker", 0.2) is not None
    time.sleep(0.3)
    p.start(consume=True)  # consumer threads + reaper
    done = _wait(p, who, job.id)
    assert done.status == "succeeded"
    assert runs == [job.id]  # the second delivery found it running and did nothing extra
    assert done.attempts == 2


def test_reaper_fails_and_refunds_after_the_last_attempt(jobs_platform: Platform) -> None:
    p = jobs_platform
    p.handlers.register_job(job_kind("never"), json_job(lambda ctx, payload: {"ok": True}))
    who = _principal(p)
    job = p.jobs.submit(who, job_kind("never"), anything({}), feature="describe", amount=4000)
    with p.db.write() as s:
        s.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(
                status="running",
                attempts=3,
                lease_owner="dead",
                lease_expires_at=datetime.now(UTC) - timedelta(seconds=5),
            )
        )
    assert p.runtime.reap() >= 1
    done = p.jobs.get(who, job.id)
    assert done.status == "failed"
    assert done.error["code"] == "worker_lost"
    assert p.ledger.balances(who.account_id).total == 10_000


def test_cancel_a_queued_job_refunds(jobs_platform: Platform) -> None:
    p = jobs_platform
    p.handlers.register_job(job_kind("slow"), json_job(lambda ctx, payload: {"ok": True}))
    who = _principal(p)
    job = p.jobs.submit(
        who, job_kind("slow"), anything({}), feature="describe", amount=1000
    )  # no consumer yet
    assert p.jobs.cancel(who, job.id).status == "cancelled"
    assert p.ledger.balances(who.account_id).total == 10_000
    assert p.jobs.cancel(who, job.id).status == "cancelled"  # twice: no second refund
    assert p.ledger.balances(who.account_id).total == 10_000


def test_same_idempotency_key_returns_the_same_job_without_a_second_charge(
    jobs_platform: Platform,
) -> None:
    p = jobs_platform
    p.handlers.register_job(job_kind("noop"), json_job(lambda ctx, payload: {}))
    who = _principal(p)
    a = p.jobs.submit(
        who, job_kind("noop"), anything({}), feature="describe", amount=1000, idempotency_key="k1"
    )
    b = p.jobs.submit(
        who, job_kind("noop"), anything({}), feature="describe", amount=1000, idempotency_key="k1"
    )
    assert a.id == b.id
    assert p.ledger.balances(who.account_id).total == 9000


def test_other_accounts_jobs_are_not_found(jobs_platform: Platform) -> None:
    from seesay.errors import NotFound

    p = jobs_platform
    p.handlers.register_job(job_kind("noop"), json_job(lambda ctx, payload: {}))
    owner, stranger = _principal(p), _principal(p)
    job = p.jobs.submit(owner, job_kind("noop"), anything({}), feature="describe", amount=0)
    with pytest.raises(NotFound):
        p.jobs.get(stranger, job.id)


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    fail_first = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if _Receiver.fail_first > 0:
            _Receiver.fail_first -= 1
            self.send_response(503)
            self.end_headers()
            return
        _Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def _deliver_one_webhook(
    p: Platform, kind: str, *, fail_first: int, mode: str = "live"
) -> tuple[Any, Principal]:
    """Run a ``kind`` job with a webhook to a loopback receiver that answers 503 to its first
    ``fail_first`` deliveries; return the job once a delivery arrived."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    _Receiver.fail_first = fail_first
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        p.start(consume=True)
        who = _principal(p, mode=mode)
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        job = p.jobs.submit(
            who, job_kind(kind), anything({}), feature="describe", amount=0, webhook_url=url
        )
        _wait(p, who, job.id)
        deadline = time.monotonic() + 15
        while not _Receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.shutdown()
    return job, who


def test_webhook_is_signed_and_retried(jobs_platform: Platform) -> None:
    p = jobs_platform
    p.handlers.register_job(job_kind("upper"), json_job(lambda ctx, payload: {"text": "X"}))
    job, who = _deliver_one_webhook(p, "upper", fail_first=1)
    assert len(_Receiver.received) == 1
    headers, body = _Receiver.received[0]
    event = json.loads(body)
    assert event["id"] == job.id
    assert event["status"] == "succeeded"
    secret = webhook_secret(p.settings.signing_secrets[0].get_secret_value(), who.account_id)
    assert verify_signature(secret, body, headers["SeeSay-Signature"])
    assert not verify_signature(secret, body + b" ", headers["SeeSay-Signature"])
    deadline = time.monotonic() + 5
    while p.jobs.get(who, job.id).webhook_status != "delivered" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert p.jobs.get(who, job.id).webhook_status == "delivered"


def test_a_test_mode_job_is_signed_with_the_test_webhook_secret(jobs_platform: Platform) -> None:
    p = jobs_platform
    p.handlers.register_job(job_kind("upper"), json_job(lambda ctx, payload: {"text": "X"}))
    _job, who = _deliver_one_webhook(p, "upper", fail_first=0, mode="test")
    headers, body = _Receiver.received[0]
    server_secret = p.settings.signing_secrets[0].get_secret_value()
    test_secret = webhook_secret(server_secret, who.account_id, "test")
    assert verify_signature(test_secret, body, headers["SeeSay-Signature"])
    live_secret = webhook_secret(server_secret, who.account_id)
    assert not verify_signature(live_secret, body, headers["SeeSay-Signature"])


def test_webhook_carries_signed_audio_urls_on_the_public_origin(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        public_base_url="https://voice.example.org/",
        fetch={"allowed_hosts": ["127.0.0.1"]},
    )
    p = Platform.build(settings)
    blob = p.storage.put(b"ID3 not really audio", content_type="audio/mpeg", suffix=".mp3")
    p.handlers.register_job(
        job_kind("speak"), json_job(lambda ctx, payload: {"blob_id": blob, "duration": 1.0})
    )
    try:
        _deliver_one_webhook(p, "speak", fail_first=0)
    finally:
        p.close()
    result = json.loads(_Receiver.received[0][1])["result"]
    assert result["blob_id"] == blob
    audio = httpx.URL(result["audio_url"])
    assert (audio.scheme, audio.host) == ("https", "voice.example.org")
    assert audio.path == f"/files/{blob}"
    p.signer.verify(blob, audio.params["expires"], audio.params["sig"])  # raises if forged


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.7/hook",
        "http://[::ffff:127.0.0.2]/hook",
        "file:///etc/passwd",
        "http://user:pw@example.com/hook",
    ],
)
def test_webhook_urls_to_internal_addresses_are_refused_at_submission(
    jobs_platform: Platform, url: str
) -> None:
    from seesay.errors import UnsafeUrl

    p = jobs_platform
    p.handlers.register_job(job_kind("noop"), json_job(lambda ctx, payload: {}))
    who = _principal(p)
    with pytest.raises(UnsafeUrl) as refused:
        p.jobs.submit(
            who, job_kind("noop"), anything({}), feature="describe", amount=1000, webhook_url=url
        )
    assert refused.value.param == "webhook_url"
    assert p.ledger.balances(who.account_id).total == 10_000  # nothing reserved
