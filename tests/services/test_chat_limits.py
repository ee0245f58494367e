"""The per-key daily chat spending cap on both rate-limit stores (memory and Redis)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from seesay.errors import RateLimited
from seesay.services.chat.limits import KeySpendCap
from support.services import fresh_redis


@pytest.fixture(params=["memory", "redis"])
def store_url(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "memory":
        yield "memory://"
        return
    with fresh_redis() as url:
        yield url


def test_cap_counts_completed_spending_per_key_and_day(store_url: str) -> None:
    now = [datetime(2026, 5, 1, 23, 59, 0, tzinfo=UTC)]
    cap = KeySpendCap(store_url, 3000, clock=lambda: now[0])
    with cap.spend("key_a", 2000):
        pass
    with pytest.raises(RuntimeError), cap.spend("key_a", 1000):
        raise RuntimeError("the request failed and was refunded")
    with pytest.raises(RateLimited) as refused, cap.spend("key_a", 1500):
        pass
    assert refused.value.retry_after == 60  # until midnight UTC
    with cap.spend("key_a", 1000):  # the refunded 1000 was given back: 3000 in all
        pass
    with cap.spend("key_b", 3000):  # another key has its own allowance
        pass
    now[0] = datetime(2026, 5, 2, 0, 0, 1, tzinfo=UTC)
    with cap.spend("key_a", 3000):  # a new day
        pass


def test_zero_means_no_cap() -> None:
    cap = KeySpendCap("memory://", 0)
    with cap.spend("key_a", 10**12):
        pass
