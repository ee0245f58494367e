"""Helpers to make accounts and keys in tests."""

from __future__ import annotations

from dataclasses import dataclass

from seesay.accounts.plans import CREDIT
from seesay.platform import Platform


@dataclass
class TestKey:
    __test__ = False
    account_id: str
    key: str
    key_id: str


def make_key(
    platform: Platform,
    *,
    plan: str = "paid",
    credits: float = 100,
    mode: str = "live",
    account_id: str | None = None,
) -> TestKey:
    if account_id is None:
        account_id = platform.accounts.create_account(f"{plan} account", plan=plan).id
        if credits:
            platform.ledger.grant(account_id, int(credits * CREDIT), mode=mode)
    created = platform.accounts.create_key(account_id, mode=mode)
    return TestKey(account_id, created.key, created.view.id)
