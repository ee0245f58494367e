"""Account overview (plan, balances, usage) and key creation rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from seesay.accounts.plans import CREDIT
from seesay.accounts.service import CreatedKey, Principal
from seesay.db.models import Reservation
from seesay.errors import PermissionDenied
from seesay.jobs.webhooks import webhook_secret
from seesay.services.container import Platform

__all__ = ["account_overview", "create_key_for", "managed_key_mode"]


def account_overview(platform: Platform, principal: Principal, days: int) -> dict[str, Any]:
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


def usage(platform: Platform, principal: Principal, days: int) -> dict[str, Any]:
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
    platform: Platform, principal: Principal, name: str, mode: str | None
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
