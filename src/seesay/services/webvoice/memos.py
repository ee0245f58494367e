"""Text voice memos (WebVoice ``voice-memo/text``): stored per account and mode, free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from seesay.accounts.service import Principal
from seesay.db.engine import Database
from seesay.db.models import VoiceMemo
from seesay.errors import InvalidRequest, NotFound

__all__ = ["MAX_MEMO_CHARS", "MemoView", "VoiceMemos"]

MAX_MEMO_CHARS = 10_000
TITLE_CHARS = 50  # the spec's default title: the first 50 characters of the text
MAX_TITLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class MemoView:
    id: int
    title: str
    text: str
    created_at: datetime


class VoiceMemos:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, principal: Principal, text: str, title: str | None) -> MemoView:
        body = text.strip()
        if not body:
            raise InvalidRequest("text must not be empty", param="text")
        if len(body) > MAX_MEMO_CHARS:
            raise InvalidRequest(f"text is longer than {MAX_MEMO_CHARS} characters", param="text")
        name = (title or "").strip() or body[:TITLE_CHARS]
        if len(name) > MAX_TITLE_CHARS:
            raise InvalidRequest(
                f"title is longer than {MAX_TITLE_CHARS} characters", param="title"
            )
        row = VoiceMemo(
            account_id=principal.account_id,
            mode=principal.mode,
            title=name,
            text=body,
            created_at=datetime.now(UTC),
        )
        with self._db.write() as s:
            s.add(row)
            s.flush()
            return _view(row)

    def list(self, principal: Principal, *, limit: int = 100) -> list[MemoView]:
        """The newest ``limit`` memos of the caller's account and key mode."""
        with self._db.read() as s:
            rows = s.scalars(
                select(VoiceMemo)
                .where(
                    VoiceMemo.account_id == principal.account_id,
                    VoiceMemo.mode == principal.mode,
                )
                .order_by(VoiceMemo.id.desc())
                .limit(limit)
            )
            return [_view(r) for r in rows]

    def get(self, principal: Principal, memo_id: int) -> MemoView:
        with self._db.read() as s:
            row = s.get(VoiceMemo, memo_id)
        if row is None or row.account_id != principal.account_id or row.mode != principal.mode:
            raise NotFound("no such voice memo", param="voice_note_id")
        return _view(row)


def _view(row: VoiceMemo) -> MemoView:
    return MemoView(row.id, row.title, row.text, row.created_at)
