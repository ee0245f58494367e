"""Synthesised instruments of the algorithmic composer: one function per instrument turning a
note (frequency, length, velocity) into samples, and a small drum kit.

Recipes: piano = additive partials with slight inharmonicity, higher partials dying faster;
strings = detuned sawtooths with delayed vibrato and a slow bow attack, low-passed; pad =
wide detuned sawtooths, dark, long attack and release; bass = sawtooth plus sine sub,
low-passed; synth lead = pulse wave through a low-pass; guitar = Karplus-Strong plucked
string; organ = drawbar additive sines; flute = sine with breath noise and vibrato; bells =
two-operator FM. Each returns ``round(seconds * sr)`` samples plus its release tail.
Drums: kick = sine with a falling pitch, snare = tone plus band-passed noise, hats = high-passed
noise, ride = inharmonic partials, clap = layered noise bursts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np

from seesay.engines.sound.dsp import (
    FloatArray,
    bandpass,
    decay,
    envelope,
    highpass,
    lowpass,
)

__all__ = ["DRUMS", "INSTRUMENTS", "Voice", "midi_hz"]

Voice = Callable[[float, float, float, int, np.random.Generator], FloatArray]
_TAU: Final = 2.0 * np.pi


def midi_hz(note: float) -> float:
    return float(440.0 * 2.0 ** ((note - 69.0) / 12.0))


def _t(n: int, sr: int) -> FloatArray:
    return np.arange(n) / sr


def _saw(freq: float | FloatArray, n: int, sr: int, phase: float = 0.0) -> FloatArray:
    f = np.broadcast_to(np.asarray(freq, dtype=np.float64), (n,))
    cycles = phase + np.cumsum(f) / sr
    return 2.0 * (cycles % 1.0) - 1.0


def _sine(freq: float | FloatArray, n: int, sr: int, phase: float = 0.0) -> FloatArray:
    f = np.broadcast_to(np.asarray(freq, dtype=np.float64), (n,))
    return np.sin(phase + _TAU * np.cumsum(f) / sr)


def piano(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 0.4) * sr)
    t = _t(n, sr)
    out = np.zeros(n)
    for k in range(1, 9):
        fk = f * k * np.sqrt(1 + 0.0004 * k * k)  # string stiffness stretches the partials
        if fk > sr / 2.2:
            break
        out += np.sin(_TAU * fk * t) * np.exp(-t * (0.8 + 0.9 * k) * (f / 440) ** 0.3) / k**1.3
    return out * envelope(n, sr, 0.004, 0.0, 1.0, 0.35) * vel


def strings(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 0.3) * sr)
    t = _t(n, sr)
    vibrato = 1 + 0.004 * np.sin(_TAU * 5.5 * t) * np.minimum(1.0, t / 0.4)
    body = sum(_saw(f * d * vibrato, n, sr, rng.random()) for d in (0.997, 1.0, 1.004))
    body = lowpass(np.asarray(body), sr, min(3500.0, f * 6), order=2)
    return body * envelope(n, sr, 0.15, 0.1, 0.85, 0.3) * vel * 0.35


def pad(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 0.8) * sr)
    body = sum(_saw(f * d, n, sr, rng.random()) for d in (0.99, 0.996, 1.0, 1.005, 1.011))
    body = lowpass(np.asarray(body), sr, min(1400.0, f * 4), order=2)
    return body * envelope(n, sr, 0.6, 0.3, 0.8, 0.8) * vel * 0.22


def bass(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 0.08) * sr)
    body = 0.6 * _saw(f, n, sr) + 0.8 * _sine(f, n, sr)
    body = lowpass(body, sr, 700.0, order=2)
    return body * envelope(n, sr, 0.006, 0.15, 0.7, 0.07) * vel * 0.8


def synth(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 0.12) * sr)
    t = _t(n, sr)
    width = 0.5 + 0.2 * np.sin(_TAU * 0.7 * t)  # slow pulse-width modulation
    cycles = np.cumsum(np.full(n, f)) / sr
    pulse = np.where(cycles % 1.0 < width, 1.0, -1.0)
    pulse = lowpass(pulse, sr, min(5000.0, f * 8), order=2)
    return pulse * envelope(n, sr, 0.01, 0.1, 0.7, 0.1) * vel * 0.3


def guitar(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    """Karplus-Strong: a noise burst circulating in a delay line one period long, averaged
    (low-passed) on each pass, computed one period-long block at a time."""
    n = round((seconds + 0.3) * sr)
    period = max(2, round(sr / f))
    y = np.zeros(n + period + 1)
    y[: period + 1] = lowpass(rng.uniform(-1, 1, period + 1), sr, 4000.0)
    loss = 0.996 ** (220.0 / max(f, 1.0))  # low strings ring longer
    start = period + 1
    while start < len(y):
        stop = min(len(y), start + period)
        y[start:stop] = (
            loss
            * 0.5
            * (y[start - period : stop - period] + y[start - period - 1 : stop - period - 1])
        )
        start = stop
    out = y[:n]
    damp = envelope(n, sr, 0.0, 0.0, 1.0, 0.3)
    return out * damp * vel * 0.9


def organ(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 0.05) * sr)
    t = _t(n, sr)
    body = sum(
        a * np.sin(_TAU * f * k * t)
        for k, a in ((0.5, 0.5), (1, 1.0), (2, 0.6), (3, 0.4), (4, 0.3))
        if f * k < sr / 2.2
    )
    return np.asarray(body) * envelope(n, sr, 0.01, 0.0, 1.0, 0.05) * vel * 0.3


def flute(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 0.1) * sr)
    t = _t(n, sr)
    vib = 1 + 0.006 * np.sin(_TAU * 5.0 * t) * np.minimum(1.0, t / 0.3)
    tone = (
        _sine(f * vib, n, sr) + 0.15 * _sine(2 * f * vib, n, sr) + 0.05 * _sine(3 * f * vib, n, sr)
    )
    breath = bandpass(rng.standard_normal(n), sr, f, min(f * 4, sr / 2.5)) * 0.08
    return (tone + breath) * envelope(n, sr, 0.06, 0.05, 0.85, 0.1) * vel * 0.5


def bells(f: float, seconds: float, vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round((seconds + 1.5) * sr)
    t = _t(n, sr)
    index = 2.5 * np.exp(-t / 0.4)
    tone = np.sin(_TAU * f * t + index * np.sin(_TAU * f * 3.5 * t))
    return tone * decay(n, sr, 0.8) * envelope(n, sr, 0.002, 0, 1, 0.01) * vel * 0.45


INSTRUMENTS: Final[dict[str, Voice]] = {
    "piano": piano,
    "strings": strings,
    "pad": pad,
    "bass": bass,
    "synth": synth,
    "guitar": guitar,
    "organ": organ,
    "flute": flute,
    "bells": bells,
}


def kick(vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round(0.4 * sr)
    t = _t(n, sr)
    freq = 45 + 90 * np.exp(-t / 0.03)
    return _sine(freq, n, sr) * decay(n, sr, 0.12) * vel


def snare(vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round(0.25 * sr)
    tone = _sine(185.0, n, sr) * decay(n, sr, 0.04) * 0.5
    rattle = bandpass(rng.standard_normal(n), sr, 1500, 8000) * decay(n, sr, 0.06)
    return (tone + rattle) * vel * 0.7


def hat(vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round(0.08 * sr)
    return highpass(rng.standard_normal(n), sr, 7000) * decay(n, sr, 0.015) * vel * 0.35


def open_hat(vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round(0.35 * sr)
    return highpass(rng.standard_normal(n), sr, 6500) * decay(n, sr, 0.12) * vel * 0.25


def ride(vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round(0.6 * sr)
    t = _t(n, sr)
    tone = sum(np.sin(_TAU * fk * t) for fk in (3100.0, 4430.0, 5790.0, 7130.0))
    hiss = highpass(rng.standard_normal(n), sr, 5000) * 0.5
    return (np.asarray(tone) * 0.15 + hiss) * decay(n, sr, 0.25) * vel * 0.2


def clap(vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round(0.2 * sr)
    out = np.zeros(n)
    for delay in (0.0, 0.011, 0.023):
        start = round(delay * sr)
        burst = rng.standard_normal(n - start) * decay(
            n - start, sr, 0.02 if delay < 0.02 else 0.06
        )
        out[start:] += burst
    return bandpass(out, sr, 900, 5000) * vel * 0.5


def tom(vel: float, sr: int, rng: np.random.Generator) -> FloatArray:
    n = round(0.5 * sr)
    t = _t(n, sr)
    return _sine(90 + 40 * np.exp(-t / 0.05), n, sr) * decay(n, sr, 0.2) * vel * 0.8


DRUMS: Final[dict[str, Callable[[float, int, np.random.Generator], FloatArray]]] = {
    "kick": kick,
    "snare": snare,
    "hat": hat,
    "open_hat": open_hat,
    "ride": ride,
    "clap": clap,
    "tom": tom,
}
