"""What jobs and queued inference calls run: named handlers with typed input and output.

Services register two kinds of functions at start-up, each under its contract
(``seesay.jobs.contracts``):

* job handlers (``register_job``) run asynchronous jobs; they receive a ``JobContext`` and the
  job's payload model and return a ``JobOutcome``: the result model, and the millicredits to
  settle the job's reservation for when that is less than was held. Handlers must be
  idempotent: a job whose worker died is run again.
* calls (``register_call``) are synchronous inference steps that an API process either runs
  itself (embedded) or sends to a worker and waits for (distributed).

The queue and the job rows carry the models' JSON; this registry validates it back.

Errors cross process boundaries as ``{"error": {...}}`` dictionaries and are rebuilt into
the same ``seesay.errors`` class on the other side.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from seesay.errors import EngineError, InvalidRequest, SeeSayError
from seesay.jobs.contracts import Call, In, JobKind, JobOutcome, Out

__all__ = [
    "CallHandler",
    "Handlers",
    "JobContext",
    "JobHandler",
    "JobOutcome",
    "error_from_dict",
    "error_to_dict",
    "is_permanent",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a job handler knows of its job. ``progress`` is the last report of an earlier
    attempt (``None`` on the first), so a retried handler can resume instead of redoing."""

    job_id: str
    account_id: str
    mode: str
    attempt: int
    report_progress: Callable[[dict[str, Any]], None]
    progress: dict[str, Any] | None = None


# The JSON-level forms the registry keeps: what the queue hands over, what it sends back.
JobHandler = Callable[[JobContext, Mapping[str, Any]], JobOutcome]
CallHandler = Callable[[Mapping[str, Any]], dict[str, Any]]


class Handlers:
    def __init__(self) -> None:
        self._jobs: dict[str, JobHandler] = {}
        self._calls: dict[str, CallHandler] = {}

    def register_job(
        self, kind: JobKind[In], handler: Callable[[JobContext, In], JobOutcome]
    ) -> None:
        if kind.name in self._jobs:
            raise ValueError(f"job kind {kind.name!r} registered twice")

        def run(ctx: JobContext, payload: Mapping[str, Any]) -> JobOutcome:
            return handler(ctx, kind.payload(payload))

        self._jobs[kind.name] = run

    def register_call(self, call: Call[In, Out], handler: Callable[[In], Out]) -> None:
        if call.name in self._calls:
            raise ValueError(f"call {call.name!r} registered twice")
        self._calls[call.name] = call.serve(handler)

    def job(self, kind: str) -> JobHandler:
        try:
            return self._jobs[kind]
        except KeyError:
            raise InvalidRequest(f"unknown job kind {kind!r}") from None

    def has_job(self, kind: str) -> bool:
        return kind in self._jobs

    def call(self, name: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Run the call ``name`` on its JSON input; its JSON result."""
        try:
            handler = self._calls[name]
        except KeyError:
            raise EngineError(f"no handler for call {name!r}") from None
        return handler(payload)

    def call_as_message(self, name: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Run a call and wrap the outcome for the queue: ``{"ok": ...}`` or ``{"error": ...}``."""
        try:
            return {"ok": self.call(name, payload)}
        except Exception as exc:
            return {"error": error_to_dict(exc)}


def is_permanent(exc: BaseException) -> bool:
    """A failure that another attempt cannot fix: a ``SeeSayError`` that is not retryable."""
    return isinstance(exc, SeeSayError) and not exc.retryable


def error_to_dict(exc: BaseException) -> dict[str, Any]:
    """``exc.to_dict()``; an unexpected exception is logged and becomes a bare server error."""
    if isinstance(exc, SeeSayError):
        return exc.to_dict()
    log.error("unexpected error in a job or call", exc_info=exc)
    return {"type": "EngineError", "code": "server_error", "message": "internal error"}


error_from_dict = SeeSayError.from_dict
