"""First-run setup shared by ``seesay serve`` and the admin commands."""

from __future__ import annotations

from dataclasses import dataclass

from seesay.accounts.plans import CREDIT
from seesay.errors import Conflict
from seesay.platform import Platform

__all__ = ["OWNER_CREDITS", "OwnerKey", "ensure_owner"]

OWNER_CREDITS = 10_000 * CREDIT


@dataclass(frozen=True, slots=True)
class OwnerKey:
    account_id: str
    key: str | None  # set only when the owner was created just now


def ensure_owner(platform: Platform) -> OwnerKey:
    """Create the owner account (paid plan, starting credits) and its first key, once, also
    when several processes start at once on a fresh database: the one that loses the race to
    create it (the database holds one owner at most) takes the winner's."""
    owner = platform.accounts.find_owner()
    if owner is not None:
        return OwnerKey(owner.id, None)
    try:
        account = platform.accounts.create_account("owner", plan="paid", is_owner=True)
    except Conflict:
        owner = platform.accounts.find_owner()
        if owner is None:  # pragma: no cover - the conflict was about something else
            raise
        return OwnerKey(owner.id, None)
    platform.ledger.grant(account.id, OWNER_CREDITS, note="owner starting credits")
    platform.ledger.grant(account.id, OWNER_CREDITS, mode="test", note="owner test credits")
    created = platform.accounts.create_key(account.id, name="owner")
    return OwnerKey(account.id, created.key)
