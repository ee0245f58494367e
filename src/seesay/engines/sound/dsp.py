"""Small signal-processing kit shared by the procedural sound and music engines.

Everything works on float64 numpy arrays of mono samples; callers convert to float32 at the
end. Filters are Butterworth sections from scipy (imported lazily, in the functions that need
it, so importing this module stays cheap). Nothing here keeps state: randomness comes from
the ``numpy.random.Generator`` each caller passes, which is what makes a seed reproducible.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar

import numpy as np
import numpy.typing as npt

from seesay.errors import EngineUnavailable

__all__ = [
    "FloatArray",
    "bandpass",
    "brown",
    "decay",
    "envelope",
    "fade_edges",
    "fit",
    "highpass",
    "lowpass",
    "master",
    "pink",
    "place",
    "reverb",
    "rms",
    "scipy_signal",
    "smooth_random",
    "white",
]

FloatArray = npt.NDArray[np.float64]
_Float = TypeVar("_Float", bound=np.floating[Any])
_INSTALL_HINT: Final = "pip install 'seesay[clone]'"


def scipy_signal() -> Any:
    """``scipy.signal``, or ``EngineUnavailable`` naming the extra that installs it."""
    try:
        import scipy.signal
    except ImportError as exc:  # pragma: no cover - scipy ships with every audio extra
        raise EngineUnavailable(f"sound synthesis needs scipy: {_INSTALL_HINT}") from exc
    return scipy.signal


def white(rng: np.random.Generator, n: int) -> FloatArray:
    return rng.standard_normal(n)


def _coloured(rng: np.random.Generator, n: int, exponent: float) -> FloatArray:
    """Noise with power falling as 1/f**exponent (1: pink, 2: brown), unit RMS."""
    if n == 0:
        return np.zeros(0)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    spectrum /= f ** (exponent / 2.0)
    spectrum[0] = 0.0
    x = np.fft.irfft(spectrum, n)
    return x / (rms(x) + 1e-12)


def pink(rng: np.random.Generator, n: int) -> FloatArray:
    return _coloured(rng, n, 1.0)


def brown(rng: np.random.Generator, n: int) -> FloatArray:
    return _coloured(rng, n, 2.0)


def rms(x: FloatArray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def _sos(kind: str, sr: int, freq: float | tuple[float, float], order: int) -> Any:
    nyquist = sr / 2.0
    if isinstance(freq, tuple):
        lo = min(max(freq[0], 10.0), nyquist * 0.95)
        hi = min(max(freq[1], lo * 1.05), nyquist * 0.98)
        wn: float | tuple[float, float] = (lo, hi)
    else:
        wn = min(max(freq, 10.0), nyquist * 0.98)
    return scipy_signal().butter(order, wn, btype=kind, fs=sr, output="sos")


def lowpass(x: FloatArray, sr: int, freq: float, order: int = 2) -> FloatArray:
    return np.asarray(scipy_signal().sosfilt(_sos("lowpass", sr, freq, order), x))


def highpass(x: FloatArray, sr: int, freq: float, order: int = 2) -> FloatArray:
    return np.asarray(scipy_signal().sosfilt(_sos("highpass", sr, freq, order), x))


def bandpass(x: FloatArray, sr: int, lo: float, hi: float, order: int = 2) -> FloatArray:
    return np.asarray(scipy_signal().sosfilt(_sos("bandpass", sr, (lo, hi), order), x))


def decay(n: int, sr: int, seconds: float) -> FloatArray:
    """exp(-t / seconds) over ``n`` samples: the tail of a struck or plucked thing."""
    return np.exp(-np.arange(n) / (sr * max(seconds, 1e-4)))


def envelope(
    n: int, sr: int, attack: float, decay_s: float, sustain: float, release: float
) -> FloatArray:
    """A linear ADSR envelope ``n`` samples long whose release ends at the last sample."""
    a = min(n, round(attack * sr))
    r = min(n - a, round(release * sr))
    d = min(n - a - r, round(decay_s * sr))
    s = n - a - r - d
    parts = [
        np.linspace(0.0, 1.0, a, endpoint=False),
        np.linspace(1.0, sustain, d, endpoint=False),
        np.full(s, sustain),
        np.linspace(sustain if (d or s) else (1.0 if a else sustain), 0.0, r),
    ]
    return np.concatenate(parts)


def smooth_random(rng: np.random.Generator, n: int, sr: int, rate_hz: float) -> FloatArray:
    """A slowly wandering curve in [0, 1]: random points ``rate_hz`` apart, interpolated."""
    points = max(2, int(n / sr * rate_hz) + 2)
    knots = rng.random(points)
    return np.interp(np.linspace(0, points - 1, n), np.arange(points), knots)


def place(out: FloatArray, event: FloatArray, start: int) -> None:
    """Add ``event`` into ``out`` at ``start``, clipped to ``out``'s bounds."""
    if start >= len(out) or start + len(event) <= 0:
        return
    lo = max(0, start)
    hi = min(len(out), start + len(event))
    out[lo:hi] += event[lo - start : hi - start]


def fit(x: npt.NDArray[_Float], n: int) -> npt.NDArray[_Float]:
    """``x`` cut or zero-padded to exactly ``n`` samples, in its own dtype."""
    if len(x) >= n:
        return x[:n]
    return np.concatenate([x, np.zeros(n - len(x), x.dtype)])


def reverb(
    x: FloatArray, sr: int, seconds: float, wet: float, rng: np.random.Generator
) -> FloatArray:
    """A room: ``x`` convolved with exponentially decaying, darkening noise; same length."""
    if wet <= 0 or len(x) == 0:
        return x
    n = max(1, round(seconds * sr))
    tail = rng.standard_normal(n) * decay(n, sr, seconds / 6.9)  # -60 dB at ``seconds``
    tail = lowpass(tail, sr, 5000.0)
    tail /= np.sqrt(np.sum(tail**2)) + 1e-12
    wet_signal: FloatArray = np.asarray(scipy_signal().fftconvolve(x, tail)[: len(x)])
    return (1.0 - wet) * x + wet * wet_signal * (rms(x) / (rms(wet_signal) + 1e-12))


def fade_edges(x: FloatArray, sr: int, seconds: float = 0.01) -> FloatArray:
    """Raised-cosine fades so the clip neither starts nor stops with a click."""
    n = min(round(seconds * sr), len(x) // 2)
    if n:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))
        x = x.copy()
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


def master(x: FloatArray, sr: int, target_rms: float = 0.12, peak: float = 0.89) -> FloatArray:
    """Bring the mix to a common loudness without clipping: scale to ``target_rms``, then
    down if a peak would pass ``peak``, then fade the edges."""
    level = rms(x)
    if level > 0:
        x = x * (target_rms / level)
    top = float(np.max(np.abs(x))) if len(x) else 0.0
    if top > peak:
        x = x * (peak / top)
    return fade_edges(x, sr)
