"""Submitting, reading and cancelling jobs, and running inference calls.

``JobService.submit`` reserves the job's price before it is queued; the runner settles it on
success and refunds it on failure or cancellation. A client-supplied idempotency key maps to
a deterministic job id, so a retried submission returns the first job without a second
charge.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from seesay.accounts.ledger import Ledger
from seesay.accounts.service import Principal
from seesay.errors import Conflict, EngineTimeout, InvalidRequest
from seesay.jobs.handlers import Handlers
from seesay.jobs.runner import JobRuntime
from seesay.jobs.store import JobStore, JobView, new_job_id

__all__ = ["InferenceExecutor", "JobService"]


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
        kind: str,
        payload: dict[str, Any],
        *,
        feature: str,
        amount: int,
        quantity: int = 1,
        webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> JobView:
        """Reserve ``amount`` millicredits for ``feature`` and queue the job."""
        if not self._runtime.handlers.has_job(kind):
            raise InvalidRequest(f"unknown job kind {kind!r}")
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
        try:
            job = self._store.create(
                job_id=job_id,
                account_id=principal.account_id,
                mode=principal.mode,
                kind=kind,
                payload=payload,
                max_attempts=self._max_attempts,
                reservation_id=held.id,
                webhook_url=webhook_url,
            )
        except Exception:
            self._ledger.refund(held.id)
            existing = self._existing(job_id, principal) if idempotency_key else None
            if existing is not None:
                return existing  # a concurrent retry created it first
            raise
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
        if self._store.cancel(job_id, principal.account_id, principal.mode) and job.reservation_id:
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


class InferenceExecutor:
    """Runs a named inference call here (embedded) or on a worker (distributed)."""

    def __init__(self, handlers: Handlers, runtime: JobRuntime, *, inline: bool, timeout: float):
        self._handlers = handlers
        self._runtime = runtime
        self.inline = inline
        self._timeout = timeout

    def call(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        if self.inline:
            return self._handlers.call(name, payload)
        return self._runtime.call_remote(name, payload, self._timeout)
