"""What every engine is: one Protocol per task, an ``EngineInfo`` record, and the value types.

An engine object is cheap to construct (no heavy imports, no model reads); ``load()`` does the
expensive part once and is called by the registry under a lock; ``unload()`` frees memory.
Every method other than ``load``/``unload`` may be called from several threads at once after
``load()`` returned, so an engine either is thread-safe or serialises internally.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from seesay.media.audio import Audio
from seesay.models.settings import ModelsSettings
from seesay.models.store import ModelStore

__all__ = [
    "Audio",
    "CloneEngine",
    "Description",
    "Detail",
    "Engine",
    "EngineContext",
    "EngineInfo",
    "F0Stats",
    "MusicEngine",
    "MusicResult",
    "Segment",
    "SoundEngine",
    "SoundResult",
    "SttEngine",
    "Task",
    "Transcript",
    "TranslateEngine",
    "Translation",
    "TtsEngine",
    "VisionEngine",
    "VoiceInfo",
    "VoiceProfile",
    "Word",
]


class Task(StrEnum):
    VISION = "vision"
    TTS = "tts"
    STT = "stt"
    TRANSLATE = "translate"
    CLONE = "clone"
    SOUND = "sound"
    MUSIC = "music"


Detail = Literal["brief", "standard", "detailed"]
Gender = Literal["female", "male", "neutral"]


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    """One voice an engine can speak with. ``language`` is a BCP-47 tag."""

    id: str
    name: str
    language: str
    gender: Gender
    engine: str
    sample_rate: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What an engine can do, as listed by ``/v1/models`` and ``/v1/voices``.

    ``languages`` are BCP-47 tags (empty tuple: any language the engine is asked for, as with
    a remote multilingual model). ``formats`` are input formats for STT/vision, output formats
    for TTS. ``local`` is False for engines that call a remote service.
    """

    name: str
    task: Task
    model: str
    licence: str
    local: bool
    languages: tuple[str, ...] = ()
    voices: tuple[VoiceInfo, ...] = ()
    formats: tuple[str, ...] = ()
    description: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EngineContext:
    """What the registry hands every engine: where to cache joined weights, thread budget."""

    cache_dir: Path
    threads: int = 2
    # The folder of `seesay models` (pulled models in its pulled/); None: none are used.
    models_dir: Path | None = None
    # `seesay models`' settings (auto_pull, the chosen vision model...); None: the defaults.
    models: ModelsSettings | None = None
    # The store of models_dir, made here when not given: one for every engine of a registry,
    # so they share its survey of the pulled models instead of each reading the manifests.
    model_store: ModelStore | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.model_store is None and self.models_dir is not None:
            object.__setattr__(self, "model_store", ModelStore(self.models_dir))


@dataclass(frozen=True, slots=True)
class Description:
    """A vision engine's answer. ``findings`` is the structured evidence (labels with scores,
    text read, faces, safety verdict) for the native API; remote engines may leave it empty."""

    text: str
    language: str
    engine: str
    model: str
    findings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Word:
    word: str
    start: float
    end: float
    probability: float | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    id: int
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    language: str
    duration: float
    segments: tuple[Segment, ...] = ()
    language_probability: float | None = None


@dataclass(frozen=True, slots=True)
class Translation:
    text: str
    source: str
    target: str
    engine: str


@dataclass(frozen=True, slots=True)
class F0Stats:
    """Fundamental-frequency statistics of the voiced frames of a recording.

    ``median_hz``/``p25_hz``/``p75_hz`` are percentiles in Hz; ``iqr_semitones`` is the
    spread between the quartiles in semitones; ``mean_log``/``std_log`` are the mean and
    standard deviation of ln(F0) (what a log-F0 mapping transfers); ``voiced_fraction`` is
    the share of frames with a pitch.
    """

    median_hz: float
    p25_hz: float
    p75_hz: float
    iqr_semitones: float
    mean_log: float
    std_log: float
    voiced_fraction: float


@dataclass(frozen=True, slots=True)
class VoiceProfile:
    """What a cloning engine learned from a voice sample; JSON-serialisable (``to_json`` /
    ``from_json``) so a clone can be stored and later handed back to the same engine.

    ``engine`` is the clone engine that made it (and must speak with it); ``method`` says in
    plain words what kind of cloning this is; ``base_voice`` is what speaks before conversion
    (a bundled ``tts_engine/voice``, a remote voice id, or the neural model's name).
    ``f0``, ``formants_hz`` (median F1..F4), ``envelope_db`` (the mean spectral envelope of
    voiced frames in mel bands, dB) and ``speaking_rate`` (syllables per second of speech)
    describe the sample; an engine that measures nothing leaves them empty. ``data`` holds
    engine-specific state (a remote voice id, a speaker embedding), JSON values only.
    """

    engine: str
    method: str
    base_voice: str
    sample_seconds: float
    f0: F0Stats | None = None
    formants_hz: tuple[float, ...] = ()
    envelope_db: tuple[float, ...] = ()
    envelope_bands_hz: tuple[float, ...] = ()
    speaking_rate: float | None = None
    gender: Gender | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "method": self.method,
            "base_voice": self.base_voice,
            "sample_seconds": self.sample_seconds,
            "f0": None if self.f0 is None else asdict(self.f0),
            "formants_hz": list(self.formants_hz),
            "envelope_db": list(self.envelope_db),
            "envelope_bands_hz": list(self.envelope_bands_hz),
            "speaking_rate": self.speaking_rate,
            "gender": self.gender,
            "data": dict(self.data),
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> VoiceProfile:
        """The profile ``to_json`` wrote; raises ``ValueError`` on a malformed one."""
        try:
            f0 = value.get("f0")
            return cls(
                engine=str(value["engine"]),
                method=str(value["method"]),
                base_voice=str(value["base_voice"]),
                sample_seconds=float(value["sample_seconds"]),
                f0=None if f0 is None else F0Stats(**{k: float(v) for k, v in f0.items()}),
                formants_hz=tuple(float(x) for x in value.get("formants_hz", ())),
                envelope_db=tuple(float(x) for x in value.get("envelope_db", ())),
                envelope_bands_hz=tuple(float(x) for x in value.get("envelope_bands_hz", ())),
                speaking_rate=None
                if value.get("speaking_rate") is None
                else float(value["speaking_rate"]),
                gender=value.get("gender"),
                data=dict(value.get("data") or {}),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a voice profile: {exc}") from exc


@dataclass(frozen=True, slots=True)
class SoundResult:
    """Generated sound effects. ``understood`` lists the prompt's words the engine acted on
    (a model conditioned on the whole text lists them all); ``ignored`` those it did not."""

    audio: Audio
    understood: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MusicResult:
    """Generated music and the plan it followed (tempo, key, mode, mood, genre,
    instruments... for an algorithmic composer; the model and its settings for a model)."""

    audio: Audio
    plan: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class Engine(Protocol):
    @property
    def info(self) -> EngineInfo: ...

    def load(self) -> None: ...

    def unload(self) -> None: ...


@runtime_checkable
class VisionEngine(Engine, Protocol):
    def describe(
        self,
        image: Any,  # a decoded PIL.Image.Image, EXIF orientation already applied
        detail: Detail,
        prompt: str | None,
        language: str,
    ) -> Description: ...


@runtime_checkable
class TtsEngine(Engine, Protocol):
    def synthesize(self, text: str, voice: str, language: str, speed: float) -> Audio: ...

    def stream(self, text: str, voice: str, language: str, speed: float) -> Iterator[Audio]:
        """Yield audio sentence by sentence; the concatenation equals ``synthesize``."""
        ...


@runtime_checkable
class SttEngine(Engine, Protocol):
    def transcribe(
        self,
        audio: Audio,
        language: str | None,
        *,
        translate: bool = False,
        word_timestamps: bool = False,
        prompt: str | None = None,
    ) -> Transcript: ...


@runtime_checkable
class TranslateEngine(Engine, Protocol):
    def pairs(self) -> frozenset[tuple[str, str]]:
        """(source, target) BCP-47 pairs served; empty means any pair (a remote LLM)."""
        ...

    def translate(self, text: str, source: str, target: str) -> Translation: ...


@runtime_checkable
class CloneEngine(Engine, Protocol):
    def analyse(self, sample: Audio) -> VoiceProfile:
        """Learn a voice from a recording of it; raises ``InvalidAudio`` when the sample has
        too little voiced speech to learn from."""
        ...

    def synthesize(self, text: str, profile: VoiceProfile, language: str, speed: float) -> Audio:
        """Speak ``text`` with the cloned voice; ``profile`` must come from this engine."""
        ...


@runtime_checkable
class SoundEngine(Engine, Protocol):
    def generate(self, prompt: str, duration_seconds: float, seed: int | None) -> SoundResult:
        """Sound effects described by ``prompt``, exactly ``duration_seconds`` long; the same
        ``seed`` gives the same audio where the engine can promise it (offline ones do)."""
        ...


@runtime_checkable
class MusicEngine(Engine, Protocol):
    def compose(self, prompt: str, duration_seconds: float, seed: int | None) -> MusicResult:
        """Music described by ``prompt``, exactly ``duration_seconds`` long; deterministic
        for a ``seed`` where the engine can promise it."""
        ...
