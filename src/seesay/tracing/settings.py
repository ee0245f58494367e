"""The tracing package's settings (``SEESAY_TRACING__*``); :mod:`seesay.settings` composes
them into ``Settings.tracing``."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["TracingSettings"]


class TracingSettings(BaseModel):
    enabled: bool = Field(
        False,
        description="Export OpenTelemetry traces (needs the otel extra: pip install "
        "'seesay[otel]'). Off: OpenTelemetry's SDK is not even imported.",
    )
    endpoint: str | None = Field(
        None,
        description="OTLP/HTTP collector, e.g. http://127.0.0.1:4318 (spans go to "
        "/v1/traces under it). Default: the OTEL_EXPORTER_OTLP_* environment, else "
        "http://localhost:4318.",
    )
    service_name: str = Field("seesay", min_length=1, description="service.name of spans.")
    sample_ratio: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="Share of new traces kept; a request that arrives with a sampled "
        "traceparent is always kept.",
    )
