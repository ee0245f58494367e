"""Periodic housekeeping in every SeeSay process: expire idempotency records, refund credits
left held by requests whose process died, and unload engines nobody used for
``engines.idle_unload_seconds``."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from seesay.accounts.idempotency import IdempotencyStore
from seesay.accounts.ledger import Ledger
from seesay.engines.registry import EngineRegistry

__all__ = ["Maintenance"]

log = logging.getLogger(__name__)


class Maintenance:
    def __init__(
        self,
        idempotency: IdempotencyStore,
        engines: EngineRegistry,
        ledger: Ledger,
        *,
        idle_unload_seconds: float,
        abandoned_after: timedelta,
        purge_every_seconds: float = 600.0,
    ) -> None:
        self._idempotency = idempotency
        self._ledger = ledger
        self._abandoned_after = abandoned_after
        self._engines = engines
        self._idle = idle_unload_seconds
        self._purge_every = purge_every_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, *, purge: bool = True) -> None:
        if purge:
            self._idempotency.purge_expired()
            refunded = self._ledger.refund_abandoned(self._abandoned_after)
            if refunded:
                log.warning("refunded %d reservations abandoned by dead requests", refunded)
        if self._idle > 0:
            freed = self._engines.unload_idle(self._idle)
            if freed:
                log.info("unloaded idle engines: %s", ", ".join(freed))

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._loop, name="seesay-maintenance", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        tick = max(1.0, min(self._purge_every, self._idle / 4 if self._idle > 0 else 60.0))
        since_purge = 0.0
        while not self._stop.wait(tick):
            since_purge += tick
            try:
                self.run_once(purge=since_purge >= self._purge_every)
            except Exception:
                log.warning("maintenance pass failed", exc_info=True)
            if since_purge >= self._purge_every:
                since_purge = 0.0
