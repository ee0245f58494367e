"""The offline default cloner: signal-processing voice conversion of a bundled voice.

No neural cloning weights ship with SeeSay, so a clone is made the way voice conversion was
done before neural models: ``analyse`` measures the sample (``analysis.measure_voice``: pitch
statistics, formants, long-term spectral envelope, speaking rate) and picks the base voice
whose median pitch is nearest among the configured bundled speech voices (each measured once
on a calibration sentence). ``synthesize`` has that base voice speak the text at the
sample's speaking rate, then converts the result toward the sample (``convert.convert``: log-F0
mapping, formant-ratio frequency warping, long-term envelope equalisation, WORLD re-synthesis).

What it is, said plainly in ``EngineInfo.description`` and in every profile's ``method``:
signal-processing voice conversion, not neural cloning. The output moves toward the sample's
pitch, vocal-tract length and timbre; it keeps the base voice's accent and articulation.

The speech engines come from a constructor-injected getter (``tts(name) -> TtsEngine``, the
registry's ``tts``), so this engine never reaches for a global registry.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import numpy as np

from seesay.engines.base import (
    Audio,
    EngineInfo,
    F0Stats,
    Task,
    VoiceProfile,
)
from seesay.engines.clone.analysis import (
    BAND_CENTRES_HZ,
    VoiceMeasures,
    measure_voice,
    require,
)
from seesay.engines.clone.convert import ConversionTarget, convert
from seesay.engines.clone.settings import BaseVoiceSetting, ConversionCloneSettings
from seesay.engines.clone.types import SAMPLE_FORMATS, TtsGetter, check_text, foreign_voice
from seesay.errors import (
    EngineUnavailable,
    SeeSayError,
    UnknownVoice,
    UnsupportedLanguage,
)

__all__ = ["ENGINE_NAME", "METHOD", "ConversionCloneEngine", "TtsGetter"]

ENGINE_NAME: Final = "voice-conversion"
METHOD: Final = (
    "signal-processing voice conversion, not neural cloning: a bundled voice speaks, then its "
    "pitch, formants and spectral envelope are moved toward the sample with the WORLD vocoder"
)
# A sentence per language the bundled voices speak, to measure each base voice once.
CALIBRATION: Final = (
    ("en-US", "The quick brown fox jumps over the lazy dog while the sun sets behind the barn."),
    ("ja", "今日はとても良い天気なので、公園を散歩しながら写真を撮りました。"),
    ("es", "El rápido zorro marrón salta sobre el perro perezoso mientras se pone el sol."),
)
MIN_RATE_FACTOR: Final = 0.75
MAX_RATE_FACTOR: Final = 1.33


@dataclass(frozen=True, slots=True)
class _Base:
    key: str  # "engine/voice"
    setting: BaseVoiceSetting
    measures: VoiceMeasures


def _target(m: VoiceMeasures | VoiceProfile) -> ConversionTarget:
    assert m.f0 is not None
    return ConversionTarget(m.f0, tuple(m.formants_hz), tuple(m.envelope_db))


class ConversionCloneEngine:
    """See the module docstring. Thread-safe: base-voice calibration is done once under a
    lock; analysis and conversion keep no shared state."""

    def __init__(
        self, settings: ConversionCloneSettings, tts: TtsGetter, *, cache_dir: Path | None = None
    ) -> None:
        self._s = settings
        self._tts = tts
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._bases: list[_Base] | None = None
        self._info = EngineInfo(
            name=ENGINE_NAME,
            task=Task.CLONE,
            model="WORLD vocoder + Praat analysis over the bundled voices",
            licence="Apache-2.0 (SeeSay); WORLD: modified BSD; Praat/parselmouth: GPL-3.0",
            local=True,
            formats=SAMPLE_FORMATS,
            description=(
                "Signal-processing voice conversion, not neural cloning: the nearest bundled "
                "voice speaks, then pitch (log-F0 mapping), vocal-tract length (formant "
                "warping), timbre (spectral-envelope equalisation) and speaking rate are "
                "moved toward the sample"
            ),
            extra={
                "method": METHOD,
                "base_voices": [f"{b.engine}/{b.voice}" for b in settings.base_voices],
            },
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    def load(self) -> None:
        require("pyworld")
        require("parselmouth")

    def unload(self) -> None:
        with self._lock:
            self._bases = None

    # -- base voices ---------------------------------------------------------------------
    def _measure_base(self, setting: BaseVoiceSetting) -> _Base | None:
        """Measure one base voice on a calibration sentence; None when it is not available.

        Measuring means synthesizing and analysing a sentence (seconds per voice, tens of
        seconds for the slower voices), so results are kept in ``cache_dir`` keyed by the
        voice, the engine's model and the calibration text: paid once per machine."""
        with ExitStack() as held:
            try:
                engine = held.enter_context(self._tts(setting.engine))
            except EngineUnavailable:
                return None
            cache = self._cache_file(setting, engine.info.model)
            cached = _read_measures(cache) if cache is not None else None
            if cached is not None:
                return _Base(f"{setting.engine}/{setting.voice}", setting, cached)
            for language, text in CALIBRATION:
                try:
                    audio = engine.synthesize(text, setting.voice, language, 1.0)
                except UnsupportedLanguage:
                    continue
                except UnknownVoice:
                    return None
                measures = measure_voice(audio)
                if cache is not None:
                    _write_measures(cache, measures)
                return _Base(f"{setting.engine}/{setting.voice}", setting, measures)
        return None

    def _cache_file(self, setting: BaseVoiceSetting, model: str) -> Path | None:
        if self._cache_dir is None:
            return None
        key = json.dumps([setting.engine, setting.voice, model, CALIBRATION, METHOD])
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return self._cache_dir / f"base-{digest}.json"

    def bases(self) -> list[_Base]:
        """The available base voices with their measures (measured on first use)."""
        with self._lock:
            if self._bases is None:
                found = [self._measure_base(s) for s in self._s.base_voices]
                self._bases = [b for b in found if b is not None]
            bases = self._bases
        if not bases:
            raise EngineUnavailable(
                "voice conversion needs at least one of its base voices "
                f"({', '.join(self.info.extra['base_voices'])}); none is configured"
            )
        return bases

    @staticmethod
    def _by_pitch(bases: list[_Base], median_hz: float) -> list[_Base]:
        return sorted(bases, key=lambda b: abs(np.log(b.measures.f0.median_hz / median_hz)))

    # -- the protocol --------------------------------------------------------------------
    def analyse(self, sample: Audio) -> VoiceProfile:
        cut = Audio(
            sample.samples[: round(self._s.max_sample_seconds * sample.sample_rate)],
            sample.sample_rate,
        )
        m = measure_voice(cut)
        base = self._by_pitch(self.bases(), m.f0.median_hz)[0]
        return VoiceProfile(
            engine=ENGINE_NAME,
            method=METHOD,
            base_voice=base.key,
            sample_seconds=round(sample.duration, 3),
            f0=m.f0,
            formants_hz=m.formants_hz,
            envelope_db=m.envelope_db,
            envelope_bands_hz=BAND_CENTRES_HZ,
            speaking_rate=m.speaking_rate,
            gender=m.gender,
            data={"base_median_f0_hz": base.measures.f0.median_hz},
        )

    def synthesize(self, text: str, profile: VoiceProfile, language: str, speed: float) -> Audio:
        if profile.engine != ENGINE_NAME or profile.f0 is None or not profile.envelope_db:
            raise foreign_voice(profile, ENGINE_NAME)
        check_text(text, self._s.max_text_chars)
        bases = self._by_pitch(self.bases(), profile.f0.median_hz)
        bases.sort(key=lambda b: b.key != profile.base_voice)  # the chosen one first
        refusals: list[SeeSayError] = []
        for base in bases:
            rate = 1.0
            if profile.speaking_rate and base.measures.speaking_rate:
                rate = profile.speaking_rate / base.measures.speaking_rate
            rate = float(np.clip(rate, MIN_RATE_FACTOR, MAX_RATE_FACTOR))
            try:
                with self._tts(base.setting.engine) as engine:
                    spoken = engine.synthesize(
                        text, base.setting.voice, language, float(np.clip(speed * rate, 0.5, 2.0))
                    )
            except UnsupportedLanguage as exc:
                refusals.append(exc)  # another base voice may speak it
                continue
            return convert(spoken, _target(base.measures), _target(profile))
        supported = sorted({tag for r in refusals for tag in r.details.get("supported", [])})
        raise UnsupportedLanguage(
            f"none of the base voices of {ENGINE_NAME} speaks {language!r}",
            param="language",
            details={"supported": supported},
        )


def _read_measures(path: Path) -> VoiceMeasures | None:
    try:
        data = json.loads(path.read_text())
        return VoiceMeasures(
            f0=F0Stats(**{k: float(v) for k, v in data["f0"].items()}),
            formants_hz=tuple(float(x) for x in data["formants_hz"]),
            envelope_db=tuple(float(x) for x in data["envelope_db"]),
            speaking_rate=float(data["speaking_rate"]),
            seconds=float(data["seconds"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: measure again


def _write_measures(path: Path, measures: VoiceMeasures) -> None:
    """Atomic write (temp file + rename) so a concurrent reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(measures)))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs a re-measure next time
