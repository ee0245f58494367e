"""Submitting, reading and cancelling jobs, and running inference calls.

``JobService.submit`` reserves the job's price before it is queued; the runner settles it on
success and refunds it on failure or cancellation. A client-supplied idempotency key maps to
a deterministic job id, so a retried submission returns the first job without a second
charge.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from seesay import logs
from seesay.accounts.ledger import Ledger
from seesay.accounts.service import Principal
from seesay.engines import deadline
from seesay.engines.deadline import Deadline, deadline_scope
from seesay.errors import Conflict, EngineTimeout, InvalidRequest
from seesay.jobs.contracts import Call, In, JobKind, Out
from seesay.jobs.handlers import Handlers
from seesay.jobs.runner import JobRuntime
from seesay.jobs.settings import DeadlineSettings
from seesay.jobs.store import JobStore, JobView, new_job_id

__all__ = ["InferenceExecutor", "JobService"]

log = logging.getLogger(__name__)

# How much longer than the budget an API process waits for a worker's answer, so the
# worker's own timeout (which says which step overran) arrives before the queue wait ends.
_GRACE = 1.0


class JobService:
    def __init__(
        self,
        store: JobStore,
        ledger: Ledger,
        runtime: JobRuntime,
        *,
        max_attempts: int,
        check_webhook: Callable[[str], object],
    ) -> None:
        self._check_webhook = check_webhook
        self._store = store
        self._ledger = ledger
        self._runtime = runtime
        self._max_attempts = max_attempts

    def submit(
        self,
        principal: Principal,
        kind: JobKind[In],
        payload: In,
        *,
        feature: str,
        amount: int,
        quantity: int = 1,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> JobView:
        """Reserve ``amount`` millicredits for ``feature`` and queue the job; its row keeps
        ``payload``'s JSON."""
        if not self._runtime.handlers.has_job(kind.name):
            raise InvalidRequest(f"unknown job kind {kind.name!r}")
        if webhook_url is not None:
            self._check_webhook(webhook_url)
        job_id = new_job_id()
        if idempotency_key:
            digest = hashlib.sha256(f"{principal.key_hash}:{idempotency_key}".encode()).hexdigest()
            job_id = "job_" + digest[:24]
            existing = self._existing(job_id, principal)
            if existing is not None:
                return existing
        held = self._ledger.reserve(
            principal.account_id, principal.mode, feature, amount, quantity=quantity
        )
        context = logs.current()
        try:
            job = self._store.create(
                job_id=job_id,
                account_id=principal.account_id,
                mode=principal.mode,
                kind=kind.name,
                payload=payload.model_dump(mode="json"),
                max_attempts=self._max_attempts,
                reservation_id=held.id,
                webhook_url=webhook_url,
                request_id=context.request_id if context else None,
            )
        except Exception:
            self._ledger.refund(held.id)
            existing = self._existing(job_id, principal) if idempotency_key else None
            if existing is not None:
                return existing  # a concurrent retry created it first
            raise
        logs.event(
            log,
            "job queued",
            job_id=job.id,
            kind=job.kind,
            status=job.status,
            credits_held=amount / 1000,
            webhook=bool(webhook_url),
        )
        try:
            self._runtime.enqueue(job.id)
        except Exception:
            # The queue is down: the reaper re-sends stale queued jobs, so the job is not
            # lost, but say so rather than pretend all is well.
            raise
        return job

    def _existing(self, job_id: str, principal: Principal) -> JobView | None:
        try:
            job = self._store.get(job_id)
        except Exception:
            return None
        if job.account_id != principal.account_id:
            raise Conflict("idempotency key collision")
        return job

    def get(self, principal: Principal, job_id: str) -> JobView:
        """A job of the caller's account and key mode (a test key never sees a live job)."""
        return self._store.get(job_id, principal.account_id, principal.mode)

    def cancel(self, principal: Principal, job_id: str) -> JobView:
        job = self.get(principal, job_id)
        if self._store.cancel(job_id, principal.account_id, principal.mode):
            logs.event(log, "job cancelled", job_id=job_id, kind=job.kind, status="cancelled")
            if job.reservation_id:
                self._ledger.refund(job.reservation_id)
        return self.get(principal, job_id)

    def wait(self, principal: Principal, job_id: str, timeout: float) -> JobView:
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            job = self.get(principal, job_id)
            if job.done:
                return job
            if time.monotonic() >= deadline:
                raise EngineTimeout(f"job {job_id} did not finish within {timeout:g} s")
            time.sleep(delay)
            delay = min(0.5, delay * 1.5)


def _log_overrun(name: str, limit: Deadline) -> None:
    """Say how long an abandoned call held its thread past its deadline: an engine that
    checks its deadline stops within moments, one that does not shows up here."""
    over = time.monotonic() - limit.expires_at
    if over > 1.0:
        log.warning("inference call %r ran %.1f s past its deadline", name, over)


class InferenceExecutor:
    """Runs a named inference call here (embedded) or on a worker (distributed), under a
    deadline.

    Each call gets the deadline its feature has in ``DeadlineSettings`` (``timeout`` for a
    call of no listed feature); a call made inside another keeps the sooner of the two. Past
    the deadline :meth:`call` raises ``EngineTimeout`` even if the engine never checks it:

    - inline, the call runs on one of ``inline_threads`` pool threads while the caller waits
      at most until the deadline. An abandoned call keeps its thread until the engine's next
      deadline check (soon, for the engines that check); the pool's fixed size bounds how
      many threads a misbehaving engine can hold, and a call still queued for a thread at its
      deadline never starts;
    - distributed, the remaining budget travels with the call and the worker runs it under
      the same deadline.
    """

    def __init__(
        self,
        handlers: Handlers,
        runtime: JobRuntime,
        *,
        inline: bool,
        timeout: float,
        deadlines: DeadlineSettings | None = None,
    ):
        self._handlers = handlers
        self._runtime = runtime
        self.inline = inline
        self._timeout = timeout
        self._deadlines = deadlines or DeadlineSettings()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def deadline_for(self, name: str, *, audio_seconds: float = 0.0) -> Deadline:
        """A fresh deadline for the call ``name`` (``audio_seconds``: the audio it processes,
        for features whose allowance grows with it)."""
        seconds = self._deadlines.seconds_for(name, audio_seconds=audio_seconds)
        return Deadline.after(
            self._timeout if seconds is None else seconds, label=f"the inference step {name!r}"
        )

    def call(self, call: Call[In, Out], payload: In, *, audio_seconds: float = 0.0) -> Out:
        """Run the registered ``call`` on ``payload``; raises ``EngineTimeout`` past its
        deadline. The input and the result cross the queue as their JSON."""
        return call.gives.model_validate(
            self._call_json(call.name, payload.model_dump(mode="json"), audio_seconds)
        )

    def _call_json(
        self, name: str, payload: dict[str, Any], audio_seconds: float
    ) -> dict[str, Any]:
        outer = deadline.current()
        with deadline_scope(self.deadline_for(name, audio_seconds=audio_seconds)) as limit:
            if not self.inline:
                return self._runtime.call_remote(name, payload, limit.remaining() + _GRACE, limit)
            if outer is not None:
                # Inside a call or a job, which has a thread of its own: run on it, under the
                # sooner deadline (an inline caller's bounded wait covers this one too).
                limit.check()
                return self._handlers.call(name, payload)
            return self._call_on_pool(name, payload, limit)

    def _call_on_pool(self, name: str, payload: dict[str, Any], limit: Deadline) -> dict[str, Any]:
        context = contextvars.copy_context()  # carries the deadline into the pool thread
        future = self._ensure_pool().submit(context.run, self._run_inline, name, payload, limit)
        try:
            return future.result(timeout=limit.remaining())
        except FutureTimeout:
            if not future.cancel():  # a call still waiting for a thread never starts
                future.add_done_callback(lambda _: _log_overrun(name, limit))
            raise limit.error() from None

    def _run_inline(self, name: str, payload: dict[str, Any], limit: Deadline) -> dict[str, Any]:
        limit.check()  # it waited for a thread past its deadline: do not start
        return self._handlers.call(name, payload)

    def _ensure_pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    self._deadlines.inline_threads, thread_name_prefix="seesay-inference"
                )
            return self._pool

    def close(self) -> None:
        """Stop the inline threads once their calls end; queued calls are dropped."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
