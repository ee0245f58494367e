"""Runs jobs from the queue: claim, heartbeat, handler, then settle or refund exactly once.

``JobRuntime`` ties the pieces to a Huey instance: it defines the three queue tasks
(run a job, run a synchronous call, deliver a webhook), starts embedded consumer threads or
backs a ``seesay worker`` process, and runs the reaper that rescues jobs whose worker died:
a running job whose lease expired is queued again (or failed and refunded after its last
attempt), and a queued job whose message was lost is re-sent.

Each attempt of a job runs under ``JobsSettings.deadline_seconds`` and each synchronous call
a worker runs under the budget its sender had left (``engines.deadline``); a job that overran
fails and is refunded without another attempt.

Every state change is logged (``job running``, ``job succeeded``, ``job retrying``, ``job
failed``, ``job webhook ...``) under the log context of the request that submitted the job,
so the job's lines, and whatever its work logs, carry that request's id; the webhook request
carries it too, as ``X-Request-Id``.

With tracing on, each job attempt, each worker call and each webhook delivery is a span in
the trace of the request that sent it: the queue message carries that request's trace
context (``Tracing.carrier``), so the worker's span is its child; the webhook request carries
it on as ``traceparent``. A job the reaper re-sends has no carrier and starts its own trace,
still tagged with the request id.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from huey import Huey
from huey.api import Result
from huey.exceptions import HueyException

from seesay import logs
from seesay.accounts.ledger import Ledger
from seesay.engines.deadline import Deadline, deadline_scope
from seesay.errors import EngineTimeout
from seesay.jobs.handlers import (
    Handlers,
    JobContext,
    error_from_dict,
    error_to_dict,
    is_permanent,
)
from seesay.jobs.presenter import job_event
from seesay.jobs.queue import EmbeddedConsumer
from seesay.jobs.settings import JobsSettings
from seesay.jobs.store import JobStore, JobView, Then
from seesay.jobs.webhooks import WebhookSender
from seesay.tracing import Tracing

__all__ = ["JobRuntime"]

log = logging.getLogger(__name__)


class JobRuntime:
    def __init__(
        self,
        huey: Huey,
        store: JobStore,
        ledger: Ledger,
        handlers: Handlers,
        settings: JobsSettings,
        webhooks: WebhookSender,
        *,
        present: Callable[[JobView], dict[str, Any]] = job_event,
        tracing: Tracing | None = None,
    ) -> None:
        self.huey = huey
        self.tracing = tracing or Tracing()
        self.store = store
        self.ledger = ledger
        self.handlers = handlers
        self.settings = settings
        self.webhooks = webhooks
        self._present = present
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._consumer: EmbeddedConsumer | None = None
        self._reaper: threading.Thread | None = None
        self._stop = threading.Event()
        self._define_tasks()

    # -- queue tasks ------------------------------------------------------------------------

    def _define_tasks(self) -> None:
        runtime = self

        @self.huey.task(name="seesay.run_job")  # type: ignore[untyped-decorator]
        def run_job(job_id: str, trace: dict[str, str] | None = None) -> None:
            runtime.run(job_id, trace)

        @self.huey.task(name="seesay.call")  # type: ignore[untyped-decorator]
        def call(
            name: str,
            payload: dict[str, Any],
            budget: float | None = None,
            sent_at: float | None = None,
            origin: dict[str, str | None] | None = None,
        ) -> dict[str, Any]:
            return runtime.run_call(name, payload, budget, sent_at, origin)

        @self.huey.task(  # type: ignore[untyped-decorator]
            name="seesay.webhook",
            retries=self.settings.webhook_max_attempts - 1,
            retry_delay=2,
            context=True,
        )
        def webhook(job_id: str, trace: dict[str, str] | None = None, task: Any = None) -> None:
            runtime._deliver(job_id, last_try=task is not None and task.retries == 0, trace=trace)

        self._run_job = run_job
        self._call = call
        self._webhook = webhook

    def enqueue(self, job_id: str, delay: float = 0.0) -> None:
        """Send the job to the queue, with the current trace context (the submitting
        request's, or the failed attempt's for a retry). With tracing off the message is the
        same as without tracing, so workers of an older release still run it."""
        trace = self.tracing.carrier()
        extra = {"trace": trace} if trace else {}
        if delay > 0:
            self._run_job.schedule(args=(job_id,), kwargs=extra, delay=delay)
        else:
            self._run_job(job_id, **extra)

    def call_remote(
        self,
        name: str,
        payload: dict[str, Any],
        timeout: float,
        limit: Deadline | None = None,
    ) -> dict[str, Any]:
        """Send a synchronous call to a worker and wait for its answer at most ``timeout``
        seconds. With ``limit``, the worker runs the call under the time left to it."""
        context = logs.current()
        origin: dict[str, str | None] | None = (
            {"request_id": context.request_id, "account_id": context.account_id}
            if context is not None
            else None
        )
        trace = self.tracing.carrier()
        if trace:
            origin = {**(origin or {}), **trace}
        if limit is None:
            result: Result = self._call(name, payload, origin=origin)
        else:
            limit.check()
            result = self._call(name, payload, limit.remaining(), time.time(), origin)
        try:
            message = result.get(blocking=True, timeout=timeout, max_delay=0.05)
        except HueyException:
            result.revoke()
            raise EngineTimeout(f"no worker answered within {timeout:g} seconds") from None
        if "error" in message:
            raise error_from_dict(message["error"])
        return dict(message["ok"])

    def run_call(
        self,
        name: str,
        payload: dict[str, Any],
        budget: float | None,
        sent_at: float | None,
        origin: dict[str, str | None] | None = None,
    ) -> dict[str, Any]:
        """Run a call sent by ``call_remote`` under the ``budget`` seconds it had when it was
        sent at wall-clock ``sent_at``, less its wait in the queue; a call whose budget ran
        out in the queue is answered with ``EngineTimeout`` without running. What the call
        logs carries the sending request's id and account (``origin``), and its span continues
        the sending request's trace (``origin`` holds its ``traceparent``)."""
        origin = origin or {}
        request_id, account_id = origin.get("request_id"), origin.get("account_id")
        with (
            logs.log_context(request_id, account_id),
            self.tracing.span(
                "job.call",
                {
                    "seesay.call": name,
                    "seesay.request_id": request_id,
                    "seesay.account_id": account_id,
                },
                kind="consumer",
                parent=origin,
            ) as span,
        ):
            message = self._run_call(name, payload, budget, sent_at)
            if "error" in message:
                span.fail(str(message["error"].get("code", "error")))
            return message

    def _run_call(
        self, name: str, payload: dict[str, Any], budget: float | None, sent_at: float | None
    ) -> dict[str, Any]:
        if budget is None:
            return self.handlers.call_as_message(name, payload)
        # Another host's clock may differ: the queue wait only ever shortens the budget.
        waited = min(max(0.0, time.time() - (sent_at or time.time())), budget)
        limit = Deadline.after(budget - waited, label=f"the inference step {name!r}")
        with deadline_scope(limit):
            if limit.expired():
                return {"error": error_to_dict(limit.error())}
            return self.handlers.call_as_message(name, payload)

    # -- running a job ------------------------------------------------------------------------

    def run(self, job_id: str, trace: dict[str, str] | None = None) -> None:
        """Run one delivery of a job. Safe to call for a job that is done or held by another.
        ``trace``: the sender's trace context, which the attempt's span continues."""
        lease = self.settings.lease_seconds
        job = self.store.claim(job_id, self.owner, lease)
        if job is None:
            return
        with (
            logs.log_context(job.request_id, job.account_id),
            self.tracing.span(
                f"job {job.kind}",
                {
                    "seesay.job_id": job.id,
                    "seesay.job_kind": job.kind,
                    "seesay.job_attempt": job.attempts,
                    "seesay.request_id": job.request_id,
                    "seesay.account_id": job.account_id,
                },
                kind="consumer",
                parent=trace,
            ) as span,
        ):
            failure = self._run_claimed(job)
            if failure is not None:
                span.fail(failure)

    def _run_claimed(self, job: JobView) -> str | None:
        """Run the claimed ``job`` once; the class name of what failed it, or None."""
        logs.event(
            log, "job running", job_id=job.id, kind=job.kind, status="running", attempt=job.attempts
        )
        started = time.monotonic()
        limit = Deadline.after(self.settings.deadline_seconds, label=f"job {job.id}")
        stop = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=(job.id, stop), name=f"lease-{job.id}", daemon=True
        )
        beat.start()
        try:

            def report(progress: dict[str, Any]) -> None:
                self.store.set_progress(job.id, self.owner, progress)

            ctx = JobContext(
                job.id, job.account_id, job.mode, job.attempts, report, progress=job.progress
            )
            with deadline_scope(limit):
                outcome = self.handlers.job(job.kind)(ctx, job.payload)
        except Exception as exc:
            stop.set()
            self._after_failure(job, exc, overran=limit.expired())
            return type(exc).__name__
        finally:
            stop.set()
            beat.join(timeout=5)
        spent: list[int] = []
        settle = self._settle(job, outcome.cost, spent)
        if self.store.succeed(job.id, self.owner, outcome.result_json(), then=settle):
            logs.event(
                log,
                "job succeeded",
                job_id=job.id,
                kind=job.kind,
                status="succeeded",
                attempt=job.attempts,
                seconds=round(time.monotonic() - started, 3),
                credits=sum(spent) / 1000,
            )
            self._notify(job.id)
        return None

    def _heartbeat(self, job_id: str, stop: threading.Event) -> None:
        lease = self.settings.lease_seconds
        while not stop.wait(lease / 3):
            try:
                if not self.store.heartbeat(job_id, self.owner, lease):
                    return  # lost the lease: another worker took over
            except Exception:
                log.warning("heartbeat of %s failed", job_id, exc_info=True)

    def _after_failure(self, job: JobView, exc: BaseException, *, overran: bool = False) -> None:
        error = error_to_dict(exc)
        # A job that overran its deadline would overrun it again: fail it now.
        if overran or is_permanent(exc) or job.attempts >= job.max_attempts:
            if self.store.fail(job.id, self.owner, error, then=self._refund(job)):
                self._failed(job, error.get("code"), attempt=job.attempts)
            return
        delay = self.settings.retry_delay_seconds * (2 ** (job.attempts - 1))
        if self.store.requeue(job.id, self.owner, delay, error):
            self._retrying(job, error.get("code"), delay, attempt=job.attempts, delay_s=delay)

    def _failed(self, job: JobView, code: str | None, **fields: Any) -> None:
        """Say that ``job`` failed for good (``code``: why) and notify its webhook; the
        store has already recorded it."""
        logs.event(
            log,
            "job failed",
            logging.WARNING,
            job_id=job.id,
            kind=job.kind,
            status="failed",
            error=code,
            **fields,
        )
        self._notify(job.id)

    def _retrying(self, job: JobView, code: str | None, delay: float, **fields: Any) -> None:
        """Say that ``job`` will be tried again (``code``: why) and queue it after ``delay``
        seconds; the store has already put it back."""
        logs.event(
            log, "job retrying", job_id=job.id, kind=job.kind, status="queued", error=code, **fields
        )
        self.enqueue(job.id, delay)

    def _settle(self, job: JobView, cost: int | None, spent: list[int]) -> Then | None:
        """The settling of ``job``'s hold, to run in the transaction that succeeds it; the
        amount settled is appended to ``spent``."""
        reservation_id = job.reservation_id
        if reservation_id is None:
            return None
        return lambda s: spent.append(self.ledger.settle_in(s, reservation_id, cost))

    def _refund(self, job: JobView) -> Then | None:
        """The refund of ``job``'s hold, to run in the transaction that fails it."""
        reservation_id = job.reservation_id
        if reservation_id is None:
            return None
        return lambda s: self.ledger.refund_in(s, reservation_id)

    # -- webhooks -----------------------------------------------------------------------------

    def _notify(self, job_id: str) -> None:
        job = self.store.get(job_id)
        if job.webhook_url:
            trace = self.tracing.carrier()
            self._webhook(job_id, **({"trace": trace} if trace else {}))

    def _deliver(self, job_id: str, *, last_try: bool, trace: dict[str, str] | None = None) -> None:
        job = self.store.get(job_id)
        if not job.webhook_url or job.webhook_status == "delivered":
            return
        with (
            logs.log_context(job.request_id, job.account_id),
            self.tracing.span(
                "job.webhook",
                {
                    "seesay.job_id": job.id,
                    "seesay.request_id": job.request_id,
                    "seesay.account_id": job.account_id,
                    "http.request.method": "POST",
                },
                kind="client",
                parent=trace,
            ),
        ):
            try:
                self.webhooks.send(
                    job.webhook_url,
                    job.account_id,
                    self._present(job),
                    job.mode,
                    request_id=job.request_id,
                )
            except Exception as exc:
                outcome = "failed" if last_try else "will retry"
                logs.event(
                    log, f"job webhook {outcome}", logging.WARNING, job_id=job.id, error=str(exc)
                )
                if last_try:
                    self.store.set_webhook_status(job.id, "failed")
                raise
            logs.event(log, "job webhook delivered", job_id=job.id)
        self.store.set_webhook_status(job.id, "delivered")

    # -- reaper -------------------------------------------------------------------------------

    def reap(self) -> int:
        """One pass over jobs whose worker died or whose message was lost. Returns how many
        jobs it moved."""
        moved = 0
        for job in self.store.expired_leases():
            error = {"code": "worker_lost", "message": "the worker running this job stopped"}
            with logs.log_context(job.request_id, job.account_id):
                if job.attempts >= job.max_attempts:
                    if self.store.fail(job.id, None, error, then=self._refund(job)):
                        self._failed(job, "worker_lost")
                        moved += 1
                elif self.store.requeue(job.id, None, 0, error):
                    self._retrying(job, "worker_lost", 0.0)
                    moved += 1
        for job in self.store.stale_queued(older_than=max(60.0, 4 * self.settings.lease_seconds)):
            self.enqueue(job.id)
            moved += 1
        return moved

    def _reap_loop(self) -> None:
        interval = max(0.5, self.settings.lease_seconds / 3)
        while not self._stop.wait(interval):
            try:
                self.reap()
            except Exception:
                log.warning("reaper pass failed", exc_info=True)

    def start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = threading.Thread(
                target=self._reap_loop, name="seesay-reaper", daemon=True
            )
            self._reaper.start()

    # -- embedded consumer ---------------------------------------------------------------------

    def start_embedded(self, workers: int) -> None:
        """Consume the queue with ``workers`` threads in this process, plus the reaper."""
        if workers > 0 and self._consumer is None:
            self._consumer = EmbeddedConsumer(self.huey, workers)
            self._consumer.start()
        self.start_reaper()

    def consumer(self, workers: int) -> Callable[[], None]:
        """A blocking run function for a dedicated worker process (``seesay worker``)."""
        from huey.consumer import Consumer

        def run() -> None:
            self.start_reaper()
            Consumer(self.huey, workers=workers, worker_type="thread", periodic=False).run()

        return run

    def stop(self) -> None:
        self._stop.set()
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None
