"""Job records: the database is the source of truth for a job's state.

State moves queued -> running -> succeeded | failed, or queued -> cancelled. Every move is a
conditional UPDATE naming the state (and, for a running job, the lease owner) it expects,
so two workers that both received a redelivered job cannot both finish it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from seesay.db.engine import Database
from seesay.db.models import Job
from seesay.errors import NotFound

__all__ = ["TERMINAL", "JobStore", "JobView", "new_job_id"]

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})

#: Work done in the same write transaction as a job's state move (closing its reservation).
Then = Callable[[Session], object]


def new_job_id() -> str:
    return "job_" + secrets.token_hex(12)


@dataclass(frozen=True, slots=True)
class JobView:
    id: str
    account_id: str
    mode: str
    kind: str
    status: str
    payload: dict[str, Any]
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    progress: dict[str, Any] | None
    attempts: int
    max_attempts: int
    reservation_id: str | None
    webhook_url: str | None
    webhook_status: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    request_id: str | None = None  # of the request that submitted the job

    @property
    def done(self) -> bool:
        return self.status in TERMINAL


def _view(job: Job) -> JobView:
    return JobView(
        job.id,
        job.account_id,
        job.mode,
        job.kind,
        job.status,
        dict(job.payload or {}),
        job.result,
        job.error,
        job.progress,
        job.attempts,
        job.max_attempts,
        job.reservation_id,
        job.webhook_url,
        job.webhook_status,
        job.created_at,
        job.started_at,
        job.finished_at,
        job.request_id,
    )


class JobStore:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self._now = clock or (lambda: datetime.now(UTC))

    def create(
        self,
        *,
        job_id: str,
        account_id: str,
        mode: str,
        kind: str,
        payload: dict[str, Any],
        max_attempts: int,
        reservation_id: str | None,
        webhook_url: str | None,
        request_id: str | None = None,
    ) -> JobView:
        now = self._now()
        job = Job(
            id=job_id,
            account_id=account_id,
            mode=mode,
            kind=kind,
            status="queued",
            payload=payload,
            attempts=0,
            max_attempts=max_attempts,
            reservation_id=reservation_id,
            webhook_url=webhook_url,
            webhook_status="pending" if webhook_url else None,
            request_id=request_id,
            created_at=now,
            updated_at=now,
        )
        with self._db.write() as s:
            s.add(job)
        return _view(job)

    def get(self, job_id: str, account_id: str | None = None, mode: str | None = None) -> JobView:
        """The job; NotFound also when it belongs to another account or key mode."""
        with self._db.read() as s:
            job = s.get(Job, job_id)
        if (
            job is None
            or (account_id is not None and job.account_id != account_id)
            or (mode is not None and job.mode != mode)
        ):
            raise NotFound("no such job", param="id")
        return _view(job)

    def claim(self, job_id: str, owner: str, lease: float) -> JobView | None:
        """Take a queued job, or a running one whose lease expired; None if not claimable."""
        now = self._now()
        claimable = and_(
            or_(
                Job.status == "queued",
                and_(Job.status == "running", Job.lease_expires_at < now),
            ),
            or_(Job.run_after.is_(None), Job.run_after <= now),
        )
        claimed: list[JobView] = []

        def read_back(s: Session) -> None:
            job = s.get(Job, job_id)
            assert job is not None
            claimed.append(_view(job))

        values: dict[str, Any] = {
            "status": "running",
            "attempts": Job.attempts + 1,
            "lease_owner": owner,
            "lease_expires_at": now + timedelta(seconds=lease),
            "started_at": now,
            "updated_at": now,
        }
        return claimed[0] if self._update(job_id, claimable, read_back, values) else None

    def heartbeat(self, job_id: str, owner: str, lease: float) -> bool:
        now = self._now()
        return self._move(
            job_id,
            owner,
            lease_expires_at=now + timedelta(seconds=lease),
            updated_at=now,
        )

    def set_progress(self, job_id: str, owner: str, progress: dict[str, Any]) -> bool:
        return self._move(job_id, owner, progress=progress, updated_at=self._now())

    def succeed(
        self, job_id: str, owner: str, result: dict[str, Any], *, then: Then | None = None
    ) -> bool:
        """Succeed a job we hold; ``then`` (the settle) runs in the same transaction."""
        now = self._now()
        return self._move(
            job_id,
            owner,
            then=then,
            status="succeeded",
            result=result,
            error=None,
            lease_owner=None,
            lease_expires_at=None,
            finished_at=now,
            updated_at=now,
        )

    def fail(
        self, job_id: str, owner: str | None, error: dict[str, Any], *, then: Then | None = None
    ) -> bool:
        """Fail a job we hold (``owner``), or with ``owner=None`` one whose lease expired;
        ``then`` (the refund) runs in the same transaction, so nobody sees the job failed
        with its credits still held."""
        now = self._now()
        values: dict[str, Any] = {
            "status": "failed",
            "error": error,
            "lease_owner": None,
            "lease_expires_at": None,
            "finished_at": now,
            "updated_at": now,
        }
        if owner is not None:
            return self._move(job_id, owner, then=then, **values)
        return self._move_expired(job_id, now, then=then, **values)

    def requeue(self, job_id: str, owner: str | None, delay: float, error: dict[str, Any]) -> bool:
        """Back to queued for another attempt after ``delay`` seconds."""
        now = self._now()
        values: dict[str, Any] = {
            "status": "queued",
            "error": error,
            "lease_owner": None,
            "lease_expires_at": None,
            "run_after": now + timedelta(seconds=delay),
            "updated_at": now,
        }
        if owner is not None:
            return self._move(job_id, owner, **values)
        return self._move_expired(job_id, now, **values)

    def cancel(self, job_id: str, account_id: str, mode: str) -> bool:
        """Queued -> cancelled for a job of this account and key mode; False otherwise."""
        now = self._now()
        theirs = and_(Job.account_id == account_id, Job.mode == mode, Job.status == "queued")
        values: dict[str, Any] = {"status": "cancelled", "finished_at": now, "updated_at": now}
        return self._update(job_id, theirs, None, values)

    def set_webhook_status(self, job_id: str, status: str) -> None:
        with self._db.write() as s:
            s.execute(update(Job).where(Job.id == job_id).values(webhook_status=status))

    def expired_leases(self, limit: int = 100) -> list[JobView]:
        now = self._now()
        with self._db.read() as s:
            rows = s.scalars(
                select(Job).where(Job.status == "running", Job.lease_expires_at < now).limit(limit)
            )
            return [_view(j) for j in rows]

    def stale_queued(self, older_than: float, limit: int = 100) -> list[JobView]:
        """Queued jobs nobody touched for ``older_than`` seconds (a lost queue message)."""
        cutoff = self._now() - timedelta(seconds=older_than)
        with self._db.write() as s:
            rows = list(
                s.scalars(
                    select(Job)
                    .where(Job.status == "queued", Job.updated_at < cutoff)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            for job in rows:
                job.updated_at = self._now()
            return [_view(j) for j in rows]

    def queued_count(self) -> int:
        from sqlalchemy import func

        with self._db.read() as s:
            return int(s.scalar(select(func.count()).where(Job.status == "queued")) or 0)

    def _move_expired(
        self, job_id: str, now: datetime, *, then: Then | None = None, **values: Any
    ) -> bool:
        """Move a running job whose lease ran out before ``now`` (its worker is gone)."""
        held = and_(Job.status == "running", Job.lease_expires_at < now)
        return self._update(job_id, held, then, values)

    def _move(self, job_id: str, owner: str, *, then: Then | None = None, **values: Any) -> bool:
        held = and_(Job.status == "running", Job.lease_owner == owner)
        return self._update(job_id, held, then, values)

    def _update(self, job_id: str, held: Any, then: Then | None, values: dict[str, Any]) -> bool:
        """Apply ``values`` if the job is still ``held`` (a condition on its row); then run
        ``then`` in the same transaction. True when the row moved. Every state change of a
        job goes through here, so none can skip the condition that makes it safe to race."""
        with self._db.write() as s:
            result = s.execute(
                update(Job)
                .where(Job.id == job_id, held)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            moved = getattr(result, "rowcount", 0) == 1
            if moved and then is not None:
                then(s)
            return moved
