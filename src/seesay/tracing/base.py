"""What product code sees of tracing: :class:`Tracing` and :class:`SpanRecorder`, which
(as they are here) do nothing; :mod:`seesay.tracing.otel` implements them over OpenTelemetry.

Code that is handed no ``Tracing`` (remote engines, built from settings alone) still sends
the trace context on: :func:`outbound_headers` reads the tracing of the span active in the
current context (a context variable, set while an activated span runs)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "AttributeValue",
    "SpanKind",
    "SpanRecorder",
    "SpanRequest",
    "Tracing",
    "active",
    "outbound_headers",
]

SpanKind = Literal["internal", "server", "client", "producer", "consumer"]
AttributeValue = str | int | float | bool


class SpanRecorder:
    """What code inside a span may do to it. This one (tracing off) does nothing."""

    def set(self, attributes: Mapping[str, AttributeValue | None]) -> None:
        """Add ``attributes`` (None values are left out)."""

    def rename(self, name: str) -> None:
        """Rename the span (a request learns its route template after routing)."""

    def fail(self, error_type: str) -> None:
        """Mark the span failed with ``error_type`` (a class name, never a message)."""


_NO_SPAN = SpanRecorder()


@dataclass(frozen=True)
class SpanRequest:
    """The arguments of one :meth:`Tracing.span` call, as an implementation receives them."""

    name: str
    kind: SpanKind
    parent: Mapping[str, Any] | None
    activate: bool
    attributes: Mapping[str, AttributeValue | None]


class Tracing:
    """Tracing off: every span is a no-op and nothing is propagated."""

    enabled = False

    def span(
        self,
        name: str,
        attributes: Mapping[str, AttributeValue | None] | None = None,
        *,
        kind: SpanKind = "internal",
        parent: Mapping[str, Any] | None = None,
        activate: bool = True,
    ) -> AbstractContextManager[SpanRecorder]:
        """A span with ``attributes`` (None values left out) around the block, child of
        the current span, or of the trace in ``parent`` (a carrier, see :meth:`carrier`)
        when that holds one.

        ``activate=False`` makes a leaf span that does not become current: for blocks
        that may end in another context (a generator run from a thread pool), where an
        active span could not be detached. An exception leaving the block marks the span
        failed with the exception's class name (messages are not recorded)."""
        return self._open(SpanRequest(name, kind, parent, activate, attributes or {}))

    def _open(self, request: SpanRequest) -> AbstractContextManager[SpanRecorder]:
        """The span that :meth:`span` asked for, for an implementation to provide (here:
        none); ``span`` is the one signature callers see."""
        return _no_span()

    def carrier(self) -> dict[str, str]:
        """The current trace context as W3C headers (empty when off or outside a span)."""
        return {}

    def inject(self, headers: MutableMapping[str, str]) -> None:
        """Add the current trace context's headers to an outbound request's ``headers``."""

    def close(self) -> None:
        """Flush what is pending and release the exporter."""


@contextmanager
def _no_span() -> Iterator[SpanRecorder]:
    yield _NO_SPAN


# The Tracing whose activated span is current here (None: tracing off or outside any span).
active: ContextVar[Tracing | None] = ContextVar("seesay_active_tracing", default=None)


def outbound_headers() -> dict[str, str]:
    """The W3C trace context headers for an outbound request made here (empty when tracing
    is off or no span is active)."""
    tracing = active.get()
    return tracing.carrier() if tracing is not None else {}
