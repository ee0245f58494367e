"""What the sound and music tests measure: loudness, duration, spectral centroid, and a
distance between two sounds' average spectra (log power in 1/3-octave bands)."""

from __future__ import annotations

import itertools

import numpy as np

from seesay.engines.base import Audio

RMS_FLOOR = 0.005  # about -46 dBFS: anything above is plainly audible


def rms(audio: Audio) -> float:
    return float(np.sqrt(np.mean(np.square(audio.samples, dtype=np.float64))))


def band_spectrum(audio: Audio) -> np.ndarray:
    """Average power per 1/3-octave band from 40 Hz to 16 kHz, in dB."""
    x = audio.samples.astype(np.float64)
    n = 4096
    frames = np.lib.stride_tricks.sliding_window_view(x, n)[:: n // 2] * np.hanning(n)
    power = np.mean(np.abs(np.fft.rfft(frames, axis=1)) ** 2, axis=0)
    freqs = np.fft.rfftfreq(n, 1.0 / audio.sample_rate)
    edges = 40.0 * 2.0 ** (np.arange(0, 26) / 3.0)
    bands = [power[(freqs >= lo) & (freqs < hi)].sum() for lo, hi in itertools.pairwise(edges)]
    return 10 * np.log10(np.asarray(bands) + 1e-12)


def spectral_distance(a: Audio, b: Audio) -> float:
    """RMS difference in dB of the two band spectra, each normalised to its own level."""
    sa, sb = band_spectrum(a), band_spectrum(b)
    sa -= sa.max()
    sb -= sb.max()
    return float(np.sqrt(np.mean((np.maximum(sa, -60) - np.maximum(sb, -60)) ** 2)))


def centroid(audio: Audio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(audio.samples), 1.0 / audio.sample_rate)
    return float((spectrum * freqs).sum() / (spectrum.sum() + 1e-12))
