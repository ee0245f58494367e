"""WebVoice ``status/`` and ``onboarding/`` views of the caller's account.

SeeSay is self-hosted and sells nothing itself, so the onboarding's payment fields (the
hosted WebVoice's Solana memo and PayPal links) are ``null``: credits come from the operator
(``seesay credits grant``). ``can_use_api`` is true while the key's balance is positive.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from seesay.accounts.ledger import Ledger
from seesay.accounts.plans import CREDIT
from seesay.accounts.service import AccountService, Principal
from seesay.db.engine import Database
from seesay.db.models import Account, ApiKey, Reservation

__all__ = ["onboarding_view", "status_view"]

TOPUP_NOTE = (
    "This is a self-hosted SeeSay server: it sells no credits. Ask its operator for a top-up "
    "(seesay credits grant)."
)


def onboarding_view(ledger: Ledger, account: Account, mode: str = "live") -> dict[str, Any]:
    credits = ledger.balances(account.id, mode).total / CREDIT
    return {
        "credits": credits,
        "can_use_api": credits > 0,
        "billing": {"topup_required": credits <= 0, "note": TOPUP_NOTE},
        "solana": None,
        "urls": {"buy_credits_paypal": None},
    }


def status_view(
    db: Database, accounts: AccountService, ledger: Ledger, principal: Principal
) -> dict[str, Any]:
    """The account's name, credits, and the presenting key. ``usage_count`` counts the
    account's settled paid requests in the key's mode (SeeSay meters accounts, not keys)."""
    account = accounts.get_account(principal.account_id)
    with db.read() as s:
        key = s.get(ApiKey, principal.key_id)
        used = s.scalar(
            select(func.count()).where(
                Reservation.account_id == principal.account_id,
                Reservation.mode == principal.mode,
                Reservation.status == "settled",
            )
        )
    assert key is not None  # it authenticated this request
    return {
        "user": account.email or account.name,
        "credits": ledger.balances(principal.account_id, principal.mode).total / CREDIT,
        "api_key": {
            "name": key.name,
            "created_at": key.created_at,
            "last_used": key.last_used_at,
            "usage_count": int(used or 0),
        },
    }
