"""The backend on a SeeSay server, through the SDK (``seesay_sdk``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seesay.backends.base import (
    DescribeOptions,
    SpeechOptions,
    description_entry,
    is_url,
    translation_entry,
    voice_entry,
)
from seesay_sdk import Client

__all__ = ["RemoteBackend"]


class RemoteBackend:
    """The work on a SeeSay server; audio is downloaded from its signed URL when a file is
    asked for (the result names both)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @classmethod
    def connect(cls, server: str, key: str) -> RemoteBackend:
        return cls(Client(base_url=server, api_key=key))

    def warm(self, options: DescribeOptions) -> None:
        pass  # the server has its models loaded and checks each request

    def describe(
        self, image: str | bytes, options: DescribeOptions, audio_to: Path | None
    ) -> dict[str, Any]:
        source: str | bytes | Path = image
        if isinstance(image, str) and not is_url(image):
            source = Path(image)
        common: dict[str, Any] = {
            "detail": options.detail,
            "language": options.language,
            "prompt": options.prompt,
        }
        if not options.speak:
            described = self.client.describe(source, **common)
            return description_entry(described, described.description)
        spoken = self.client.img2voice(source, voice=options.voice, format=options.format, **common)
        return {
            **description_entry(spoken, spoken.description),
            "audio": self._download(spoken.audio_url, audio_to),
            "audio_url": spoken.audio_url,
            "duration_seconds": spoken.duration_seconds,
            "voice": spoken.voice,
            "voice_fallback": spoken.voice_fallback,
        }

    def speak(self, text: str, options: SpeechOptions, to: Path | None) -> dict[str, Any]:
        speech = self.client.speech(
            text,
            voice=options.voice,
            language=options.language,
            speed=options.speed,
            format=options.format,
        )
        return {
            "audio": self._download(speech.audio_url, to),
            "audio_url": speech.audio_url,
            "duration_seconds": speech.duration_seconds,
            "format": speech.format,
            "voice": speech.voice,
            "engine": speech.engine,
            "language": speech.language,
            "voice_fallback": speech.voice_fallback,
        }

    def _download(self, url: str, to: Path | None) -> str | None:
        if to is None:
            return None
        self.client.files.download(url, to)
        return str(to)

    def transcribe(
        self, audio: Path, *, language: str | None, translate: bool, words: bool
    ) -> dict[str, Any]:
        heard = self.client.transcribe(
            audio, language=language, translate=translate or None, word_timestamps=words or None
        )
        return {
            "text": heard.text.strip(),
            "language": heard.language,
            "duration_seconds": heard.duration_seconds,
            "translated": heard.translated,
            "engine": heard.engine,
            "segments": heard.model_dump(mode="json")["segments"],
        }

    def translate(self, text: str, *, to: str, source: str | None) -> dict[str, Any]:
        return translation_entry(self.client.translate(text, to=to, source=source))

    def voices(self, language: str | None) -> list[dict[str, Any]]:
        # The voices that speak: the server also lists those that cannot be loaded (failed).
        found = self.client.voices(language=language)
        return [voice_entry(v) for v in found if v.status != "failed"]

    def close(self) -> None:
        self.client.close()
