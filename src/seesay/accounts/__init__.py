"""Accounts, API keys, plans, prices, the credit ledger, idempotency and limits."""

from seesay.accounts.idempotency import IdempotencyStore, StoredResponse, request_fingerprint
from seesay.accounts.ledger import Balances, Held, Ledger
from seesay.accounts.limits import ConcurrencyLimiter, RateLimiter, RateState, open_limiters
from seesay.accounts.plans import CREDIT, PLANS, Plan, get_plan
from seesay.accounts.pricing import Price, PriceTable
from seesay.accounts.service import AccountService, CreatedKey, KeyView, Principal

__all__ = [
    "CREDIT",
    "PLANS",
    "AccountService",
    "Balances",
    "ConcurrencyLimiter",
    "CreatedKey",
    "Held",
    "IdempotencyStore",
    "KeyView",
    "Ledger",
    "Plan",
    "Price",
    "PriceTable",
    "Principal",
    "RateLimiter",
    "RateState",
    "StoredResponse",
    "get_plan",
    "open_limiters",
    "request_fingerprint",
]
