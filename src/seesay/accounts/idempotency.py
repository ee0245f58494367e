"""Idempotency-Key records, scoped per API key and kept at least 24 hours.

``begin`` claims (scope, key) by inserting a row in state ``running``; the unique constraint
makes the claim atomic across processes. A second request with the same key then gets:
the stored response (same body, first call finished), IdempotencyInProgress (still running),
or IdempotencyMismatch (another body). A claim whose holder crashed expires after
``lock_seconds`` and may be taken over, so no key stays stuck.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from seesay.db.engine import Database
from seesay.db.models import IdempotencyRecord
from seesay.errors import IdempotencyInProgress, IdempotencyMismatch, InvalidRequest

__all__ = ["Claim", "IdempotencyStore", "StoredResponse", "request_fingerprint"]

MAX_KEY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Claim:
    """Either ``replay`` is set (answer with it) or the caller owns ``record_id``."""

    record_id: int | None
    replay: StoredResponse | None


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyStore:
    def __init__(
        self,
        db: Database,
        *,
        ttl: timedelta = timedelta(hours=24),
        lock: timedelta = timedelta(minutes=10),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._db = db
        self._ttl = ttl
        self._lock = lock
        self._now = clock or (lambda: datetime.now(UTC))

    def begin(self, scope: str, key: str, fingerprint: str) -> Claim:
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidRequest(
                f"Idempotency-Key must be 1-{MAX_KEY_LENGTH} printable characters",
                param="Idempotency-Key",
            )
        now = self._now()
        for _ in range(3):
            try:
                with self._db.write() as s:
                    row = IdempotencyRecord(
                        scope=scope,
                        key=key,
                        request_hash=fingerprint,
                        status="running",
                        locked_until=now + self._lock,
                        expires_at=now + self._ttl,
                        created_at=now,
                    )
                    s.add(row)
                    s.flush()
                    return Claim(row.id, None)
            except IntegrityError:
                pass
            with self._db.write() as s:
                existing = s.scalars(
                    select(IdempotencyRecord).where(
                        IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
                    )
                ).first()
                if existing is None:
                    continue  # expired and purged in between: try to claim again
                if _aware(existing.expires_at) <= now:
                    s.delete(existing)
                    continue
                if existing.request_hash != fingerprint:
                    raise IdempotencyMismatch(
                        "This Idempotency-Key was used with a different request body.",
                        param="Idempotency-Key",
                    )
                if existing.status == "done":
                    return Claim(
                        None,
                        StoredResponse(
                            existing.response_status or 200,
                            dict(existing.response_headers or {}),
                            existing.response_body or b"",
                        ),
                    )
                if _aware(existing.locked_until) > now:
                    raise IdempotencyInProgress(
                        "A request with this Idempotency-Key is still being processed.",
                        param="Idempotency-Key",
                    )
                existing.locked_until = now + self._lock  # the holder died: take it over
                return Claim(existing.id, None)
        raise IdempotencyInProgress(
            "A request with this Idempotency-Key is being processed.", param="Idempotency-Key"
        )

    def complete(self, record_id: int, response: StoredResponse) -> None:
        with self._db.write() as s:
            s.execute(
                update(IdempotencyRecord)
                .where(IdempotencyRecord.id == record_id)
                .values(
                    status="done",
                    response_status=response.status,
                    response_headers=dict(response.headers),
                    response_body=response.body,
                )
            )

    def abandon(self, record_id: int) -> None:
        """Forget a claim whose request produced no final answer, so a retry runs anew."""
        with self._db.write() as s:
            s.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))

    def purge_expired(self) -> int:
        with self._db.write() as s:
            result = s.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= self._now())
            )
            return int(getattr(result, "rowcount", 0) or 0)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
