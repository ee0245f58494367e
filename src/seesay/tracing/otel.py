"""OpenTelemetry behind :class:`seesay.tracing.Tracing` (the ``otel`` extra).

Imported only by ``open_tracing`` when tracing is enabled. One ``TracerProvider`` per
platform (never the global one, so two platforms in a process, or a library that sets a
global provider, do not mix), sampled ``ParentBased(TraceIdRatioBased(sample_ratio))``, with
a batch processor over the OTLP/HTTP exporter, or a simple (synchronous) processor over an
exporter handed in by a test.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
from opentelemetry.trace import Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from seesay import __version__, logs
from seesay.tracing.base import (
    AttributeValue,
    SpanKind,
    SpanRecorder,
    SpanRequest,
    Tracing,
    active,
)
from seesay.tracing.settings import TracingSettings

__all__ = ["OtelTracing", "traces_url"]

_KINDS: dict[SpanKind, trace.SpanKind] = {
    "internal": trace.SpanKind.INTERNAL,
    "server": trace.SpanKind.SERVER,
    "client": trace.SpanKind.CLIENT,
    "producer": trace.SpanKind.PRODUCER,
    "consumer": trace.SpanKind.CONSUMER,
}


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL under a collector's base ``endpoint``."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/v1/traces") else base + "/v1/traces"


def _clean(attributes: Mapping[str, AttributeValue | None]) -> dict[str, AttributeValue]:
    return {
        key: logs.redact(value) if isinstance(value, str) else value
        for key, value in attributes.items()
        if value is not None
    }


class _Recorder(SpanRecorder):
    __slots__ = ("_span",)

    def __init__(self, span: trace.Span) -> None:
        self._span = span

    def set(self, attributes: Mapping[str, AttributeValue | None]) -> None:
        self._span.set_attributes(_clean(attributes))

    def rename(self, name: str) -> None:
        self._span.update_name(name)

    def fail(self, error_type: str) -> None:
        self._span.set_attribute("error.type", error_type)
        self._span.set_status(Status(StatusCode.ERROR))


class OtelTracing(Tracing):
    enabled = True

    def __init__(self, settings: TracingSettings, *, exporter: SpanExporter | None = None) -> None:
        self._owns_exporter = exporter is None
        self.provider = TracerProvider(
            resource=Resource.create(
                {"service.name": settings.service_name, "service.version": __version__}
            ),
            sampler=ParentBased(TraceIdRatioBased(settings.sample_ratio)),
            shutdown_on_exit=False,  # the platform's close() shuts it down
        )
        if exporter is None:
            endpoint = traces_url(settings.endpoint) if settings.endpoint else None
            self.provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint)))
        else:
            self.provider.add_span_processor(SimpleSpanProcessor(exporter))
        self._tracer = self.provider.get_tracer("seesay", __version__)
        self._propagator = TraceContextTextMapPropagator()

    @contextmanager
    def _open(self, request: SpanRequest) -> Iterator[SpanRecorder]:
        # A carrier without a traceparent leaves the current context as the parent.
        context = self._propagator.extract(request.parent) if request.parent else None
        span = self._tracer.start_span(
            request.name,
            context=context,
            kind=_KINDS[request.kind],
            attributes=_clean(request.attributes),
        )
        recorder = _Recorder(span)
        try:
            if request.activate:
                token = active.set(self)
                try:
                    with trace.use_span(
                        span, record_exception=False, set_status_on_exception=False
                    ):
                        yield recorder
                finally:
                    active.reset(token)
            else:
                yield recorder
        except Exception as exc:
            recorder.fail(type(exc).__name__)
            raise
        finally:
            span.end()

    def carrier(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        self._propagator.inject(headers)
        return headers

    def inject(self, headers: MutableMapping[str, str]) -> None:
        self._propagator.inject(headers)

    def close(self) -> None:
        self.provider.force_flush()
        if self._owns_exporter:
            self.provider.shutdown()
