"""WebVoice ``send-email/`` and ``voice-memo/text/`` (plus listing memos back)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from seesay.api.deps import Services
from seesay.api.urls import absolute_url
from seesay.api.webvoice.deps import PREFIX, WebVoiceKey
from seesay.api.webvoice.errors import WEBVOICE_ERRORS
from seesay.api.wire_text import WireText
from seesay.errors import NotFound
from seesay.services.webvoice.memos import MemoView

__all__ = ["router"]

# Memo ids are 64-bit database keys; a number past them names no memo (and would overflow
# the database driver), so it is answered like any other unknown id.
_MAX_MEMO_ID = 2**63 - 1

router = APIRouter(prefix=PREFIX, tags=["webvoice"])


class SendEmailIn(BaseModel):
    to: str = Field(max_length=320, description="Recipient address.")
    subject: WireText | None = Field(None, description="Default: Message from WebVoice API.")
    body: WireText | None = Field(None, description="Plain text, up to 50000 characters.")
    text: WireText | None = Field(None, description="Same as body.")
    content: WireText | None = Field(None, description="Same as body.")


class SendEmailOut(BaseModel):
    success: bool = True
    message: str = "Email sent successfully"
    to: str
    subject: str


class MemoIn(BaseModel):
    text: WireText = Field(description="Up to 10000 characters.")
    title: WireText | None = Field(None, description="Default: the first 50 characters of text.")


class MemoOut(BaseModel):
    success: bool = True
    voice_note_id: int
    title: str
    detail_url: str
    created_at: datetime


class MemoDetail(BaseModel):
    voice_note_id: int
    title: str
    text: str
    detail_url: str
    created_at: datetime


class MemoDetailOut(MemoDetail):
    success: bool = True


class MemoListOut(BaseModel):
    success: bool = True
    voice_notes: list[MemoDetail]


@router.post(
    "/send-email/",
    response_model=SendEmailOut,
    responses=WEBVOICE_ERRORS.responses(400, 401, 429, 500, 503),
)
def send_email(body: SendEmailIn, principal: WebVoiceKey, services: Services) -> SendEmailOut:
    text = body.body if body.body is not None else body.text
    text = text if text is not None else body.content
    sent = services.webvoice.mail.send(principal.account_id, body.to, body.subject, text)
    return SendEmailOut(to=sent.to, subject=sent.subject)


def _detail_url(request: Request, services: Services, memo: MemoView) -> str:
    return absolute_url(request, services, f"{PREFIX}/voice-memo/{memo.id}/")


def _detail(request: Request, services: Services, memo: MemoView) -> MemoDetail:
    return MemoDetail(
        voice_note_id=memo.id,
        title=memo.title,
        text=memo.text,
        detail_url=_detail_url(request, services, memo),
        created_at=memo.created_at,
    )


@router.post(
    "/voice-memo/text/",
    response_model=MemoOut,
    responses=WEBVOICE_ERRORS.authed,
)
def create_memo(
    body: MemoIn, request: Request, principal: WebVoiceKey, services: Services
) -> MemoOut:
    memo = services.webvoice.memos.create(principal, body.text, body.title)
    return MemoOut(
        voice_note_id=memo.id,
        title=memo.title,
        detail_url=_detail_url(request, services, memo),
        created_at=memo.created_at,
    )


@router.get("/voice-memo/", response_model=MemoListOut, responses=WEBVOICE_ERRORS.authed)
def list_memos(
    request: Request,
    principal: WebVoiceKey,
    services: Services,
    limit: int = Query(100, ge=1, le=500),
) -> MemoListOut:
    memos = services.webvoice.memos.list(principal, limit=limit)
    return MemoListOut(voice_notes=[_detail(request, services, m) for m in memos])


@router.get(
    "/voice-memo/{voice_note_id}/",
    response_model=MemoDetailOut,
    responses=WEBVOICE_ERRORS.responses(400, 401, 404, 429, 500),
)
def get_memo(
    voice_note_id: int, request: Request, principal: WebVoiceKey, services: Services
) -> MemoDetailOut:
    if not 1 <= voice_note_id <= _MAX_MEMO_ID:
        raise NotFound("no such voice memo", param="voice_note_id")
    memo = services.webvoice.memos.get(principal, voice_note_id)
    return MemoDetailOut(**_detail(request, services, memo).model_dump())
