"""Per-key request rate (moving window) and concurrency (expiring leases).

Rates use the ``limits`` library: memory storage in the embedded mode, Redis when
``ratelimit_url`` points at one, so several API processes share one window.

Concurrency uses leases: a slot is a member of a per-key sorted set scored by its expiry.
Acquiring drops expired members first, so a slot held by a process that died (``kill -9``)
frees itself once its lease runs out. Live holders renew their leases from a background
thread well before expiry. The memory backend keeps the same semantics in one process.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from seesay.errors import ConcurrencyLimited, RateLimited

__all__ = [
    "ConcurrencyLimiter",
    "LeaseBackend",
    "MemoryLeases",
    "RateLimiter",
    "RateState",
    "RedisLeases",
    "open_limiters",
    "window_full",
]


@dataclass(frozen=True, slots=True)
class RateState:
    """What X-RateLimit-* headers report after a counted request."""

    limit: int
    remaining: int
    reset: int  # unix seconds when the window frees a request


def window_full(reset_time: float, now: float, limit: int, what: str) -> RateLimited:
    """The 429 for a full moving window that frees a request at ``reset_time`` (unix seconds,
    as ``limits`` reports it): ``what`` names the limit, the message adds the wait."""
    wait = max(1, math.ceil(reset_time - now))
    return RateLimited(
        f"{what} Retry after {wait} seconds.",
        retry_after=wait,
        limit=limit,
        remaining=0,
        reset=math.ceil(reset_time),
    )


class RateLimiter:
    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        self._storage = storage_from_string(url)
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._clock = clock

    def hit(self, namespace: str, key: str, per_minute: int) -> RateState:
        """Count one request; raise RateLimited when the window is full."""
        item = RateLimitItemPerMinute(per_minute, namespace=namespace)
        allowed = self._limiter.hit(item, key)
        stats = self._limiter.get_window_stats(item, key)
        reset = math.ceil(stats.reset_time)
        if not allowed:
            what = f"You have exceeded {per_minute} requests per minute."
            raise window_full(stats.reset_time, self._clock(), per_minute, what)
        return RateState(per_minute, max(0, stats.remaining), reset)

    def reset(self) -> None:
        self._storage.reset()


class LeaseBackend(Protocol):
    def acquire(self, key: str, lease_id: str, limit: int, ttl: float) -> bool: ...
    def renew(self, key: str, lease_id: str, ttl: float) -> None: ...
    def release(self, key: str, lease_id: str) -> None: ...
    def count(self, key: str) -> int: ...


class MemoryLeases:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._held: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str, lease_id: str, limit: int, ttl: float) -> bool:
        now = self._clock()
        with self._lock:
            held = {k: v for k, v in self._held.get(key, {}).items() if v > now}
            if len(held) >= limit:
                self._held[key] = held
                return False
            held[lease_id] = now + ttl
            self._held[key] = held
            return True

    def renew(self, key: str, lease_id: str, ttl: float) -> None:
        with self._lock:
            held = self._held.get(key, {})
            if lease_id in held:
                held[lease_id] = self._clock() + ttl

    def release(self, key: str, lease_id: str) -> None:
        with self._lock:
            self._held.get(key, {}).pop(lease_id, None)

    def count(self, key: str) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for v in self._held.get(key, {}).values() if v > now)


# KEYS[1] = set; ARGV = lease_id, limit, now, expiry. Atomic: purge, count, add.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil((tonumber(ARGV[4]) - tonumber(ARGV[3])) * 1000) + 1000)
return 1
"""


class RedisLeases:
    def __init__(self, url: str, *, prefix: str = "seesay:lease:") -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(url)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._prefix = prefix

    def _now(self) -> float:
        seconds, micros = self._redis.time()  # one clock for every process
        return float(seconds) + float(micros) / 1e6

    def acquire(self, key: str, lease_id: str, limit: int, ttl: float) -> bool:
        now = self._now()
        return bool(
            self._acquire(keys=[self._prefix + key], args=[lease_id, limit, now, now + ttl])
        )

    def renew(self, key: str, lease_id: str, ttl: float) -> None:
        self._redis.zadd(self._prefix + key, {lease_id: self._now() + ttl}, xx=True)
        self._redis.pexpire(self._prefix + key, int(ttl * 1000) + 1000)

    def release(self, key: str, lease_id: str) -> None:
        self._redis.zrem(self._prefix + key, lease_id)

    def count(self, key: str) -> int:
        return int(self._redis.zcount(self._prefix + key, self._now(), "+inf"))


class ConcurrencyLimiter:
    def __init__(self, backend: LeaseBackend, *, lease_seconds: float = 30.0) -> None:
        self._backend = backend
        self._ttl = lease_seconds
        self._held: dict[str, str] = {}  # lease_id -> key, renewed while held
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    @contextmanager
    def slot(self, key: str, limit: int) -> Iterator[None]:
        """Hold one of ``limit`` concurrent slots of ``key`` or raise ConcurrencyLimited."""
        lease_id = secrets.token_hex(8)
        if not self._backend.acquire(key, lease_id, limit, self._ttl):
            raise ConcurrencyLimited(
                f"Too many concurrent requests: this plan allows {limit} at a time.",
                retry_after=1,
                limit=limit,
            )
        with self._lock:
            self._held[lease_id] = key
            self._ensure_renewer()
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(lease_id, None)
            self._backend.release(key, lease_id)

    def in_use(self, key: str) -> int:
        return self._backend.count(key)

    def close(self) -> None:
        self._stop.set()

    def _ensure_renewer(self) -> None:
        if self._renewer is None or not self._renewer.is_alive():
            self._renewer = threading.Thread(
                target=self._renew_loop, name="seesay-lease-renewer", daemon=True
            )
            self._renewer.start()

    def _renew_loop(self) -> None:
        while not self._stop.wait(self._ttl / 3):
            with self._lock:
                held = list(self._held.items())
            for lease_id, key in held:
                try:
                    self._backend.renew(key, lease_id, self._ttl)
                except Exception:  # noqa: S112 - a failed renewal must not kill the loop
                    continue


def open_limiters(url: str, *, lease_seconds: float) -> tuple[RateLimiter, ConcurrencyLimiter]:
    """Both limiters on the same backing store (``memory://`` or ``redis://``)."""
    leases: LeaseBackend = (
        RedisLeases(url) if url.startswith(("redis://", "rediss://")) else MemoryLeases()
    )
    return RateLimiter(url), ConcurrencyLimiter(leases, lease_seconds=lease_seconds)
