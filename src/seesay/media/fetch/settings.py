"""The fetcher's settings (``SEESAY_FETCH__*``), composed by :mod:`seesay.settings` into
``Settings.fetch``."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import NoDecode

__all__ = ["FetchSettings"]


class FetchSettings(BaseModel):
    # NoDecode: the environment's "a,b" reaches the validator as text, not as failed JSON.
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hostnames or CIDR ranges the image fetcher may reach despite the guard "
        "(a JSON list or a comma-separated string).",
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
