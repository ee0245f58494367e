"""The test's own measures of a voice, independent of the engine's analysis code: median F0
from Praat's pitch tracker, and the mean log-spectral distance between two voices' average
CheapTrick envelopes over voiced frames (level-normalised, 100 Hz..7 kHz)."""

from __future__ import annotations

import numpy as np
import parselmouth
import pyworld

from seesay.engines.base import Audio
from seesay.media.audio_encode import resample

RATE = 16_000


def _mono16k(audio: Audio) -> np.ndarray:
    x = resample(audio.samples, audio.sample_rate, RATE).astype(np.float64)
    return x / (np.max(np.abs(x)) + 1e-12)


def median_f0(audio: Audio) -> float:
    pitch = parselmouth.Sound(_mono16k(audio), RATE).to_pitch(pitch_floor=60, pitch_ceiling=600)
    f0 = pitch.selected_array["frequency"]
    return float(np.median(f0[f0 > 0]))


def average_envelope_db(audio: Audio) -> np.ndarray:
    x = _mono16k(audio)
    f0, t = pyworld.dio(x, RATE, f0_floor=60, f0_ceil=600, frame_period=5)
    f0 = pyworld.stonemask(x, f0, t, RATE)
    sp = pyworld.cheaptrick(x, f0, t, RATE)
    freqs = np.linspace(0, RATE / 2, sp.shape[1])
    band = (freqs >= 100) & (freqs <= 7000)
    mean_db = np.mean(10 * np.log10(sp[f0 > 0][:, band] + 1e-16), axis=0)
    return mean_db - mean_db.mean()


def envelope_distance(a: Audio, b: Audio) -> float:
    """Root-mean-square difference in dB of the two average envelopes."""
    return float(np.sqrt(np.mean((average_envelope_db(a) - average_envelope_db(b)) ** 2)))
