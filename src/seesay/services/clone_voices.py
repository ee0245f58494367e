"""Cloned voices in the database: views, the account-private repository, sample checks.

A cloned voice belongs to one account and key mode; every read filters on both, so another
account's voice id answers ``NotFound`` exactly like an id that never existed.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from seesay.db.engine import Database
from seesay.db.models import ClonedVoice, VoiceUse
from seesay.errors import InvalidRequest, NotFound, PayloadTooLarge

__all__ = [
    "CONSENT_STATEMENT",
    "SAMPLE_FORMATS",
    "SYSTEM_VOICE_DATE",
    "VoiceRepository",
    "VoiceView",
    "new_voice_id",
    "sniff_sample_format",
]

#: What an uploader confirms when cloning a voice; stored with the voice.
CONSENT_STATEMENT = (
    "I confirm that I have the right to clone this voice: it is my own voice, or its owner "
    "has given me permission to clone it, and I will not use the clone to deceive anyone "
    "or to impersonate its owner."
)

#: Sample formats the Voice Clone spec accepts, with the content type they are stored under.
SAMPLE_FORMATS: dict[str, str] = {"mp3": "audio/mpeg", "wav": "audio/wav", "webm": "audio/webm"}

#: Catalogue voices carry no creation date; they are dated at the Unix epoch so a newest-first
#: listing puts the caller's own clones first.
SYSTEM_VOICE_DATE = datetime(1970, 1, 1, tzinfo=UTC)

_ID_CHARS = string.ascii_lowercase + string.digits
_NOT_AVAILABLE = "Voice not found or not available"


def new_voice_id() -> str:
    """``cl`` and 24 random lowercase letters and digits (the spec's ids look like ``clxxxx``)."""
    return "cl" + "".join(secrets.choice(_ID_CHARS) for _ in range(24))


def sniff_sample_format(data: bytes, max_bytes: int) -> str:
    """The sample's format (``mp3``, ``wav`` or ``webm``) from its first bytes, whatever
    its name or declared type says; ``PayloadTooLarge`` over ``max_bytes`` and
    ``InvalidRequest`` for anything else."""
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"File size exceeds {max_bytes // (1024 * 1024)}MB limit",
            param="voice",
            details={"limit_bytes": max_bytes},
        )
    head = data[:64]
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "webm"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    raise InvalidRequest("Invalid file type. Supported formats: MP3, WAV, WebM", param="voice")


@dataclass(frozen=True, slots=True)
class VoiceView:
    """A voice as the surfaces show it: a clone (``USER``) or a catalogue voice (``SYSTEM``)."""

    id: str
    type: str  # USER | SYSTEM
    title: str
    description: str
    status: str  # PROCESSING | COMPLETED | FAILED
    engine: str
    duration: float
    usage_count: int
    created_at: datetime
    updated_at: datetime
    tags: tuple[str, ...] = ()
    cover_image: str | None = None
    sample_blob_id: str | None = None
    is_public: bool = False
    language: str = ""
    gender: str | None = None
    method: str = ""
    base_voice: str = ""
    profile: dict[str, Any] | None = None
    job_id: str | None = None
    error: dict[str, Any] | None = None
    consent: dict[str, Any] = field(default_factory=dict)

    @property
    def popularity(self) -> int:
        return self.usage_count


def _view(row: ClonedVoice) -> VoiceView:
    profile = dict(row.profile) if row.profile else None
    return VoiceView(
        id=row.id,
        type="USER",
        title=row.title,
        description=row.description,
        status=row.status,
        engine=row.engine,
        duration=float(row.duration),
        usage_count=int(row.usage_count),
        created_at=row.created_at,
        updated_at=row.updated_at,
        tags=tuple(row.tags or ()),
        cover_image=row.cover_image,
        sample_blob_id=row.sample_blob_id,
        language=str((profile or {}).get("language") or ""),  # the sample's, when known
        gender=(profile or {}).get("gender"),
        method=str((profile or {}).get("method", "")),
        base_voice=str((profile or {}).get("base_voice", "")),
        profile=profile,
        job_id=row.job_id,
        error=row.error,
        consent={"at": row.consent_at, "statement": row.consent_text, "how": row.consent_source},
    )


class VoiceRepository:
    """Reads and writes of ``cloned_voices`` and ``voice_uses``, scoped to an account."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, row: ClonedVoice) -> VoiceView:
        with self._db.write() as s:
            s.add(row)
            s.flush()
            return _view(row)

    def get(self, account_id: str, mode: str, voice_id: str) -> VoiceView:
        with self._db.read() as s:
            row = s.get(ClonedVoice, voice_id)
            if row is None or row.account_id != account_id or row.mode != mode:
                raise NotFound(_NOT_AVAILABLE, param="voiceId")
            return _view(row)

    def for_account(self, account_id: str, mode: str) -> list[VoiceView]:
        with self._db.read() as s:
            rows = s.scalars(
                select(ClonedVoice).where(
                    ClonedVoice.account_id == account_id, ClonedVoice.mode == mode
                )
            )
            return [_view(r) for r in rows]

    def set_job(self, voice_id: str, job_id: str) -> None:
        with self._db.write() as s:
            s.execute(
                update(ClonedVoice)
                .where(ClonedVoice.id == voice_id)
                .values(job_id=job_id)
                .execution_options(synchronize_session=False)
            )

    def delete(self, voice_id: str) -> None:
        with self._db.write() as s:
            s.execute(delete(ClonedVoice).where(ClonedVoice.id == voice_id))

    def complete(self, voice_id: str, profile: dict[str, Any], duration: float) -> bool:
        """PROCESSING -> COMPLETED; False if the voice had already left PROCESSING."""
        return self._move(voice_id, status="COMPLETED", profile=profile, duration=duration)

    def fail(self, voice_id: str, error: dict[str, Any]) -> bool:
        """PROCESSING -> FAILED; False if the voice had already left PROCESSING."""
        return self._move(voice_id, status="FAILED", error=error)

    def _move(self, voice_id: str, **values: Any) -> bool:
        with self._db.write() as s:
            result = s.execute(
                update(ClonedVoice)
                .where(ClonedVoice.id == voice_id, ClonedVoice.status == "PROCESSING")
                .values(updated_at=datetime.now(UTC), **values)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0) == 1)

    def record_use(self, job_id: str, voice_id: str, account_id: str, *, clone: bool) -> None:
        """Count one finished speech job for ``voice_id``, once per job however often the
        job runs (the job id is the key of ``voice_uses``)."""
        try:
            with self._db.write() as s:
                s.add(VoiceUse(job_id=job_id, voice_id=voice_id, account_id=account_id))
                s.flush()
                if clone:
                    s.execute(
                        update(ClonedVoice)
                        .where(ClonedVoice.id == voice_id)
                        .values(usage_count=ClonedVoice.usage_count + 1)
                        .execution_options(synchronize_session=False)
                    )
        except IntegrityError:
            return  # counted by an earlier run of the same job

    def use_counts(self, voice_ids: Sequence[str]) -> dict[str, int]:
        """Finished speech jobs per voice id, across all accounts (catalogue popularity)."""
        if not voice_ids:
            return {}
        with self._db.read() as s:
            rows = s.execute(
                select(VoiceUse.voice_id, func.count())
                .where(VoiceUse.voice_id.in_(list(voice_ids)))
                .group_by(VoiceUse.voice_id)
            ).all()
        return {str(v): int(n) for v, n in rows}
