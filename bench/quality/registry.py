"""The registry of evaluated kinds: each kind makes its own labelled items and scores what the
describer said about them. Other kinds (charts, codes, screenshots, photos) plug in by calling
:func:`register` from their own module and listing that module in ``KIND_MODULES``.

A scorer returns metric name -> value in [0, 1] (higher is better, averaged over items) for
the metrics that apply to its kind; the harness prints one column per metric name, ``-`` where
a kind has none. Metrics every kind gets for free: ``kind`` (the describer's ``findings["kind"]``
equals the item's label) and ``no_jargon`` (the spoken text holds no classifier numbers,
pixel sizes or model words).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from PIL import Image

__all__ = [
    "KIND_MODULES",
    "REGISTRY",
    "Item",
    "Kind",
    "common_metrics",
    "register",
]

# Modules that register kinds when imported; a new family of kinds adds its module here.
KIND_MODULES: Final[tuple[str, ...]] = (
    "bench.quality.reading",
    "bench.quality.plugged",
    "bench.quality.screens",
    "bench.quality.photos",
)


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled image. ``label`` is the kind the describer should name; ``truth`` is what
    the kind's scorer checks against (the text to read, the chart's pairs, a code's payload)."""

    image: Image.Image
    label: str
    truth: dict[str, Any] = field(default_factory=dict)
    prompt: str | None = None


@dataclass(frozen=True, slots=True)
class Kind:
    """A family of generated items: ``generate(rng)`` makes one, ``score(item, result)`` rates
    the describer's result (a ``Description``) on it."""

    name: str
    generate: Callable[[random.Random], Item]
    score: Callable[[Item, Any], dict[str, float]]
    detail: str = "detailed"


REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in REGISTRY:
        raise ValueError(f"kind {kind.name!r} is registered twice")
    REGISTRY[kind.name] = kind
    return kind


# Words a listener should never hear: model internals, percentages, pixel sizes.
_JARGON: Final = re.compile(
    r"\b(classifier|confidence|pixels?|imagenet|ocr|model|score)\b|\d+(\.\d+)?\s?%", re.IGNORECASE
)


def common_metrics(item: Item, result: Any) -> dict[str, float]:
    findings = result.findings or {}
    return {
        "kind": float(findings.get("kind") == item.label),
        "no_jargon": float(_JARGON.search(result.text) is None),
    }
