"""Tracing: spans around requests, engine calls and loads, jobs and outbound HTTP.

The product code talks to a :class:`Tracing`; the default one does nothing and imports
nothing. ``open_tracing(settings)`` returns an OpenTelemetry-backed one
(:mod:`seesay.tracing.otel`, the ``otel`` extra) only when ``settings.enabled``, so a server
with tracing off never imports OpenTelemetry's SDK. Each platform owns its tracer provider
(no global provider is set), and closes it.

Trace context crosses the queue as a *carrier*: the W3C ``traceparent``/``tracestate``
headers of the span current when a job or a worker call was sent (:meth:`Tracing.carrier`),
stored with the queue message; the worker's span continues that trace. Outbound requests
(webhooks, upstream chat providers) carry the same headers (:meth:`Tracing.inject`).

Attributes are ids and names only: an account id, never a key; a route template, never a
path with its query. As a safety net every string attribute is passed through
``seesay.logs.redact``.
"""

from __future__ import annotations

from typing import Any

from seesay.tracing.base import AttributeValue, SpanKind, SpanRecorder, Tracing, outbound_headers
from seesay.tracing.settings import TracingSettings

__all__ = [
    "AttributeValue",
    "SpanKind",
    "SpanRecorder",
    "Tracing",
    "TracingSettings",
    "open_tracing",
    "outbound_headers",
]


def open_tracing(settings: TracingSettings, *, exporter: Any = None) -> Tracing:
    """The tracing ``settings`` ask for. ``exporter`` (an OpenTelemetry ``SpanExporter``,
    for tests) replaces the OTLP exporter; its maker shuts it down."""
    if not settings.enabled:
        return Tracing()
    try:
        from seesay.tracing.otel import OtelTracing
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError(
            "tracing is enabled (SEESAY_TRACING__ENABLED) but OpenTelemetry is not "
            "installed: pip install 'seesay[otel]'"
        ) from exc
    return OtelTracing(settings, exporter=exporter)
