"""Limits of the chat bridge: per-account request limits of free chat models (per minute and
per day), and a per-key daily spend cap on paid chat.

Counted with the ``limits`` library on the platform's rate-limit store (memory in the
embedded mode, Redis in the distributed one, so every API process shares the windows). The
daily allowance grows once the account has bought credits (the WebVoice spec: 50 a day
before a purchase, 1000 after). The spend cap bounds what one key (a leaked one, a runaway
agent) can spend on chat in a UTC day, whatever the account's balance.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from seesay.accounts.limits import window_full
from seesay.accounts.plans import CREDIT
from seesay.db.engine import Database
from seesay.db.models import LedgerEntry
from seesay.errors import RateLimited
from seesay.services.chat.settings import ChatSettings

__all__ = ["FreeModelLimiter", "KeySpendCap", "purchase_check"]


class FreeModelLimiter:
    def __init__(
        self,
        url: str,
        settings: ChatSettings,
        *,
        has_purchased: Callable[[str], bool],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(url))
        self._settings = settings
        self._has_purchased = has_purchased
        self._clock = clock

    def hit(self, account_id: str) -> None:
        """Count one free request of ``account_id`` or raise ``RateLimited`` (429)."""
        s = self._settings
        per_day = s.free_per_day_purchased if self._has_purchased(account_id) else s.free_per_day
        minute = RateLimitItemPerMinute(s.free_per_minute, namespace="chat-free")
        # One daily counter whatever the allowance (``limits`` keys a window by its amount),
        # so a purchase raises the allowance without resetting the day's count.
        day = RateLimitItemPerDay(
            max(s.free_per_day, s.free_per_day_purchased), namespace="chat-free"
        )
        if not self._limiter.test(minute, account_id):
            self._refuse(minute, account_id, s.free_per_minute, "minute")
        if self._used(day, account_id) >= per_day:
            self._refuse(day, account_id, per_day, "day")
        if not self._limiter.hit(minute, account_id):
            self._refuse(minute, account_id, s.free_per_minute, "minute")
        self._limiter.hit(day, account_id)

    def _used(self, item: RateLimitItem, account_id: str) -> int:
        return item.amount - self._limiter.get_window_stats(item, account_id).remaining

    def _refuse(self, item: RateLimitItem, account_id: str, limit: int, what: str) -> None:
        stats = self._limiter.get_window_stats(item, account_id)
        reached = f"Free model limit reached: {limit} requests per {what} per account."
        raise window_full(stats.reset_time, self._clock(), limit, reached)


class KeySpendCap:
    """At most ``cap`` millicredits of chat per API key per UTC day (0: no cap).

    :meth:`spend` counts an amount before the request is charged and gives it back when the
    request fails (its credits are refunded), so only completed requests use the allowance.
    """

    def __init__(
        self, url: str, cap: int, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        storage = storage_from_string(url)
        assert isinstance(storage, Storage)  # a sync store (memory:// or redis://)
        self._storage = storage
        self._cap = cap
        self._now = clock

    @contextmanager
    def spend(self, key_id: str, amount: int) -> Iterator[None]:
        """Count ``amount`` for ``key_id`` today or raise ``RateLimited`` (429) if it would
        pass the cap; the amount is given back if the block raises."""
        if self._cap <= 0 or amount <= 0:
            yield
            return
        now = self._now()
        midnight = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
        left = max(1, math.ceil((midnight - now).total_seconds()))
        counter = f"chat-spend/{key_id}/{now:%Y-%m-%d}"
        expiry = left + 60
        total = self._storage.incr(counter, expiry, amount=amount)
        if total > self._cap:
            self._storage.incr(counter, expiry, amount=-amount)  # Redis storage has no decr
            raise RateLimited(
                f"This API key reached its daily chat spending cap of "
                f"{self._cap / CREDIT:g} credits; it resets at 00:00 UTC, in {left} seconds.",
                retry_after=left,
                limit=self._cap,
                remaining=max(0, self._cap - (total - amount)),
                reset=math.ceil(midnight.timestamp()),
            )
        try:
            yield
        except BaseException:
            self._storage.incr(counter, expiry, amount=-amount)
            raise


def purchase_check(db: Database) -> Callable[[str], bool]:
    """Whether an account has ever bought credits (a ``purchase`` ledger entry)."""

    def has_purchased(account_id: str) -> bool:
        with db.read() as s:
            found = s.scalar(
                select(LedgerEntry.id)
                .where(LedgerEntry.account_id == account_id, LedgerEntry.kind == "purchase")
                .limit(1)
            )
        return found is not None

    return has_purchased
