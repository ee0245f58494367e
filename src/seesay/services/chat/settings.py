"""Settings of the upstream chat bridge: the provider table and the free-model limits.

Environment example (JSON, as pydantic-settings reads complex values)::

    SEESAY_PROVIDERS='[{"name": "openrouter", "base_url": "https://openrouter.ai/api/v1",
      "api_key": "sk-or-...", "models": [
        {"id": "openrouter:openai/gpt-oss-20b:free", "free": true},
        {"id": "openrouter:google/gemini-2.5-flash", "credits_per_request": 2.0}]},
      {"name": "deepseek", "base_url": "https://api.deepseek.com/v1", "api_key": "sk-...",
       "models": ["deepseek-chat"]}]'

A model id may carry its provider as a prefix (``openrouter:openai/gpt-oss-20b:free``); the
prefix is stripped before the id is sent upstream unless ``upstream_model`` says otherwise.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

__all__ = ["ChatSettings", "ProviderModel", "ProviderSettings"]


class ProviderModel(BaseModel):
    """One model of a provider, as clients name it."""

    id: str = Field(min_length=1, description="The id clients send as `model`.")
    display_name: str | None = None
    credits_per_request: float | None = Field(
        None, ge=0, description="Credits per completed request; None: the `chat` price."
    )
    free: bool = Field(False, description="Costs 0 credits, limited per account per min/day.")
    upstream_model: str | None = Field(
        None, description="The id sent upstream; default: `id` without a `provider:` prefix."
    )


class ProviderSettings(BaseModel):
    """An OpenAI-compatible chat provider (``POST {base_url}/chat/completions``)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    base_url: str = Field(description="API root up to and including /v1.")
    api_key: SecretStr | None = Field(None, description="The provider's key (Bearer).")
    models: list[ProviderModel] = Field(default_factory=list)
    timeout: float = Field(120.0, gt=0, description="Seconds for one exchange (or between chunks).")
    tools: bool = Field(True, description="Whether `tools` may be sent to this provider.")

    @field_validator("models", mode="before")
    @classmethod
    def _plain_ids(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"id": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> ProviderSettings:
        ids = [m.id for m in self.models]
        if len(ids) != len(set(ids)):
            raise ValueError(f"provider {self.name!r} lists a model id twice")
        return self


class ChatSettings(BaseModel):
    """Limits of free models (per account, OpenRouter-aligned as in the WebVoice spec)."""

    free_per_minute: int = Field(20, ge=1, description="Free-model requests per account a minute.")
    free_per_day: int = Field(50, ge=1, description="Before the account's first purchase.")
    free_per_day_purchased: int = Field(1000, ge=1, description="After a credit purchase.")
    key_daily_spend_cap: int = Field(
        200_000,
        ge=0,
        description="Millicredits one API key may spend on chat per UTC day (0: no cap).",
    )
