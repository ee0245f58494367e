"""Signal-processing voice conversion with the WORLD vocoder: base voice -> target voice.

``convert(audio, base, target)`` re-synthesises ``audio`` (speech by a base voice whose
long-term measures are ``base``) so that it moves toward the voice described by ``target``:

1. WORLD analysis of the utterance (F0, spectral envelope, aperiodicity);
2. pitch: ln F0 of voiced frames is shifted and scaled so that its centre and spread equal the
   target's (the classic log-F0 mean/variance transfer), keeping the intonation's shape;
3. vocal tract: the envelope's frequency axis is stretched by the ratio of the target's
   formants F1..F3 to the base's (a longer vocal tract has lower resonances), bounded to
   0.8..1.25 so vowels stay vowels;
4. timbre: what still differs between the target's long-term envelope and the warped one
   (level-normalised, in mel bands, bounded to +/-12 dB) is applied as a smooth equaliser;
5. WORLD synthesis, at the base audio's level.

Speaking rate is not touched here: the engine asks the base voice to speak at the target's
rate. This is signal processing, not neural cloning: it moves pitch, resonances and timbre,
not accent, articulation or voice quality.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from seesay.engines.base import Audio, F0Stats
from seesay.engines.clone.analysis import (
    BAND_CENTRES_HZ,
    FRAME_PERIOD_MS,
    FloatArray,
    WorldFrames,
    band_envelope,
    f0_stats,
    require,
    world_analyse,
)

__all__ = ["ConversionTarget", "convert", "formant_ratio"]

MAX_WARP: Final = 1.25
MAX_EQ_DB: Final = 12.0
EQ_STRENGTH: Final = 1.0
_EQ_TOP_HZ: Final = 8000.0  # above the measured bands the correction fades out by this


@dataclass(frozen=True, slots=True)
class ConversionTarget:
    """The measures of a voice that ``convert`` moves toward (or away from, for the base)."""

    f0: F0Stats
    formants_hz: tuple[float, ...]
    envelope_db: tuple[float, ...]


def formant_ratio(base: tuple[float, ...], target: tuple[float, ...]) -> float:
    """Median ratio target/base over F1..F3, bounded to ``1/MAX_WARP .. MAX_WARP``."""
    ratios = [t / b for b, t in zip(base[:3], target[:3], strict=False) if b > 0 and t > 0]
    if not ratios:
        return 1.0
    return float(np.clip(np.median(ratios), 1.0 / MAX_WARP, MAX_WARP))


def _map_f0(f0: FloatArray, target: F0Stats) -> FloatArray:
    voiced = f0 > 0
    if np.sum(voiced) < 3:
        return f0
    source = f0_stats(f0)
    scale = float(np.clip(target.std_log / max(source.std_log, 1e-3), 0.5, 2.0))
    out = f0.copy()
    out[voiced] = np.exp(target.mean_log + (np.log(f0[voiced]) - source.mean_log) * scale)
    return out


def _warp(sp: FloatArray, alpha: float) -> FloatArray:
    """Envelope with its frequency axis stretched by ``alpha``: new(f) = old(f / alpha)."""
    bins = sp.shape[1]
    position = np.clip(np.arange(bins) / alpha, 0, bins - 1)
    lo = np.floor(position).astype(int)
    hi = np.minimum(lo + 1, bins - 1)
    w = position - lo
    log_sp = np.log(sp + 1e-16)
    return np.asarray(np.exp(log_sp[:, lo] * (1 - w) + log_sp[:, hi] * w))


def _equaliser(frames: WorldFrames, target_db: tuple[float, ...]) -> FloatArray:
    """Per-bin gain (power ratio) that brings the frames' long-term envelope toward target."""
    current = band_envelope(frames)
    want = np.asarray(target_db, dtype=np.float64)
    diff = (want - want.mean()) - (current - current.mean())
    diff = np.convolve(np.pad(diff, 1, mode="edge"), np.ones(3) / 3, mode="valid")  # smooth
    diff = np.clip(diff, -MAX_EQ_DB, MAX_EQ_DB) * EQ_STRENGTH
    centres = np.asarray(BAND_CENTRES_HZ)
    hz = frames.bin_hz
    gain_db = np.interp(hz, centres, diff)
    top = centres[-1]
    fade = np.clip((_EQ_TOP_HZ - hz) / (_EQ_TOP_HZ - top), 0.0, 1.0)
    return np.asarray(10.0 ** (gain_db * fade / 10.0))


def convert(audio: Audio, base: ConversionTarget, target: ConversionTarget) -> Audio:
    """``audio`` spoken by the base voice, converted toward ``target``; same rate and length
    (to the frame)."""
    pw = require("pyworld")
    x = np.asarray(audio.samples, dtype=np.float64)
    frames = world_analyse(x, audio.sample_rate)
    f0 = _map_f0(frames.f0, target.f0)
    sp = _warp(frames.sp, formant_ratio(base.formants_hz, target.formants_hz))
    warped = WorldFrames(frames.f0, sp, frames.ap, frames.sample_rate)
    sp = sp * _equaliser(warped, target.envelope_db)[None, :]
    y = pw.synthesize(
        f0,
        np.ascontiguousarray(sp),
        np.ascontiguousarray(frames.ap),
        audio.sample_rate,
        FRAME_PERIOD_MS,
    )
    y = np.asarray(y[: len(x)], dtype=np.float64)
    level_in = float(np.sqrt(np.mean(x**2))) if len(x) else 0.0
    level_out = float(np.sqrt(np.mean(y**2))) if len(y) else 0.0
    if level_out > 0:
        y *= level_in / level_out
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    if peak > 0.95:
        y *= 0.95 / peak
    return Audio(y.astype(np.float32), audio.sample_rate)
