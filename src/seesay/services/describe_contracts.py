"""What describing an image takes and gives, and the helpers that shape it.

``DescribeRequest`` is what a surface asks; ``PreparedImage`` an image checked and stored
before anything is charged; ``DescribeInput`` and ``DescribeOutput`` the JSON of the
registered call ``describe.run`` (``DESCRIBE``), which may run on another machine;
``DescribeResult`` the answer to a description made now, built by ``describe_result``.
``detail_asked`` reads a detail level off a prompt's words for surfaces whose only control is
the prompt. Timings are in milliseconds (``elapsed_ms``, ``timed``).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, cast

from seesay.engines.base import Detail
from seesay.jobs.contracts import Call, Contract
from seesay.services.image_input import ImageInput
from seesay.services.metering import Charge

__all__ = [
    "DESCRIBE",
    "DETAILS",
    "MAX_PROMPT_CHARS",
    "DescribeInput",
    "DescribeOutput",
    "DescribeRequest",
    "DescribeResult",
    "PreparedImage",
    "describe_input",
    "describe_result",
    "detail_asked",
    "elapsed_ms",
    "new_request_id",
    "timed",
]

DETAILS: Final[tuple[Detail, ...]] = ("brief", "standard", "detailed")
MAX_PROMPT_CHARS: Final = 2000
# Whole words only: "the shortest bar" or "the summary" ask nothing about length.
_BRIEF: Final = re.compile(
    r"\b(brief(ly)?|short(ly)?|quick(ly)?|concise(ly)?|in one sentence|summari[sz]e)\b"
)
_DETAILED: Final = re.compile(
    r"\b(in (great |full |more )?detail|detailed|thorough(ly)?|describe everything"
    r"|all (the )?details)\b"
)


def detail_asked(prompt: str | None, default: Detail = "standard") -> Detail:
    """The detail level a prompt asks for in words ("Briefly describe...", "in great
    detail"), or ``default``: for surfaces whose only control is the prompt."""
    if not prompt:
        return default
    p = prompt.lower()
    if _DETAILED.search(p):
        return "detailed"
    if _BRIEF.search(p):
        return "brief"
    return default


def elapsed_ms(started: float) -> float:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` reading), to 0.1 ms."""
    return round((time.perf_counter() - started) * 1000, 1)


@contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Record in ``timings[name]`` how long the block took (even when it raises)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = elapsed_ms(started)


@dataclass(frozen=True, slots=True)
class DescribeRequest:
    image: ImageInput
    detail: str = "standard"
    prompt: str | None = None
    language: str = "en"


@dataclass(frozen=True, slots=True)
class PreparedImage:
    """A checked image in the blob store, and what preparing it cost."""

    blob_id: str
    mime_type: str | None
    width: int
    height: int
    timings: dict[str, float]


@dataclass(frozen=True, slots=True)
class DescribeResult:
    id: str
    text: str
    language: str
    source_language: str | None  # set when the text was translated
    translated: bool
    findings: dict[str, Any]
    engines: dict[str, str | None]
    timings: dict[str, float]
    credits_used: int  # millicredits
    credits_remaining: int  # millicredits
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class DescribeInput(Contract):
    """The input of ``describe.run``: a stored image and how to describe it."""

    image_blob: str
    mime_type: str | None = None
    detail: Detail
    prompt: str | None = None
    language: str


class DescribeOutput(Contract):
    """The result of ``describe.run``: the text in ``language`` (``source_language`` set when
    it was translated), the engine's findings, which engines ran and how long each took."""

    text: str
    language: str
    source_language: str | None = None
    translated: bool
    findings: dict[str, Any]
    engines: dict[str, str | None]
    timings: dict[str, float]


DESCRIBE: Call[DescribeInput, DescribeOutput] = Call("describe.run", DescribeInput, DescribeOutput)


def new_request_id(prefix: str) -> str:
    """A new id for an answer made now: ``prefix``, an underscore, 24 random hex digits."""
    return f"{prefix}_{secrets.token_hex(12)}"


def describe_result(
    prefix: str, out: DescribeOutput, prepared: PreparedImage, started: float, charge: Charge
) -> DescribeResult:
    """The answer to a description made now: ``out`` under a new ``prefix`` id, timed
    from ``started`` (preparing the image included), with what ``charge`` took."""
    return DescribeResult(
        id=new_request_id(prefix),
        text=out.text,
        language=out.language,
        source_language=out.source_language,
        translated=out.translated,
        findings=out.findings,
        engines=out.engines,
        timings={**prepared.timings, **out.timings, "total_ms": elapsed_ms(started)},
        credits_used=charge.held.amount,
        credits_remaining=charge.remaining,
    )


def describe_input(
    prepared: PreparedImage, detail: str, prompt: str | None, language: str
) -> DescribeInput:
    """The input of ``describe.run`` for a prepared image (options already checked)."""
    return DescribeInput(
        image_blob=prepared.blob_id,
        mime_type=prepared.mime_type,
        detail=cast(Detail, detail),
        prompt=prompt,
        language=language,
    )
