"""Wire schemas of the native API's platform routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

__all__ = [
    "AccountOut",
    "BalancesOut",
    "CreatedKeyOut",
    "JobOut",
    "KeyCreateIn",
    "KeyListOut",
    "KeyOut",
    "PlanOut",
    "UsageOut",
]


class PlanOut(BaseModel):
    name: str
    requests_per_minute: int
    concurrent_requests: int
    monthly_credits: float
    features: list[str]


class BalancesOut(BaseModel):
    mode: Literal["live", "test"]
    credits: float = Field(description="Spendable credits (monthly + purchased).")
    millicredits: int = Field(description="The same, as the integer the ledger keeps.")
    monthly: float = Field(description="Plan credits; reset to the plan's grant monthly.")
    purchased: float = Field(description="Purchased credits; never reset.")
    reset_at: datetime | None


class UsageDay(BaseModel):
    date: str
    requests: int
    credits: float


class UsageFeature(BaseModel):
    feature: str
    requests: int
    credits: float


class UsageOut(BaseModel):
    days: int
    by_feature: list[UsageFeature]
    by_day: list[UsageDay]


class AccountOut(BaseModel):
    id: str
    name: str
    email: str | None
    plan: PlanOut
    key_mode: Literal["live", "test"]
    balances: BalancesOut
    usage: UsageOut
    webhook_secret: str = Field(description="Verifies the SeeSay-Signature of webhooks.")
    created_at: datetime


class KeyCreateIn(BaseModel):
    name: str = Field("", max_length=200)
    mode: Literal["live", "test"] | None = Field(
        None, description="Default: the mode of the key making the request."
    )


class KeyOut(BaseModel):
    id: str
    name: str
    mode: Literal["live", "test"]
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class CreatedKeyOut(KeyOut):
    key: str = Field(description="The secret. Shown once; SeeSay keeps only a hash.")


class KeyListOut(BaseModel):
    data: list[KeyOut]


class JobError(BaseModel):
    code: str | None
    message: str | None
    param: str | None = None


class JobOut(BaseModel):
    id: str
    object: Literal["job"] = "job"
    kind: str
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"]
    result: dict[str, Any] | None
    error: JobError | None
    progress: dict[str, Any] | None
    attempts: int
    created_at: str
    started_at: str | None
    finished_at: str | None
