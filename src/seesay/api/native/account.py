"""The caller's account and its API keys."""

from __future__ import annotations

from fastapi import APIRouter, Query, status

from seesay.accounts.service import KeyView
from seesay.api.deps import CurrentKey, Services
from seesay.api.native.errors import NATIVE_ERRORS
from seesay.api.native.schemas import (
    AccountOut,
    CreatedKeyOut,
    KeyCreateIn,
    KeyListOut,
    KeyOut,
)
from seesay.services.account_view import account_overview, managed_key_mode

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["account"])


def _key_out(view: KeyView) -> KeyOut:
    return KeyOut(
        id=view.id,
        name=view.name,
        mode=view.mode,  # type: ignore[arg-type]
        hint=view.hint,
        created_at=view.created_at,
        last_used_at=view.last_used_at,
        revoked_at=view.revoked_at,
    )


@router.get("/account", response_model=AccountOut, responses=NATIVE_ERRORS.authed)
def get_account(
    principal: CurrentKey,
    services: Services,
    days: int = Query(30, ge=1, le=366, description="Usage window in days."),
) -> AccountOut:
    return AccountOut.model_validate(account_overview(services, principal, days))


@router.post(
    "/keys",
    response_model=CreatedKeyOut,
    status_code=status.HTTP_201_CREATED,
    responses=NATIVE_ERRORS.responses(400, 401, 403, 429, 500),
)
def create_key(body: KeyCreateIn, principal: CurrentKey, services: Services) -> CreatedKeyOut:
    """A new key of the caller's account (403 once the account holds its most keys)."""
    from seesay.services.account_view import create_key_for

    created = create_key_for(services, principal, body.name, body.mode)
    return CreatedKeyOut(**_key_out(created.view).model_dump(), key=created.key)


@router.get("/keys", response_model=KeyListOut, responses=NATIVE_ERRORS.authed)
def list_keys(principal: CurrentKey, services: Services) -> KeyListOut:
    """The account's keys; a test key sees only test keys."""
    keys = services.accounts.list_keys(principal.account_id, managed_key_mode(principal))
    return KeyListOut(data=[_key_out(k) for k in keys])


@router.delete(
    "/keys/{key_id}",
    response_model=KeyOut,
    responses=NATIVE_ERRORS.responses(400, 401, 404, 429, 500),
)
def revoke_key(key_id: str, principal: CurrentKey, services: Services) -> KeyOut:
    """Revoke a key of the account; a test key may revoke only test keys (else 404)."""
    mode = managed_key_mode(principal)
    return _key_out(services.accounts.revoke_key(principal.account_id, key_id, mode))
