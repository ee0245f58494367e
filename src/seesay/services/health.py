"""Readiness checks of the backing services."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from seesay.services.container import Platform

__all__ = ["readiness"]


def readiness(platform: Platform) -> dict[str, dict[str, Any]]:
    """Each check's outcome and latency; never raises."""

    def db() -> None:
        with platform.db.read() as s:
            s.execute(text("SELECT 1"))

    def queue() -> None:
        platform.queue.pending_count()

    checks: dict[str, Callable[[], None]] = {
        "database": db,
        "queue": queue,
        "storage": platform.storage.check,
    }
    out: dict[str, dict[str, Any]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
            out[name] = {"ok": True}
        except Exception as exc:
            out[name] = {"ok": False, "error": type(exc).__name__}
        out[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return out
