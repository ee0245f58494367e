"""Account overview (plan, balances, usage) and key creation rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pydantic import SecretStr
from sqlalchemy import func, select

from seesay.accounts.ledger import Ledger
from seesay.accounts.plans import CREDIT
from seesay.accounts.service import AccountService, CreatedKey, Principal
from seesay.db.engine import Database
from seesay.db.models import Reservation
from seesay.errors import PermissionDenied
from seesay.jobs.webhooks import webhook_secret

__all__ = ["AccountParts", "account_overview", "create_key_for", "managed_key_mode"]


class _Signing(Protocol):
    @property
    def signing_secrets(self) -> list[SecretStr]: ...


class AccountParts(Protocol):
    """What the account view reads (the platform has it all)."""

    @property
    def accounts(self) -> AccountService: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def db(self) -> Database: ...
    @property
    def settings(self) -> _Signing: ...


def account_overview(platform: AccountParts, principal: Principal, days: int) -> dict[str, Any]:
    account = platform.accounts.get_account(principal.account_id)
    balances = platform.ledger.balances(principal.account_id, principal.mode)
    plan = principal.plan
    secret = platform.settings.signing_secrets[0].get_secret_value()
    return {
        "id": account.id,
        "name": account.name,
        "email": account.email,
        "plan": {
            "name": plan.name,
            "requests_per_minute": plan.requests_per_minute,
            "concurrent_requests": plan.concurrent_requests,
            "monthly_credits": plan.monthly_credits / CREDIT,
            "features": sorted(plan.features),
        },
        "key_mode": principal.mode,
        "balances": {
            "mode": principal.mode,
            "credits": balances.total / CREDIT,
            "millicredits": balances.total,
            "monthly": balances.monthly / CREDIT,
            "purchased": balances.purchased / CREDIT,
            "reset_at": balances.reset_at,
        },
        "usage": usage(platform, principal, days),
        "webhook_secret": webhook_secret(secret, account.id, principal.mode),
        "created_at": account.created_at,
    }


def usage(platform: AccountParts, principal: Principal, days: int) -> dict[str, Any]:
    """Settled requests and credits spent in the last ``days`` days, by feature and day."""
    since = datetime.now(UTC) - timedelta(days=days)
    day = func.date(Reservation.created_at)
    base = select().where(
        Reservation.account_id == principal.account_id,
        Reservation.mode == principal.mode,
        Reservation.status == "settled",
        Reservation.created_at >= since,
    )
    with platform.db.read() as s:
        by_feature = s.execute(
            base.add_columns(Reservation.feature, func.count(), func.sum(Reservation.amount))
            .group_by(Reservation.feature)
            .order_by(Reservation.feature)
        ).all()
        by_day = s.execute(
            base.add_columns(day, func.count(), func.sum(Reservation.amount))
            .group_by(day)
            .order_by(day)
        ).all()
    return {
        "days": days,
        "by_feature": [
            {"feature": f, "requests": n, "credits": (a or 0) / CREDIT} for f, n, a in by_feature
        ],
        "by_day": [
            {"date": str(d), "requests": n, "credits": (a or 0) / CREDIT} for d, n, a in by_day
        ],
    }


def create_key_for(
    platform: AccountParts, principal: Principal, name: str, mode: str | None
) -> CreatedKey:
    """A test key may only create test keys, so a leaked test key cannot mint live ones."""
    mode = mode or principal.mode
    if principal.mode == "test" and mode == "live":
        raise PermissionDenied("A test-mode key cannot create live keys.", param="mode")
    return platform.accounts.create_key(principal.account_id, mode=mode, name=name)


def managed_key_mode(principal: Principal) -> str | None:
    """Which keys the caller lists and revokes: a test key only test keys (a leaked test key
    must not touch live ones); a live key every key of its account, as it may create test
    keys too (None: any mode)."""
    return "test" if principal.mode == "test" else None
