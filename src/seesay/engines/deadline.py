"""The deadline of the inference call running in this context, checked by engines.

A synchronous request must answer in bounded time however its input behaves (a clip that
makes Whisper loop, a text that never ends). The caller of an inference step opens a
:func:`deadline_scope`; engines call :func:`check` at their natural boundaries (between
Whisper windows and segments, between spoken sentences, between generated chunks), which
raises ``EngineTimeout`` once the deadline has passed, so a call that overran stops soon and
frees its thread. The waiting side never relies on that alone: ``InferenceExecutor`` stops
waiting at the deadline even for an engine that never checks.

The deadline lives in a ``ContextVar``: it follows the call into threads started with a copy
of the context (``contextvars.copy_context().run``, Starlette's ``run_in_threadpool``) and
never leaks into unrelated work on the same thread. This module sits at the bottom of the
engine layer, so engines, jobs and services can all import it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from seesay.errors import EngineTimeout

__all__ = ["Deadline", "check", "current", "deadline_scope", "remaining"]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A point on the monotonic clock; ``seconds`` is the budget it was made with and
    ``label`` names the work (both only for the error message)."""

    expires_at: float
    seconds: float
    label: str = "the request"

    @classmethod
    def after(cls, seconds: float, label: str = "the request") -> Deadline:
        return cls(time.monotonic() + max(0.0, seconds), max(0.0, seconds), label)

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.expires_at - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.expires_at

    def error(self) -> EngineTimeout:
        return EngineTimeout(
            f"{self.label} did not finish within its deadline of {self.seconds:g} seconds",
            details={"deadline_seconds": self.seconds},
        )

    def check(self) -> None:
        """Raise ``EngineTimeout`` if the deadline has passed."""
        if self.expired():
            raise self.error()


_current: ContextVar[Deadline | None] = ContextVar("seesay_deadline", default=None)


def current() -> Deadline | None:
    """The deadline of the call running in this context, or None outside any call."""
    return _current.get()


def check() -> None:
    """Raise ``EngineTimeout`` if this context's deadline has passed (no-op without one)."""
    deadline = _current.get()
    if deadline is not None:
        deadline.check()


def remaining() -> float | None:
    """Seconds left to this context's deadline, or None without one."""
    deadline = _current.get()
    return None if deadline is None else deadline.remaining()


@contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[Deadline]:
    """Run the block under ``deadline``, or under the enclosing one if that ends sooner
    (a nested call never extends its caller's budget). Yields the deadline in force."""
    outer = _current.get()
    effective = outer if outer is not None and outer.expires_at <= deadline.expires_at else deadline
    token = _current.set(effective)
    try:
        yield effective
    finally:
        _current.reset(token)
