"""faster-whisper transcription with the bundled multilingual base and English tiny.en models.

One engine holds up to two CTranslate2 models and picks per request:
- English requests without translation go to the English model when one is configured
  (tiny.en: about twice as fast as base, and as accurate on clear English);
- ``language=None`` (auto-detect), every other language and ``translate=True`` (Whisper's
  speech-to-English task) go to the multilingual model.

A model pulled with ``seesay models pull whisper:small`` is named by its id in the settings;
it is loaded from the models folder, and loaded again when it is pulled again or removed,
without a restart.

Input is 16 kHz mono (other rates are resampled). Segments always carry timestamps; words do
when asked. Silence is skipped with the Silero VAD that ships inside faster-whisper, and
timestamps are reported on the original timeline. Thread-safe after ``load()``: CTranslate2
serialises calls on its model replicas, and each call keeps its own decoding state.

Transcription cannot run away on noise, music or a looping clip: every window is decoded on
its own (no conditioning on previous text) with the compression-ratio, log-probability and
no-speech guards, its tokens are capped in proportion to the audio it holds, the number of
windows and the transcript's length are capped by the audio's duration, and the request's
deadline (``engines.deadline``) is checked before every window and segment.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from seesay.engines import deadline, languages
from seesay.engines.base import Audio, EngineContext, EngineInfo, Segment, Task, Transcript, Word
from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.engines.stt.bundled import PULLED_PREFIX, resolve_model
from seesay.engines.stt.common import SttBase, SttOptions
from seesay.engines.stt.settings import WhisperSettings
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage
from seesay.models.store import InstalledModel

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

__all__ = ["WHISPER_LANGUAGES", "WhisperEngine", "to_whisper_code"]

SAMPLE_RATE = 16_000

# Whisper's language codes (faster_whisper.tokenizer._LANGUAGE_CODES), copied so EngineInfo
# can be built without importing faster-whisper. Two are not BCP-47: "jw" is Javanese ("jv"),
# and "tl" is canonicalised to "fil" by langcodes.
_WHISPER_CODES = (  # noqa: SIM905 - one line of codes reads better than a hundred
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha "
    "haw he hi hr ht hu hy id is it ja jw ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr "
    "ms mt my ne nl nn no oc pa pl ps pt ro ru sa sd si sk sl sn so sq sr su sv sw ta te tg "
    "th tk tl tr tt uk ur uz vi yi yo zh yue"
).split()
_CODE_FIXES = {"jw": "jv"}
_BCP47_TO_WHISPER = {languages.normalize(_CODE_FIXES.get(c, c)): c for c in _WHISPER_CODES}
_BCP47_TO_WHISPER["nb"] = "no"  # Whisper's "no" is Bokmål in practice
WHISPER_LANGUAGES: tuple[str, ...] = tuple(
    languages.normalize(_CODE_FIXES.get(c, c)) for c in _WHISPER_CODES
)


def to_whisper_code(tag: str) -> str | None:
    """Whisper's code for a BCP-47 tag ("pt-BR" -> "pt", "jv" -> "jw"), or None."""
    canonical = languages.normalize(tag)
    return _BCP47_TO_WHISPER.get(canonical) or _BCP47_TO_WHISPER.get(languages.primary(canonical))


def _from_whisper_code(code: str) -> str:
    return languages.normalize(_CODE_FIXES.get(code, code))


class WhisperEngine(SttBase):
    """The ``SttEngine`` over faster-whisper; see the module docstring for model choice."""

    def __init__(self, settings: WhisperSettings, ctx: EngineContext) -> None:
        self._settings = settings
        self._ctx = ctx
        self._multi: WhisperModel | None = None
        self._english: WhisperModel | None = None
        self._loaded = False
        self._lock = threading.Lock()
        models = [m for m in (settings.model, settings.english_model) if m]
        # Models pulled with `seesay models` (whisper:small...): watched for pulls and removals.
        self._pulled = [m for m in models if m.startswith(PULLED_PREFIX)]
        self._info_seen: Mapping[str, InstalledModel] = {}
        self._load_key: tuple[tuple[str, tuple[int, int] | None], ...] = ()
        self._info = self._survey()

    def _installed(self) -> Mapping[str, InstalledModel]:
        """The pulled models now (the store's shared survey), when this engine runs one."""
        store = self._ctx.model_store
        return store.installed() if self._pulled and store is not None else {}

    def _survey(self) -> EngineInfo:
        s = self._settings
        installed = self._info_seen = self._installed()
        return EngineInfo(
            name=s.name,
            task=Task.STT,
            model=" + ".join(m for m in (s.model, s.english_model) if m),
            licence="MIT",
            local=True,
            languages=WHISPER_LANGUAGES if s.model else ("en",),
            formats=("mp3", "wav", "m4a", "flac", "ogg", "webm"),
            description="Whisper (faster-whisper, CTranslate2) with Silero VAD",
            extra={
                "translate": bool(s.model),
                "word_timestamps": True,
                "detects_language": bool(s.model),
                # The pulled models it runs, as installed now (ids usable as model names).
                "models": [m for m in self._pulled if m in installed],
            },
        )

    @property
    def info(self) -> EngineInfo:
        if self._pulled and self._installed() is not self._info_seen:
            self._info = self._survey()
        return self._info

    def load(self) -> None:
        disable_ort_telemetry()
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise EngineUnavailable(
                "the whisper engine needs faster-whisper: install seesay[stt]"
            ) from exc
        s = self._settings
        key = self._pulled_key()

        def make(spec: str) -> WhisperModel:
            path = resolve_model(spec, self._ctx.cache_dir, self._ctx.model_store)
            try:
                return WhisperModel(
                    path,
                    device=s.device,
                    compute_type=s.compute_type,
                    cpu_threads=self._ctx.threads,
                    local_files_only=spec.startswith(("bundled:", PULLED_PREFIX)),
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise EngineUnavailable(f"could not load Whisper model {spec!r}: {exc}") from exc

        multi = _guarded(make(s.model)) if s.model else None
        english = _guarded(make(s.english_model)) if s.english_model else None
        self._multi, self._english = multi, english
        self._load_key = key
        self._loaded = True

    def unload(self) -> None:
        self._multi = None
        self._english = None
        self._loaded = False

    def _pulled_key(self) -> tuple[tuple[str, tuple[int, int] | None], ...]:
        """Which installation of each pulled model is there now (a pull again installs a new
        folder, a removal leaves none)."""
        installed = self._installed()
        return tuple(
            (spec, m.version if (m := installed.get(spec)) else None) for spec in self._pulled
        )

    def _reload_if_pulled_again(self) -> None:
        """A pulled model replaced (pull --force) or removed since ``load()``: load again, so
        the engine runs what is installed now (or says it is gone). Pulling or removing other
        models changes nothing."""
        if not self._pulled or (self._loaded and self._pulled_key() == self._load_key):
            return
        with self._lock:
            if self._loaded and self._pulled_key() == self._load_key:
                return
            self.unload()
            self.load()

    def _pick(self, code: str | None, translate: bool) -> WhisperModel:
        self._reload_if_pulled_again()
        if not self._loaded:
            raise EngineUnavailable("the whisper engine is not loaded")
        if code == "en" and not translate and self._english is not None:
            return self._english
        if self._multi is None:
            # Only an English-only model is configured.
            what = "translation" if translate else "language detection" if code is None else code
            raise UnsupportedLanguage(
                f"this Whisper engine is English-only and cannot do {what}",
                param="language",
                details={"supported": ["en"]},
            )
        return self._multi

    def _transcribe(self, audio: Audio, language: str | None, options: SttOptions) -> Transcript:
        translate, prompt = options.translate, options.prompt
        code: str | None = None
        if language is not None:
            code = to_whisper_code(language)
            if code is None:
                raise UnsupportedLanguage(
                    f"Whisper does not transcribe {language!r}",
                    param="language",
                    details={"supported": list(WHISPER_LANGUAGES)},
                )
        if audio.sample_rate != SAMPLE_RATE:
            from seesay.media.audio_decode import resample

            audio = resample(audio, SAMPLE_RATE)
        model = self._pick(code, translate)
        s = self._settings
        limits = _Limits.of(audio.duration, s)
        raw: list[Any] = []
        token = _limits.set(limits)
        try:
            segments_iter, info = model.transcribe(
                audio.samples,
                language=code,
                task="translate" if translate else "transcribe",
                beam_size=s.beam_size,
                word_timestamps=options.word_timestamps,
                vad_filter=s.vad,
                initial_prompt=prompt or None,
                # Each window decoded on its own: no runaway repetition across windows.
                condition_on_previous_text=False,
                compression_ratio_threshold=s.compression_ratio_threshold,
                log_prob_threshold=s.log_prob_threshold,
                no_speech_threshold=s.no_speech_threshold,
                temperature=list(s.temperatures),
                hallucination_silence_threshold=s.hallucination_silence_threshold,
                max_new_tokens=limits.tokens_per_window(bool(prompt)),
            )
            # Decoding happens while iterating; each window and segment checks the limits.
            for seg in segments_iter:
                deadline.check()
                if not limits.take(seg.text):
                    break
                raw.append(seg)
        except _TooManyWindows:
            pass  # a window that keeps being decoded again: keep what came before it
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"Whisper failed: {exc}") from exc
        finally:
            _limits.reset(token)
        segments = tuple(_segment(i, seg, audio.duration) for i, seg in enumerate(raw))
        # Whisper's segment texts carry their own leading spaces where the language uses them
        # (none in Japanese or Chinese), so joining them as they are is right for every script.
        text = "".join(seg.text for seg in raw).strip()
        return Transcript(
            text=text,
            # The caller's own tag when it named one ("pt-BR", not Whisper's "pt").
            language=languages.normalize(language)
            if language is not None
            else _from_whisper_code(info.language or "en"),
            duration=audio.duration,
            segments=segments,
            language_probability=None if code else float(info.language_probability),
        )


# Whisper's decoder holds 448 tokens, the prompt included: the start-of-transcript tokens,
# and up to half the context (223 tokens) for an initial prompt.
_MAX_LENGTH = 448
_PROMPT_RESERVE = 8
_INITIAL_PROMPT_RESERVE = 224
_WINDOW_SECONDS = 30.0


class _TooManyWindows(Exception):
    """faster-whisper decoded more windows than the audio can hold: it is not advancing."""


@dataclass
class _Limits:
    """How much one transcription may decode, from the audio's duration."""

    duration: float
    max_tokens_per_second: float
    max_chars: int
    max_windows: int
    chars: int = 0
    windows: int = 0

    @classmethod
    def of(cls, duration: float, s: WhisperSettings) -> _Limits:
        return cls(
            duration=duration,
            max_tokens_per_second=s.max_tokens_per_second,
            max_chars=math.ceil(duration * s.max_chars_per_second) + 60,
            # A window normally advances by up to 30 s, and by 1 s at least when a
            # hallucination is skipped; one per 10 s (and a few) is already generous.
            max_windows=2 * math.ceil(duration / 10.0) + 4,
        )

    def tokens_per_window(self, has_prompt: bool) -> int:
        """A token cap proportional to the audio in one window (at most 30 s), within what
        the decoder's context leaves after the prompt."""
        room = _MAX_LENGTH - _PROMPT_RESERVE - (_INITIAL_PROMPT_RESERVE if has_prompt else 0)
        seconds = min(self.duration, _WINDOW_SECONDS)
        return max(16, min(room, math.ceil(seconds * self.max_tokens_per_second) + 16))

    def next_window(self) -> None:
        deadline.check()
        self.windows += 1
        if self.windows > self.max_windows:
            raise _TooManyWindows

    def take(self, text: str) -> bool:
        """Count a segment's text; False once the transcript would outgrow the audio."""
        self.chars += len(text)
        return self.chars <= self.max_chars


_limits: ContextVar[_Limits | None] = ContextVar("whisper_limits", default=None)


def _guarded(model: WhisperModel) -> WhisperModel:
    """Check the deadline and the window count before each window faster-whisper decodes.

    A window can yield no segment at all (silence, a skipped hallucination), so checking
    between segments alone could miss a loop; ``generate_with_fallback`` is the one step
    every window goes through. Wrapped on the instance, so the library itself is untouched.
    """
    inner = getattr(model, "generate_with_fallback", None)
    if inner is None:  # another faster-whisper: the segment checks still apply
        return model

    def generate_with_fallback(*args: Any, **kwargs: Any) -> Any:
        limits = _limits.get()
        if limits is not None:
            limits.next_window()
        return inner(*args, **kwargs)

    model.generate_with_fallback = generate_with_fallback  # type: ignore[method-assign]
    return model


def _segment(index: int, seg: Any, duration: float) -> Segment:
    """One segment, its times clamped to the audio: a segment that ends without a closing
    timestamp token is given its window's end (16.0 s for a 15.3 s clip), and a subtitle or
    a player must never be told of a moment the audio does not have."""

    def at(seconds: float) -> float:
        return min(max(0.0, float(seconds)), duration)

    words = tuple(
        Word(word=w.word.strip(), start=at(w.start), end=at(w.end), probability=w.probability)
        for w in (seg.words or ())
    )
    return Segment(
        id=index,
        start=at(seg.start),
        end=at(seg.end),
        text=seg.text.strip(),
        words=words,
        avg_logprob=float(seg.avg_logprob),
        no_speech_prob=float(seg.no_speech_prob),
    )
