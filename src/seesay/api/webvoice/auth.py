"""WebVoice ``auth/send-code/`` and ``auth/verify-code/``: sign-in by a code sent by email.

No API key; limited per client IP (5 send-code and 20 verify-code per 15 minutes by default).
Stateless: the verify answer carries a new API key (when asked) and the onboarding data.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from seesay.api.deps import Services
from seesay.api.webvoice.account import OnboardingOut
from seesay.api.webvoice.deps import PREFIX, client_ip
from seesay.api.webvoice.errors import WEBVOICE_ERRORS
from seesay.platform import Platform
from seesay.services.webvoice.account import onboarding_view

__all__ = ["router"]

router = APIRouter(prefix=PREFIX + "/auth", tags=["webvoice"])


class SendCodeIn(BaseModel):
    email: str = Field(max_length=320)
    accept_privacy: bool = False
    accept_terms: bool = False


class SendCodeOut(BaseModel):
    success: bool = True
    message: str
    email: str
    is_new_user: bool


class VerifyCodeIn(BaseModel):
    email: str = Field(max_length=320)
    code: str = Field(max_length=32)
    create_api_key: bool = False
    api_key_name: str = Field("", max_length=200)


class VerifyCodeOut(BaseModel):
    success: bool = True
    email: str
    is_new_user: bool
    api_key: str | None = Field(
        None, description="A new seesay_live_… key when create_api_key was true (shown once)."
    )
    onboarding: OnboardingOut


def _limit_address(
    request: Request, services: Platform, step: str, per_address: int, what: str
) -> None:
    """Count a sign-in step for the client's address: ``per_address`` in each auth window."""
    window = services.settings.webvoice.auth_window_seconds
    services.webvoice.ip_limits.hit(step, client_ip(request), per_address, window, what)


@router.post("/send-code/", response_model=SendCodeOut, responses=WEBVOICE_ERRORS.public)
def send_code(body: SendCodeIn, request: Request, services: Services) -> SendCodeOut:
    wv = services.settings.webvoice
    _limit_address(request, services, "send-code", wv.send_code_per_ip, "sign-in code requests")
    is_new = services.webvoice.sign_in.send_code(
        body.email, accept_privacy=body.accept_privacy, accept_terms=body.accept_terms
    )
    return SendCodeOut(
        message="A sign-in code was sent to the address.",
        email=body.email.strip(),
        is_new_user=is_new,
    )


@router.post("/verify-code/", response_model=VerifyCodeOut, responses=WEBVOICE_ERRORS.public)
def verify_code(body: VerifyCodeIn, request: Request, services: Services) -> VerifyCodeOut:
    wv = services.settings.webvoice
    _limit_address(request, services, "verify-code", wv.verify_code_per_ip, "code verifications")
    signed_in = services.webvoice.sign_in.verify(
        body.email, body.code, create_api_key=body.create_api_key, key_name=body.api_key_name
    )
    return VerifyCodeOut(
        email=signed_in.account.email or body.email.strip(),
        is_new_user=signed_in.is_new_user,
        api_key=signed_in.key.key if signed_in.key else None,
        onboarding=OnboardingOut.model_validate(
            onboarding_view(services.ledger, signed_in.account)
        ),
    )
