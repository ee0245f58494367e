"""The parts of the perception stack (``seesay-perception``): their names, models and loaders,
and what became of each.

Contract: ``parts_table(ocr=, faces=)`` gives a fresh ``Part`` for each name of ``PARTS``, in
that order, none loaded; a part turned off in the settings (``ocr`` for text, ``faces`` for
people) is ``disabled``. A part's ``loader`` builds its runner from the engine's context (it
imports its runtime only then); ``None`` marks a model-free part. ``CORE_PARTS`` are the model
parts without which there is no description. ``Part.report()`` is what ``/readyz`` shows of
it; ``failure_reason`` and ``nothing_loaded`` word a load failure for the operator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal

from seesay.engines.base import EngineContext

__all__ = [
    "CORE_PARTS",
    "PARTS",
    "Part",
    "PartName",
    "PartState",
    "failure_reason",
    "nothing_loaded",
    "parts_table",
]

_INSTALL_HINT: Final = "pip install 'seesay[vision]'"

PartName = Literal["labels", "text", "people", "appearance", "codes", "charts"]
PARTS: Final[tuple[PartName, ...]] = ("labels", "text", "people", "appearance", "codes", "charts")
CORE_PARTS: Final[frozenset[PartName]] = frozenset({"labels", "text", "people"})
PartState = Literal["not_loaded", "loaded", "failed", "disabled"]


def _load_classifier(ctx: EngineContext) -> Any:
    from seesay.engines.vision.efficientnet import EfficientNetLite0

    return EfficientNetLite0(threads=ctx.threads)


def _load_reader(ctx: EngineContext) -> Any:
    from seesay.engines.vision.text_reader import TextReader

    return TextReader(threads=1)


def _load_people(ctx: EngineContext) -> Any:
    from seesay.engines.vision.people import PeopleDetector

    return PeopleDetector(threads=1)


def _load_codes(ctx: EngineContext) -> Any:
    from seesay.engines.vision.codes import CodeReader

    return CodeReader()


def _load_charts(ctx: EngineContext) -> Any:
    from seesay.engines.vision.chart_reader import read_charts

    return read_charts


@dataclass
class Part:
    """One part of the stack: its loader (None: model-free) and what became of it."""

    name: PartName
    model: str
    loader: Callable[[EngineContext], Any] | None
    wanted: bool = True
    runner: Any = None
    state: PartState = "not_loaded"
    error: str | None = None  # exception class of the load failure
    reason: str | None = None  # its message, for the operator
    failures: int = 0  # run-time failures since the last load
    last_failure: str | None = None

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.state, "model": self.model}
        if self.error is not None:
            out["error"] = self.error
        if self.failures:
            out["run_failures"] = self.failures
            out["last_run_error"] = self.last_failure
        return out


def parts_table(*, ocr: bool, faces: bool) -> dict[PartName, Part]:
    """Every part, not loaded yet; the text part ``disabled`` without ``ocr``, the people
    part without ``faces``."""
    parts: dict[PartName, Part] = {
        "labels": Part("labels", "efficientnet-lite0", _load_classifier),
        "text": Part("text", "pp-ocrv6", _load_reader, wanted=ocr),
        "people": Part("people", "nudenet-320n", _load_people, wanted=faces),
        "appearance": Part("appearance", "color statistics (no model)", None),
        "codes": Part("codes", "zxing-cpp", _load_codes),
        "charts": Part("charts", "bars, lines and tables (no model)", _load_charts),
    }
    for part in parts.values():
        part.state = "not_loaded" if part.wanted else "disabled"
    return parts


def failure_reason(exc: BaseException) -> str:
    """Why a part did not load, for the operator: a missing package names what to install."""
    if isinstance(exc, ImportError) and exc.name:
        return f"{exc.name} is not installed ({_INSTALL_HINT})"
    return str(exc) or type(exc).__name__


def nothing_loaded(models: list[Part]) -> str:
    """The engine's reason for being unavailable: each failed model part and why."""
    listed = "; ".join(f"{p.name}: {p.error}: {p.reason}" for p in models if p.state == "failed")
    return f"the offline describer could not load any of its models: {listed}"
