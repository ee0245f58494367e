"""A moving-window limit over any number of seconds (the per-IP limits of sign-in).

Backed by the same store as the per-key limits (``ratelimit_url``: memory or Redis), so
several API processes share one window in the distributed mode.
"""

from __future__ import annotations

import time

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from seesay.accounts.limits import window_full

__all__ = ["WindowLimiter"]


class WindowLimiter:
    def __init__(self, url: str) -> None:
        self._storage = storage_from_string(url)
        self._limiter = MovingWindowRateLimiter(self._storage)

    def hit(self, namespace: str, key: str, limit: int, seconds: int, what: str) -> None:
        """Count one ``what``; raise RateLimited once ``limit`` were counted in ``seconds``."""
        item = RateLimitItemPerSecond(limit, seconds, namespace="wv-" + namespace)
        if self._limiter.hit(item, key):
            return
        stats = self._limiter.get_window_stats(item, key)
        too_many = f"Too many {what} from this address: {limit} per {seconds // 60} minutes."
        raise window_full(stats.reset_time, time.time(), limit, too_many)

    def reset(self) -> None:
        self._storage.reset()
