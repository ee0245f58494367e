"""The offline default sound-effect engine: procedural synthesis driven by the prompt.

No model and no recorded samples: the prompt is parsed against a documented vocabulary
(``vocabulary.py``: sound kinds, the words naming them, modifiers such as distant, heavy,
short), each named kind is synthesised by its recipe (``kinds.py``), shaped by its modifiers
(level, low-pass for muffled or distant, a synthetic room for distant or echoing), and the
layers are mixed and levelled. A prompt that names no sound raises ``InvalidRequest`` listing
the vocabulary; otherwise ``SoundResult.understood``/``ignored`` say which words counted.

Deterministic: the same prompt, duration and seed give the same samples (every random draw
comes from a generator seeded by the seed and the layer's kind). Thread-safe: no shared state.
"""

from __future__ import annotations

import zlib
from typing import Final

import numpy as np

from seesay.engines.base import Audio, SoundResult, Task
from seesay.engines.sound.common import SynthesisEngine, check_duration, resolve_seed
from seesay.engines.sound.dsp import fit, highpass, lowpass, master, reverb, rms
from seesay.engines.sound.kinds import RENDERERS
from seesay.engines.sound.settings import ProceduralSoundSettings
from seesay.engines.sound.vocabulary import KINDS, Layer, parse_prompt, vocabulary
from seesay.errors import InvalidRequest

__all__ = ["ENGINE_NAME", "ProceduralSoundEngine"]

ENGINE_NAME: Final = "procedural-sound"
MIN_SECONDS: Final = 0.1
_LAYER_RMS: Final = 0.1
_LAYER_PEAK: Final = 0.5


class ProceduralSoundEngine(SynthesisEngine):
    """Sound effects synthesised from a vocabulary of sound kinds; see the module docstring."""

    def __init__(self, settings: ProceduralSoundSettings | None = None) -> None:
        self._s = settings or ProceduralSoundSettings()
        super().__init__(
            ENGINE_NAME,
            Task.SOUND,
            "procedural synthesis",
            "Procedural sound synthesis from a fixed vocabulary of sound kinds, layered and "
            "shaped by modifier words; deterministic for a seed",
            {
                "sample_rate": self._s.sample_rate,
                "max_seconds": self._s.max_seconds,
                "vocabulary": vocabulary(),
            },
        )

    def generate(self, prompt: str, duration_seconds: float, seed: int | None) -> SoundResult:
        seconds = check_duration(duration_seconds, MIN_SECONDS, self._s.max_seconds)
        parsed = parse_prompt(prompt)
        if not parsed.layers:
            known = ", ".join(KINDS)
            heard = (
                f" (understood only: {', '.join(parsed.understood)})" if parsed.understood else ""
            )
            raise InvalidRequest(
                f"the prompt names no sound this engine can make{heard}; "
                f"describe one or more of: {known}",
                param="prompt",
                details={
                    "understood": list(parsed.understood),
                    "ignored": list(parsed.ignored),
                    "vocabulary": vocabulary(),
                },
            )
        sr = self._s.sample_rate
        n = round(seconds * sr)
        base = resolve_seed(seed)
        mix = np.zeros(n)
        for layer in parsed.layers:
            mix += self._render(layer, n, sr, base)
        out = master(mix, sr, target_rms=rms(mix), peak=0.89)  # keep the level, stop clipping
        return SoundResult(
            audio=Audio(out.astype(np.float32), sr),
            understood=parsed.understood,
            ignored=parsed.ignored,
        )

    def _render(self, layer: Layer, n: int, sr: int, seed: int) -> np.ndarray:
        # One generator per (seed, kind): adding a layer never changes the others.
        rng = np.random.default_rng([seed, zlib.crc32(layer.kind.encode())])
        shape = layer.shape
        # Below 25 Hz nothing is heard but the headroom it takes: filter it out.
        x = highpass(fit(RENDERERS[layer.kind](n, sr, rng, shape), n), sr, 25.0)
        if shape.lowpass_hz is not None:
            x = lowpass(x, sr, shape.lowpass_hz, order=4)
        if shape.reverb_wet > 0:
            x = reverb(x, sr, shape.reverb_seconds, shape.reverb_wet, rng)
        level, peak = rms(x), float(np.max(np.abs(x))) if n else 0.0
        scale = 1.0 / max(level / _LAYER_RMS, peak / _LAYER_PEAK, 1e-12)
        return x * scale * 10 ** (shape.gain_db / 20.0)
