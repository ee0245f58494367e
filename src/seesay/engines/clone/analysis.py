"""Measuring a voice: pitch, vocal-tract resonances, spectral envelope and speaking rate.

``measure_voice(audio)`` returns ``VoiceMeasures``:

* F0 by Praat's autocorrelation tracker (``f0_contour``), summarised over voiced frames as
  percentiles in Hz, the inter-quartile range in semitones, and mean/std of ln F0;
* formants F1..F4 by Praat's Burg method (parselmouth), medians over voiced frames, with the
  usual ceiling of 5 kHz for low voices and 5.5 kHz for high ones;
* the long-term spectral envelope: WORLD CheapTrick envelopes of voiced frames averaged in
  dB over ``BANDS`` mel-spaced bands from 80 Hz to 7.6 kHz (what makes two voices' timbre
  differ, once the words are averaged out);
* speaking rate: syllable nuclei per second of speech, nuclei being intensity peaks that are
  voiced and stand out from the dips around them (after de Jong and Wempe's method).

pyworld and parselmouth are imported on first use (the ``clone`` extra installs them).
Analysis runs at 16 kHz: everything measured here lies below 8 kHz.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from seesay.engines.base import Audio, F0Stats, Gender
from seesay.errors import EngineUnavailable, InvalidAudio

__all__ = [
    "ANALYSIS_RATE",
    "BAND_CENTRES_HZ",
    "FRAME_PERIOD_MS",
    "INSTALL_HINT",
    "MIN_VOICED_SECONDS",
    "VoiceMeasures",
    "WorldFrames",
    "band_envelope",
    "f0_contour",
    "f0_stats",
    "gender_of",
    "measure_voice",
    "require",
    "world_analyse",
]

INSTALL_HINT: Final = "pip install 'seesay[clone]'"
ANALYSIS_RATE: Final = 16_000
FRAME_PERIOD_MS: Final = 5.0
MIN_VOICED_SECONDS: Final = 0.8
MAX_ANALYSED_SECONDS: Final = 90.0
BANDS: Final = 24
F0_FLOOR: Final = 60.0
F0_CEIL: Final = 600.0

FloatArray = npt.NDArray[np.float64]


def _mel(f: FloatArray | float) -> Any:
    return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)


def _hz(m: FloatArray) -> FloatArray:
    return np.asarray(700.0 * (10.0 ** (m / 2595.0) - 1.0))


BAND_CENTRES_HZ: Final[tuple[float, ...]] = tuple(
    round(float(f), 1) for f in _hz(np.linspace(_mel(80.0), _mel(7600.0), BANDS))
)


def require(module: str) -> ModuleType:
    """Import ``module`` or raise ``EngineUnavailable`` naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EngineUnavailable(
            f"voice cloning needs the Python package {module!r}: {INSTALL_HINT}"
        ) from exc


@dataclass(frozen=True, slots=True)
class WorldFrames:
    """WORLD's view of a recording: F0 per frame (0 = unvoiced), the power spectral envelope
    and aperiodicity per frame (``fft_size // 2 + 1`` bins), at ``sample_rate``."""

    f0: FloatArray
    sp: FloatArray
    ap: FloatArray
    sample_rate: int

    @property
    def bin_hz(self) -> FloatArray:
        return np.linspace(0.0, self.sample_rate / 2.0, self.sp.shape[1])


def f0_contour(samples: npt.NDArray[Any], rate: int) -> FloatArray:
    """F0 every ``FRAME_PERIOD_MS`` from t = 0 (WORLD's frame grid), 0 where unvoiced.

    Praat's autocorrelation pitch tracker (parselmouth) is used rather than WORLD's DIO or
    Harvest: on the bundled synthetic voices DIO halved or doubled the pitch of whole
    stretches, and Harvest is ten times slower, while Praat's path finder keeps octaves right.
    """
    parselmouth = require("parselmouth")
    x = np.ascontiguousarray(samples, dtype=np.float64)
    step = FRAME_PERIOD_MS / 1000.0
    pitch = parselmouth.Sound(x, sampling_frequency=rate).to_pitch_ac(
        time_step=step, pitch_floor=F0_FLOOR, pitch_ceiling=F0_CEIL
    )
    freq = np.nan_to_num(np.asarray(pitch.selected_array["frequency"], dtype=np.float64))
    frames = int(len(x) / rate / step) + 1
    if len(freq) == 0:
        return np.zeros(frames)
    times = np.arange(frames) * step
    index = np.clip(np.round((times - pitch.x1) / pitch.dx).astype(int), 0, len(freq) - 1)
    inside = (times >= pitch.xmin) & (times <= pitch.xmax)
    return np.where(inside, freq[index], 0.0)


def world_analyse(samples: npt.NDArray[Any], rate: int) -> WorldFrames:
    """WORLD analysis of mono float samples: F0 (``f0_contour``), CheapTrick envelope, D4C
    aperiodicity."""
    pw = require("pyworld")
    x = np.ascontiguousarray(samples, dtype=np.float64)
    f0 = f0_contour(x, rate)
    t = np.arange(len(f0)) * (FRAME_PERIOD_MS / 1000.0)
    sp = pw.cheaptrick(x, f0, t, rate)
    ap = pw.d4c(x, f0, t, rate)
    return WorldFrames(f0, np.asarray(sp), np.asarray(ap), rate)


def band_envelope(frames: WorldFrames) -> FloatArray:
    """Mean log envelope (dB) of the voiced frames in the ``BAND_CENTRES_HZ`` bands."""
    voiced = frames.sp[frames.f0 > 0]
    if len(voiced) == 0:
        return np.zeros(BANDS)
    mean_db = np.mean(10.0 * np.log10(voiced + 1e-16), axis=0)
    return np.asarray(np.interp(np.asarray(BAND_CENTRES_HZ), frames.bin_hz, mean_db))


def f0_stats(f0: FloatArray) -> F0Stats:
    voiced = f0[f0 > 0]
    p25, median, p75 = (float(v) for v in np.percentile(voiced, [25, 50, 75]))
    # Robust centre and spread of ln F0 (median; IQR / 1.349, the standard deviation of a
    # normal distribution with that IQR): a few octave slips or creaky frames would
    # otherwise double the spread a conversion transfers.
    return F0Stats(
        median_hz=round(median, 2),
        p25_hz=round(p25, 2),
        p75_hz=round(p75, 2),
        iqr_semitones=round(12.0 * float(np.log2(p75 / p25)), 3),
        mean_log=float(np.log(median)),
        std_log=float(np.log(p75 / p25) / 1.349),
        voiced_fraction=round(float(len(voiced) / max(1, len(f0))), 3),
    )


def _formants(samples: FloatArray, rate: int, median_f0: float) -> tuple[float, ...]:
    parselmouth = require("parselmouth")
    sound = parselmouth.Sound(samples, sampling_frequency=rate)
    ceiling = 5500.0 if median_f0 > 160 else 5000.0
    formant = sound.to_formant_burg(
        time_step=0.01, max_number_of_formants=5, maximum_formant=ceiling
    )
    pitch = sound.to_pitch(time_step=0.01, pitch_floor=F0_FLOOR, pitch_ceiling=F0_CEIL)
    times = [t for t in formant.ts() if pitch.get_value_at_time(t) == pitch.get_value_at_time(t)]
    out = []
    for i in range(1, 5):
        values = [formant.get_value_at_time(i, t) for t in times]
        finite = [v for v in values if v == v and v > 0]  # NaN where Praat found none
        out.append(round(float(np.median(finite)), 1) if finite else 0.0)
    return tuple(out)


def _speaking_rate(samples: FloatArray, rate: int, f0: FloatArray) -> float:
    """Syllable nuclei per second of speech (pauses excluded)."""
    hop = round(rate * FRAME_PERIOD_MS / 1000.0)
    win = hop * 5
    if len(samples) < win * 2:
        return 0.0
    frames = np.lib.stride_tricks.sliding_window_view(samples, win)[::hop]
    db = 10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    kernel = np.hanning(9) / np.hanning(9).sum()  # ~40 ms smoothing: one hump per syllable
    db = np.convolve(db, kernel, mode="same")
    speech = db > np.max(db) - 35.0
    threshold = np.median(db[speech]) - 2.0 if speech.any() else np.inf
    voiced = np.zeros(len(db), dtype=bool)
    voiced[: min(len(db), len(f0))] = f0[: len(db)] > 0
    peaks = 0
    last_dip = np.inf
    for i in range(1, len(db) - 1):
        last_dip = min(last_dip, db[i])
        is_peak = db[i] >= db[i - 1] and db[i] > db[i + 1] and db[i] > threshold and voiced[i]
        if is_peak and (db[i] - last_dip >= 2.0 or peaks == 0):
            peaks += 1
            last_dip = db[i]
    speech_seconds = float(np.sum(speech)) * FRAME_PERIOD_MS / 1000.0
    return round(peaks / speech_seconds, 3) if speech_seconds > 0 else 0.0


def gender_of(median_f0: float) -> Gender:
    """How a voice of this median pitch is usually heard (the ranges overlap near 165 Hz)."""
    if median_f0 < 155.0:
        return "male"
    if median_f0 > 175.0:
        return "female"
    return "neutral"


@dataclass(frozen=True, slots=True)
class VoiceMeasures:
    f0: F0Stats
    formants_hz: tuple[float, ...]
    envelope_db: tuple[float, ...]
    speaking_rate: float
    seconds: float

    @property
    def gender(self) -> Gender:
        return gender_of(self.f0.median_hz)


def measure_voice(audio: Audio) -> VoiceMeasures:
    """Measure a voice; ``InvalidAudio`` when it holds under ``MIN_VOICED_SECONDS`` of voiced
    speech (silence, noise, music without a voice)."""
    from seesay.media.audio_encode import resample

    resampled = resample(np.asarray(audio.samples, np.float32), audio.sample_rate, ANALYSIS_RATE)
    x: FloatArray = resampled[: round(MAX_ANALYSED_SECONDS * ANALYSIS_RATE)].astype(np.float64)
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak < 1e-4:
        raise InvalidAudio("the voice sample is silent", param="voice")
    x /= peak
    frames = world_analyse(x, ANALYSIS_RATE)
    voiced_seconds = float(np.sum(frames.f0 > 0)) * FRAME_PERIOD_MS / 1000.0
    if voiced_seconds < MIN_VOICED_SECONDS:
        raise InvalidAudio(
            f"the voice sample has {voiced_seconds:.1f} s of voiced speech; "
            f"at least {MIN_VOICED_SECONDS:g} s is needed",
            param="voice",
        )
    f0 = f0_stats(frames.f0)
    return VoiceMeasures(
        f0=f0,
        formants_hz=_formants(x, ANALYSIS_RATE, f0.median_hz),
        envelope_db=tuple(round(float(v), 2) for v in band_envelope(frames)),
        speaking_rate=_speaking_rate(x, ANALYSIS_RATE, frames.f0),
        seconds=round(len(audio.samples) / audio.sample_rate, 3),
    )
