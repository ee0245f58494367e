"""``Audio``: the PCM value that decoding produces, engines consume and encoding writes.

It lives here, below the engines, so that media code does not import the engine layer;
:mod:`seesay.engines.base` re-exports it for engine code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Audio"]


@dataclass(frozen=True, slots=True)
class Audio:
    """Mono PCM as float32 in [-1, 1]."""

    samples: npt.NDArray[np.float32]
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / float(self.sample_rate)
