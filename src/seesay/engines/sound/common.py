"""What the sound and music engines share: the checks of a generation request (seed,
duration, prompt) and the base of SeeSay's own offline synthesisers."""

from __future__ import annotations

import math
import secrets
from typing import Any

from seesay.engines.base import EngineInfo, Task
from seesay.engines.sound.dsp import scipy_signal
from seesay.errors import InvalidRequest

__all__ = ["SynthesisEngine", "check_duration", "check_prompt", "resolve_seed"]


def resolve_seed(seed: int | None) -> int:
    """The seed to use: the caller's, else a fresh random one (reported back where useful)."""
    if seed is None:
        return secrets.randbits(32)
    if seed < 0:
        raise InvalidRequest("seed must be zero or positive", param="seed")
    return int(seed)


def check_duration(seconds: float, low: float, high: float) -> float:
    if not (math.isfinite(seconds) and low <= seconds <= high):
        raise InvalidRequest(
            f"duration_seconds must be between {low:g} and {high:g}, got {seconds}",
            param="duration_seconds",
        )
    return float(seconds)


def check_prompt(prompt: str, max_chars: int, what: str) -> str:
    """``prompt`` stripped; ``InvalidRequest`` asking to "describe ``what``" when it is blank,
    or when it is longer than ``max_chars``."""
    text = prompt.strip()
    if not text:
        raise InvalidRequest(f"describe {what}", param="prompt")
    if len(text) > max_chars:
        raise InvalidRequest(f"the prompt is longer than {max_chars} characters", param="prompt")
    return text


class SynthesisEngine:
    """The base of SeeSay's own offline synthesisers (procedural sound and algorithmic
    music): WAV out, no model, so loading only checks that scipy is installed and there is
    nothing to unload."""

    def __init__(
        self, name: str, task: Task, method: str, description: str, extra: dict[str, Any]
    ) -> None:
        self._info = EngineInfo(
            name=name,
            task=task,
            model=f"{method} (no model)",
            licence="Apache-2.0 (SeeSay's own code)",
            local=True,
            formats=("wav",),
            description=description,
            extra=extra,
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def load(self) -> None:
        scipy_signal()  # fail at load, with the install hint, if scipy is missing

    def unload(self) -> None:
        return None
