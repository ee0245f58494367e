"""The backend in this process: the services the HTTP surfaces call, for a local account.

:func:`build_local_services` builds a private platform over a temporary folder (SQLite, local
files, inline inference; the engines come from the usual ``SEESAY_ENGINES__*`` settings) and
the five services a client uses with :class:`~seesay.services.metering.NoMetering`, for one
implicit local account (a row in that database: the services read its balance and remember
its last speech language). Nothing is charged and no key is needed.

Before each call, :class:`LocalBackend` uses the services' own checks to find the engines the
call needs and loads them inside ``on_load`` (the CLI's spinner): a bad option fails before
any model loads, and a first model load does not count against the call's deadline.
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from seesay.accounts.plans import get_plan
from seesay.accounts.service import Principal
from seesay.backends.base import (
    DescribeOptions,
    LoadProgress,
    SpeechOptions,
    description_entry,
    is_url,
    logged_loading,
    translation_entry,
    voice_entry,
)
from seesay.engines import languages
from seesay.engines.base import Task, TranslateEngine
from seesay.engines.translate.select import choose, detect_source
from seesay.errors import SeeSayError
from seesay.media.audio_decode import measure_audio
from seesay.platform import Platform
from seesay.services.account_language import AccountLanguages
from seesay.services.describe import DescribeService
from seesay.services.describe_contracts import DescribeRequest
from seesay.services.image_input import ImageInput
from seesay.services.img2voice import Img2VoiceRequest, Img2VoiceService
from seesay.services.metering import NoMetering
from seesay.services.speech import MAX_ASYNC_CHARS, SpeechRequest, SpeechService
from seesay.services.transcribe import TranscribeService
from seesay.services.translate import TranslateService
from seesay.settings import load_settings

__all__ = ["LocalBackend", "LocalServices", "build_local_services"]

#: Options are checked before any image is read; the checks never look at it.
_NO_IMAGE = ImageInput()


@dataclass
class LocalServices:
    """The services a client uses, unmetered, and who they run for."""

    platform: Platform
    principal: Principal
    describer: DescribeService
    img2voice: Img2VoiceService
    speech: SpeechService
    transcription: TranscribeService
    translation: TranslateService

    def close(self) -> None:
        self.platform.close()


def build_local_services(root: Path, config: Path | None = None) -> LocalServices:
    """The platform over the folder ``root`` and the client services over it, unmetered.

    The registered calls stay the platform's own (they do not meter); only the use cases are
    built again here, with :class:`NoMetering`.
    """
    settings = load_settings(
        config,
        data_dir=root,
        database_url=f"sqlite:///{root / 'local.db'}",
        queue_url=f"sqlite:///{root / 'queue.db'}",
        ratelimit_url="memory://",
        storage_url=f"file://{root / 'files'}",
        signing_secrets=[secrets.token_urlsafe(32)],
        inline_inference=True,
    )
    p = Platform.build(settings)
    account = p.accounts.create_account("local", plan="paid")
    principal = Principal(account.id, "local", "live", get_plan("paid"), key_hash="")
    free = replace(p.service_parts, metering=NoMetering(p.ledger, p.prices, p.metrics))
    speech = SpeechService(free, p.signer, p.jobs, AccountLanguages(p.db))
    describer = DescribeService(free, p.fetcher)
    img2voice = Img2VoiceService(free, describer, speech, voice_map=settings.img2voice.voices)
    return LocalServices(
        platform=p,
        principal=principal,
        describer=describer,
        img2voice=img2voice,
        speech=speech,
        transcription=TranscribeService(free, settings.engines.stt),
        translation=TranslateService(free),
    )


class LocalBackend:
    """The work in this process; use :meth:`open`, then :meth:`close`."""

    def __init__(
        self,
        services: LocalServices,
        *,
        on_load: LoadProgress = logged_loading,
        folder: tempfile.TemporaryDirectory[str] | None = None,
    ) -> None:
        self.services = services
        self.on_load = on_load
        self._folder = folder

    @classmethod
    def open(
        cls, config: Path | None = None, *, on_load: LoadProgress = logged_loading
    ) -> LocalBackend:
        """Build the services over a fresh temporary folder; ``config``: TOML settings."""
        folder = tempfile.TemporaryDirectory(prefix="seesay-local-")
        try:
            services = build_local_services(Path(folder.name), config)
        except BaseException:
            folder.cleanup()
            raise
        return cls(services, on_load=on_load, folder=folder)

    def close(self) -> None:
        self.services.close()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def _load(self, task: Task, name: str | None = None) -> None:
        """Load an engine now (inside ``on_load`` the first time): the default of ``task``
        when ``name`` is None; ``EngineUnavailable`` when there is none."""
        engines = self.services.platform.engines
        name = name or next(iter(engines.names(task)), None)
        if name is None or f"{task.value}/{name}" in engines.loaded():
            engines.get(task, name)
            return
        with self.on_load(task.value, name):
            engines.get(task, name)

    # -- describe and speak -------------------------------------------------------------------

    def _img2voice_request(self, image: ImageInput, options: DescribeOptions) -> Img2VoiceRequest:
        return Img2VoiceRequest(
            image,
            voice=options.voice,
            language=options.language,
            detail=options.detail,
            prompt=options.prompt,
            format=options.format,
        )

    def warm(self, options: DescribeOptions) -> None:
        s = self.services
        if options.speak:
            checked = s.img2voice.validate(self._img2voice_request(_NO_IMAGE, options))
            voice = s.speech.catalogue.resolve(checked.voice, checked.language)
            self._load(Task.VISION)
            self._load(Task.TTS, voice.engine)
        else:
            s.describer.check_options(
                DescribeRequest(_NO_IMAGE, options.detail, options.prompt, options.language)
            )
            s.describer.resolve_language(options.language, options.prompt)
            self._load(Task.VISION)

    def describe(
        self, image: str | bytes, options: DescribeOptions, audio_to: Path | None
    ) -> dict[str, Any]:
        self.warm(options)
        s = self.services
        if isinstance(image, bytes):
            source = ImageInput(data=image, param="image")
        elif is_url(image):
            source = ImageInput(url=image, param="image")
        else:
            source = ImageInput(data=Path(image).read_bytes(), param="image")
        if not options.speak:
            request = DescribeRequest(source, options.detail, options.prompt, options.language)
            described = s.describer.describe(s.principal, request)
            return description_entry(described, described.text)
        spoken = s.img2voice.speak(s.principal, self._img2voice_request(source, options))
        data = self._take_audio(spoken.speech.blob_id)
        result = description_entry(spoken.described, spoken.described.text)
        if audio_to is not None:
            audio_to.write_bytes(data)
            result.update(
                audio=str(audio_to),
                duration_seconds=spoken.speech.duration,
                voice=spoken.speech.voice,
                voice_fallback=spoken.voice_fallback,
            )
        return result

    def speak(self, text: str, options: SpeechOptions, to: Path | None) -> dict[str, Any]:
        if to is None:
            raise ValueError("local speech needs a file to write the audio to")
        s = self.services
        asked = SpeechRequest(text, options.voice, options.language, options.speed, options.format)
        req = s.speech.validate(asked, max_chars=MAX_ASYNC_CHARS, principal=s.principal)
        self._load(Task.TTS, s.speech.catalogue.resolve(req.voice, req.language).engine)
        spoken = s.speech.speak(s.principal, req, max_chars=MAX_ASYNC_CHARS)
        to.write_bytes(self._take_audio(spoken.blob_id))
        return {
            "audio": str(to),
            "duration_seconds": spoken.duration,
            "format": spoken.format,
            "voice": spoken.voice,
            "engine": spoken.engine,
            "language": spoken.language,
            "voice_fallback": spoken.reason or None,
        }

    def _take_audio(self, blob_id: str) -> bytes:
        """The stored audio's bytes; the blob goes (a local run keeps only the file)."""
        storage = self.services.platform.storage
        try:
            return storage.get(blob_id)
        finally:
            storage.delete(blob_id)

    # -- transcribe and translate -------------------------------------------------------------

    def transcribe(
        self, audio: Path, *, language: str | None, translate: bool, words: bool
    ) -> dict[str, Any]:
        service = self.services.transcription
        data = audio.read_bytes()
        measure_audio(data, service.limits)  # a bad file fails here, before any model loads
        self._load(Task.STT)
        heard = service.transcribe(
            self.services.principal,
            data,
            filename=audio.name,
            language=language,
            translate=translate,
            word_timestamps=words,
        )
        return {
            "text": heard.text.strip(),
            "language": heard.language,
            "duration_seconds": heard.duration,
            "translated": heard.translated,
            "engine": heard.engine,
            "segments": [asdict(segment) for segment in heard.segments],
        }

    def translate(self, text: str, *, to: str, source: str | None) -> dict[str, Any]:
        s = self.services
        with contextlib.suppress(SeeSayError):  # the service names what is wrong
            engine = self._translator(text, to, source)
            if engine is not None:
                self._load(Task.TRANSLATE, engine)
        done = s.translation.translate(s.principal, text, target=to, source=source or "auto")
        return translation_entry(done)

    def _translator(self, text: str, to: str, source: str | None) -> str | None:
        """The engine the service will choose for this text (None: no translation needed)."""
        engines = self.services.platform.engines.all_of(Task.TRANSLATE, TranslateEngine)  # type: ignore[type-abstract]
        target = languages.normalize(to)
        src = (
            detect_source(engines, text) if languages.is_auto(source) else None
        ) or languages.normalize(source or "")
        if languages.matches(src, target):
            return None
        return choose(engines, src, target).info.name

    def voices(self, language: str | None) -> list[dict[str, Any]]:
        catalogue = self.services.speech.catalogue
        found = (
            catalogue.candidates(languages.normalize(language))
            if language
            else catalogue.available_voices()  # the voices that speak, as candidates are
        )
        return [voice_entry(v) for v in found]
