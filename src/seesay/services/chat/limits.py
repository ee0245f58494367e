"""Per-account request limits of free chat models: per minute and per day.

Counted with the ``limits`` library on the platform's rate-limit store (memory in the
embedded mode, Redis in the distributed one, so every API process shares the windows). The
daily allowance grows once the account has bought credits (the WebVoice spec: 50 a day
before a purchase, 1000 after).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from seesay.db.engine import Database
from seesay.db.models import LedgerEntry
from seesay.errors import RateLimited
from seesay.services.chat.settings import ChatSettings

__all__ = ["FreeModelLimiter", "purchase_check"]


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
        wait = max(1, math.ceil(stats.reset_time - self._clock()))
        raise RateLimited(
            f"Free model limit reached: {limit} requests per {what} per account. "
            f"Retry after {wait} seconds.",
            retry_after=wait,
            limit=limit,
            remaining=0,
            reset=math.ceil(stats.reset_time),
        )


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
