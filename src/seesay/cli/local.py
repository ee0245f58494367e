"""Running SeeSay's pipelines in this process: no server, no account, no billing.

:class:`LocalRunner` builds a private :class:`~seesay.platform.Platform` over a
temporary folder (SQLite, local files, inline inference; the engines come from the usual
``SEESAY_ENGINES__*`` settings) and runs the services' own checks followed by their
registered inference steps (``describe.run``, ``img2voice.run``, ``speech.synthesize``,
``transcribe.run``, ``translate.run``): the same code a worker runs for the server, minus
the metering around it. Errors are the services' :class:`~seesay.errors.SeeSayError`.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seesay.engines import languages
from seesay.engines.base import Task, TranslateEngine, VoiceInfo
from seesay.engines.translate.select import NO_ENGINE, choose, detect_source
from seesay.errors import InvalidRequest
from seesay.media.audio_decode import decode_audio
from seesay.platform import Platform
from seesay.services.describe import DescribeRequest
from seesay.services.image_input import ImageInput
from seesay.services.img2voice import Img2VoiceRequest
from seesay.services.speech import MAX_ASYNC_CHARS, SpeechRequest
from seesay.settings import Settings, load_settings

__all__ = [
    "LoadProgress",
    "LocalAudio",
    "LocalDescription",
    "LocalRunner",
    "LocalTranscription",
    "LocalTranslation",
    "image_from_path",
]

#: Called around the first load of an engine: ``(task, engine name)`` -> a context manager
#: that is open while the model loads (the CLI shows a spinner).
LoadProgress = Callable[[str, str], AbstractContextManager[Any]]


@dataclass(frozen=True, slots=True)
class LocalAudio:
    data: bytes
    format: str
    mime_type: str
    duration: float
    voice: str
    engine: str
    language: str
    voice_fallback: str | None


@dataclass(frozen=True, slots=True)
class LocalDescription:
    text: str
    language: str
    source_language: str | None
    translated: bool
    findings: dict[str, Any]
    engines: dict[str, Any]
    timings: dict[str, float]
    audio: LocalAudio | None = None


@dataclass(frozen=True, slots=True)
class LocalTranscription:
    text: str
    language: str
    duration: float
    segments: list[dict[str, Any]]
    engine: str
    translated: bool


@dataclass(frozen=True, slots=True)
class LocalTranslation:
    text: str
    source: str
    target: str
    engine: str


@dataclass
class LocalRunner:
    """The pipelines over a private platform; use it as a context manager (or ``close``)."""

    platform: Platform
    on_load: LoadProgress = field(default=lambda task, name: nullcontext())
    _folder: tempfile.TemporaryDirectory[str] | None = None

    @classmethod
    def open(
        cls, config: Path | None = None, *, on_load: LoadProgress | None = None
    ) -> LocalRunner:
        """Build the private platform; ``config`` is a SeeSay TOML settings file."""
        folder = tempfile.TemporaryDirectory(prefix="seesay-local-")
        root = Path(folder.name)
        settings: Settings = load_settings(
            config,
            data_dir=root,
            database_url=f"sqlite:///{root / 'local.db'}",
            queue_url=f"sqlite:///{root / 'queue.db'}",
            ratelimit_url="memory://",
            storage_url=f"file://{root / 'files'}",
            signing_secrets=[secrets.token_urlsafe(32)],
            inline_inference=True,
        )
        runner = cls(Platform.build(settings), _folder=folder)
        if on_load is not None:
            runner.on_load = on_load
        return runner

    def close(self) -> None:
        self.platform.close()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> LocalRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- engines ------------------------------------------------------------------------------

    def _load(self, task: Task, name: str | None = None) -> None:
        """Load an engine now, inside ``on_load`` when it is not loaded yet."""
        engines = self.platform.engines
        names = engines.names(task)
        name = name or (names[0] if names else None)
        if name is None or f"{task.value}/{name}" in engines.loaded():
            engines.get(task, name)
            return
        with self.on_load(task.value, name):
            engines.get(task, name)

    def warm_describe(
        self,
        *,
        detail: str = "standard",
        language: str = "en",
        prompt: str | None = None,
        speak: bool = False,
        voice: str | None = None,
        format: str = "mp3",
    ) -> None:
        """Check the options and load the engines a describe (and speak) run needs, so a
        batch fails fast on a bad option and shows model loading before its progress bar."""
        if speak:
            checked = self._img2voice_checked(voice, language, detail, prompt, format)
            resolved = self.platform.speech.catalogue.resolve(checked.voice, checked.language)
            self._load(Task.VISION)
            self._load(Task.TTS, resolved.engine)
        else:
            self.platform.describer.check_options(
                DescribeRequest(ImageInput(data=b""), detail, prompt, language)
            )
            self.platform.describer.resolve_language(language, prompt)
            self._load(Task.VISION)

    def voices(self, language: str | None = None) -> list[VoiceInfo]:
        catalogue = self.platform.speech.catalogue
        return (
            catalogue.candidates(languages.normalize(language)) if language else catalogue.voices()
        )

    # -- describe and speak -------------------------------------------------------------------

    def _img2voice_checked(
        self, voice: str | None, language: str, detail: str, prompt: str | None, fmt: str
    ) -> Any:
        req = Img2VoiceRequest(
            ImageInput(data=b""),
            voice=voice,
            language=language,
            detail=detail,
            prompt=prompt,
            format=fmt,
        )
        return self.platform.img2voice.validate(req)

    def describe(
        self,
        image: ImageInput,
        *,
        detail: str = "standard",
        language: str = "en",
        prompt: str | None = None,
        speak: bool = False,
        voice: str | None = None,
        format: str = "mp3",
        speed: float = 1.0,
    ) -> LocalDescription:
        """Describe ``image`` (and speak the description when ``speak``)."""
        platform = self.platform
        started = time.perf_counter()
        if speak:
            checked = self._img2voice_checked(voice, language, detail, prompt, format)
            language, voice = checked.language, checked.voice
        else:
            platform.describer.check_options(DescribeRequest(image, detail, prompt, language))
            language = platform.describer.resolve_language(language, prompt)
        self._load(Task.VISION)
        prepared = platform.describer.prepare(image)
        payload = platform.describer.payload(prepared, detail, prompt, language)
        try:
            if speak:
                payload.update({"voice": voice, "format": format, "speed": speed})
                out = platform.img2voice.run_call(payload)
            else:
                out = platform.describer.run_call(payload)
        finally:
            platform.describer.discard(prepared)
        audio = self._take_audio(out["speech"]) if speak else None
        timings = {**prepared.timings, **out["timings"]}
        timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        engines = dict(out["engines"])
        if audio is not None:
            engines["tts"] = audio.engine
        return LocalDescription(
            text=out["text"],
            language=out["language"],
            source_language=out["source_language"],
            translated=bool(out["translated"]),
            findings=out["findings"],
            engines=engines,
            timings=timings,
            audio=audio,
        )

    def speak(
        self,
        text: str,
        *,
        voice: str | None = None,
        language: str = "en",
        speed: float = 1.0,
        format: str = "mp3",
    ) -> LocalAudio:
        speech = self.platform.speech
        req = speech.validate(
            SpeechRequest(text, voice, language, speed, format), max_chars=MAX_ASYNC_CHARS
        )
        self._load(Task.TTS, speech.catalogue.resolve(req.voice, req.language).engine)
        return self._take_audio(speech.synthesize_to_store(req.payload()))

    def _take_audio(self, out: dict[str, Any]) -> LocalAudio:
        storage = self.platform.storage
        blob = str(out["blob_id"])
        try:
            data = storage.get(blob)
        finally:
            storage.delete(blob)
        return LocalAudio(
            data=data,
            format=str(out["format"]),
            mime_type=str(out["mime_type"]),
            duration=float(out["duration"]),
            voice=str(out["voice"]),
            engine=str(out["engine"]),
            language=str(out["language"]),
            voice_fallback=str(out["reason"]) or None,
        )

    # -- transcribe and translate -------------------------------------------------------------

    def transcribe(
        self,
        data: bytes,
        *,
        language: str | None = None,
        translate: bool = False,
        word_timestamps: bool = False,
        engine: str | None = None,
    ) -> LocalTranscription:
        service = self.platform.transcription
        names = service.engine_names()
        name = engine or (names[0] if names else None)
        if name not in names:
            raise InvalidRequest(
                f"unknown speech-to-text engine {name!r}; configured: {', '.join(names) or 'none'}",
                param="engine",
            )
        tag = None if languages.is_auto(language) else languages.normalize(str(language))
        decode_audio(data, service.limits)  # a bad file fails here, before any model loads
        self._load(Task.STT, name)
        blob = self.platform.storage.put(data, content_type="application/octet-stream")
        try:
            out = service.run(
                {
                    "blob_id": blob,
                    "language": tag,
                    "translate": translate,
                    "word_timestamps": word_timestamps,
                    "prompt": None,
                    "engine": name,
                }
            )
        finally:
            self.platform.storage.delete(blob)
        return LocalTranscription(
            text=str(out["text"]).strip(),
            language=str(out["language"]),
            duration=float(out["duration"]),
            segments=list(out["segments"]),
            engine=str(out["engine"]),
            translated=translate,
        )

    def translate(self, text: str, *, to: str, source: str | None = None) -> LocalTranslation:
        if not text.strip():
            raise InvalidRequest("text must not be empty", param="text")
        engines = self.platform.engines.all_of(Task.TRANSLATE, TranslateEngine)  # type: ignore[type-abstract]
        target = languages.normalize(to)
        src = (
            detect_source(engines, text)
            if languages.is_auto(source)
            else languages.normalize(str(source))
        )
        if languages.matches(src, target):
            return LocalTranslation(text, src, target, NO_ENGINE)
        engine = choose(engines, src, target).info.name
        self._load(Task.TRANSLATE, engine)
        out = self.platform.translation.run(
            {"text": text, "source": src, "target": target, "engine": engine}
        )
        return LocalTranslation(
            str(out["text"]), str(out["source"]), str(out["target"]), str(out["engine"])
        )


def image_from_path(path: Path) -> ImageInput:
    """An image file as the services' input (read now; the services decode and check it)."""
    return ImageInput(data=path.read_bytes(), param="image")
