"""The accounts package's settings: request slots and per-account limits
(``SEESAY_LIMITS__*``), composed by :mod:`seesay.settings` into ``Settings.limits``."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["LimitsSettings"]


class LimitsSettings(BaseModel):
    concurrency_lease_seconds: float = Field(
        30.0, gt=0, description="A held request slot expires this long after its last renewal."
    )
    max_request_bytes: int = Field(
        25 * 1024 * 1024, gt=0, description="Largest request body accepted (413 above)."
    )
    max_keys_per_account: int = Field(
        10, ge=1, description="Active API keys an account may hold (plan limits are per account)."
    )
