"""Readiness: the backing services, and each configured engine with its parts.

Nothing here loads an engine: an engine that was never asked for reads ``not_loaded``. An
engine made of parts (the offline describer) reports each one, so an operator sees which
detector is down and why (the exception class), even while the others keep serving.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, Protocol, runtime_checkable

from huey import Huey

from seesay.db.engine import Database
from seesay.engines.base import Engine, Task
from seesay.engines.registry import EngineRegistry
from seesay.errors import SeeSayError
from seesay.storage import BlobStore

__all__ = ["Backends", "EngineState", "engine_status", "readiness"]

# The SQLite integrity check reads every page: it may take this share of the wall time.
INTEGRITY_SHARE: Final = 0.01

EngineState = Literal["loaded", "not_loaded", "degraded", "failed"]


class Backends(Protocol):
    """What readiness checks (the platform has it all)."""

    @property
    def db(self) -> Database: ...
    @property
    def queue(self) -> Huey: ...
    @property
    def storage(self) -> BlobStore: ...


@runtime_checkable
class _ReportsParts(Protocol):
    def parts(self) -> Mapping[str, Mapping[str, Any]]: ...


def readiness(platform: Backends) -> dict[str, dict[str, Any]]:
    """Each check's outcome and latency; never raises. A failed check names the exception
    class (``error``) and, for SeeSay's own errors, what is wrong (``detail``)."""

    def db() -> None:
        platform.db.check(integrity_share=INTEGRITY_SHARE)

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
            if isinstance(exc, SeeSayError):
                out[name]["detail"] = exc.message
        out[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return out


def engine_status(engines: EngineRegistry) -> dict[str, dict[str, Any]]:
    """Every configured engine by ``task/name``. ``status``: ``loaded``, ``not_loaded``,
    ``degraded`` (some part failed; the rest serve) or ``failed`` (its load failed, the reason
    in ``error``, so it is unavailable); ``parts`` lists an engine's parts with their own
    ``status`` (``loaded``, ``failed`` with ``error``, ``not_loaded``, ``disabled``), where
    it reports any (a speech engine reports only its voices that cannot be opened)."""
    loaded = set(engines.loaded())
    out: dict[str, dict[str, Any]] = {}
    for task in Task:
        for engine in engines.all_of(task, Engine):  # type: ignore[type-abstract]
            key = f"{task.value}/{engine.info.name}"
            state: EngineState = "loaded" if key in loaded else "not_loaded"
            entry: dict[str, Any] = {"status": state}
            parts = engine.parts() if isinstance(engine, _ReportsParts) else {}
            if parts:
                entry["parts"] = {name: dict(part) for name, part in parts.items()}
                if any(part.get("status") == "failed" for part in parts.values()):
                    entry["status"] = "degraded"
            error = engines.load_error(task, engine.info.name)
            if error is not None:
                entry["status"], entry["error"] = "failed", error
            out[key] = entry
    return out
