"""WebVoice ``status/``, ``onboarding/`` and ``keys/``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from seesay.api.deps import Services
from seesay.api.webvoice.deps import PREFIX, WebVoiceKey
from seesay.api.webvoice.errors import WEBVOICE_ERRORS
from seesay.services.account_view import create_key_for
from seesay.services.webvoice.account import onboarding_view, status_view

__all__ = ["OnboardingOut", "router"]

router = APIRouter(prefix=PREFIX, tags=["webvoice"])


class KeyStatus(BaseModel):
    name: str
    created_at: datetime
    last_used: datetime | None
    usage_count: int = Field(description="Settled paid requests of the account in this mode.")


class StatusOut(BaseModel):
    success: bool = True
    user: str
    credits: float
    api_key: KeyStatus


class Billing(BaseModel):
    topup_required: bool
    note: str


class OnboardingOut(BaseModel):
    credits: float
    can_use_api: bool
    billing: Billing
    solana: dict[str, Any] | None = Field(
        None, description="Always null: a self-hosted server takes no Solana payments."
    )
    urls: dict[str, str | None] = Field(
        default_factory=dict, description="buy_credits_paypal is null on a self-hosted server."
    )


class OnboardingResponse(OnboardingOut):
    success: bool = True


class KeyIn(BaseModel):
    name: str = Field("", max_length=200)


class KeyCreatedOut(BaseModel):
    success: bool = True
    api_key: str = Field(description="The new key, shown once (seesay_live_… / seesay_test_…).")
    name: str
    created_at: datetime


@router.get("/status/", response_model=StatusOut, responses=WEBVOICE_ERRORS.authed)
def get_status(principal: WebVoiceKey, services: Services) -> StatusOut:
    view = status_view(services.db, services.accounts, services.ledger, principal)
    return StatusOut.model_validate(view)


@router.get("/onboarding/", response_model=OnboardingResponse, responses=WEBVOICE_ERRORS.authed)
def get_onboarding(principal: WebVoiceKey, services: Services) -> OnboardingResponse:
    account = services.accounts.get_account(principal.account_id)
    return OnboardingResponse.model_validate(
        onboarding_view(services.ledger, account, principal.mode)
    )


@router.post(
    "/keys/",
    response_model=KeyCreatedOut,
    responses=WEBVOICE_ERRORS.responses(400, 401, 403, 429, 500),
)
def create_key(body: KeyIn, principal: WebVoiceKey, services: Services) -> KeyCreatedOut:
    created = create_key_for(services, principal, body.name, None)
    return KeyCreatedOut(
        api_key=created.key, name=created.view.name, created_at=created.view.created_at
    )
