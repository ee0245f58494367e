"""The ledger keeps money right under concurrency, on SQLite and on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from seesay.accounts.ledger import Ledger
from seesay.db.models import LedgerEntry
from seesay.errors import InsufficientCredits
from seesay.platform import Platform
from seesay.settings import load_settings


def _account(platform: Platform, credits: int) -> str:
    account = platform.accounts.create_account("t", plan="paid")
    if credits:
        platform.ledger.grant(account.id, credits)
    return account.id


def test_fifty_concurrent_reservations_against_ten_credits(backend_platform: Platform) -> None:
    ledger = backend_platform.ledger
    account = _account(backend_platform, 10_000)

    def attempt(_: int) -> bool:
        try:
            held = ledger.reserve(account, "live", "describe", 1000)
        except InsufficientCredits:
            return False
        ledger.settle(held.id)
        return True

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(attempt, range(50)))

    assert outcomes.count(True) == 10
    assert ledger.balances(account).total == 0
    assert ledger.ledger_sum(account) == 0


def test_refund_happens_exactly_once_under_concurrent_retries(backend_platform: Platform) -> None:
    ledger = backend_platform.ledger
    account = _account(backend_platform, 5000)
    held = ledger.reserve(account, "live", "describe", 3000)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: ledger.refund(held.id), range(8)))

    assert results.count(True) == 1
    assert ledger.settle(held.id) == 0  # closed: settling afterwards spends nothing
    assert ledger.balances(account).total == 5000
    with backend_platform.db.read() as s:
        refunds = s.scalars(
            select(LedgerEntry).where(
                LedgerEntry.reservation_id == held.id, LedgerEntry.kind == "refund"
            )
        ).all()
    assert sum(e.delta for e in refunds) == 3000


def test_spending_takes_monthly_before_purchased_and_refund_restores_both(
    backend_platform: Platform,
) -> None:
    ledger = backend_platform.ledger
    account = backend_platform.accounts.create_account("free one", plan="free").id  # 25 monthly
    ledger.grant(account, 10_000)  # purchased
    held = ledger.reserve(account, "live", "describe", 30_000)
    after = ledger.balances(account)
    assert (after.monthly, after.purchased) == (0, 5000)
    ledger.refund(held.id)
    restored = ledger.balances(account)
    assert (restored.monthly, restored.purchased) == (25_000, 10_000)
    assert ledger.ledger_sum(account) == restored.total


def test_settle_for_less_releases_the_rest(backend_platform: Platform) -> None:
    ledger = backend_platform.ledger
    account = _account(backend_platform, 5000)
    held = ledger.reserve(account, "live", "speech", 4000)
    assert ledger.settle(held.id, 1500) == 1500
    assert ledger.balances(account).total == 3500
    assert ledger.ledger_sum(account) == 3500


def test_test_mode_balance_is_separate(backend_platform: Platform) -> None:
    ledger = backend_platform.ledger
    account = _account(backend_platform, 2000)
    ledger.grant(account, 7000, mode="test")
    ledger.reserve(account, "test", "describe", 7000)
    assert ledger.balances(account, "test").total == 0
    assert ledger.balances(account, "live").total == 2000
    with pytest.raises(InsufficientCredits):
        ledger.reserve(account, "test", "describe", 1)


def test_monthly_pool_resets_to_the_plan_grant(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    platform = Platform.build(load_settings(data_dir=tmp_path))
    now = [datetime(2026, 1, 15, tzinfo=UTC)]
    ledger = Ledger(platform.db, clock=lambda: now[0])
    account = platform.accounts.create_account("f", plan="free").id
    held = ledger.reserve(account, "live", "describe", 20_000)
    ledger.settle(held.id)
    assert ledger.balances(account).monthly >= 0
    now[0] = datetime(2027, 2, 2, tzinfo=UTC)  # well past the reset date
    balances = ledger.balances(account)
    assert balances.monthly == 25_000
    assert balances.reset_at == datetime(2027, 3, 1, tzinfo=UTC)
    assert ledger.ledger_sum(account) == balances.total
    platform.close()


def test_abandoned_reservations_are_refunded_but_live_jobs_keep_theirs(
    backend_platform: Platform,
) -> None:
    from datetime import timedelta

    from seesay.jobs.store import new_job_id

    platform = backend_platform
    ledger = platform.ledger
    account = _account(platform, 10_000)
    ledger.reserve(account, "live", "describe", 1000)  # its process died before settling
    job_hold = ledger.reserve(account, "live", "speech", 2000)
    platform.jobs._store.create(
        job_id=new_job_id(),
        account_id=account,
        mode="live",
        kind="speech",
        payload={},
        max_attempts=3,
        reservation_id=job_hold.id,
        webhook_url=None,
    )
    settled = ledger.reserve(account, "live", "describe", 500)
    ledger.settle(settled.id)

    assert ledger.refund_abandoned(timedelta(hours=1)) == 0  # nothing old enough yet
    assert ledger.refund_abandoned(timedelta(seconds=-1)) == 1  # only the dead request
    balances = ledger.balances(account)
    assert balances.total == 10_000 - 2000 - 500
    assert ledger.ledger_sum(account) == balances.total
    assert ledger.refund_abandoned(timedelta(seconds=-1)) == 0  # exactly once
