"""What the client commands share: where the work runs (in this process, or on a SeeSay
server through the SDK), options, output and error reporting.

Both backends return plain dicts (the ``--json`` output), so the commands print the same
thing whichever ran the work.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Protocol

import typer
from rich.console import Console

if TYPE_CHECKING:
    from seesay.cli.local import LocalRunner
    from seesay_sdk import Client

__all__ = [
    "Backend",
    "KeyOption",
    "ServerOption",
    "fail",
    "open_backend",
    "print_json",
]

err = Console(stderr=True)
out = Console()

ServerOption = Annotated[
    str | None,
    typer.Option(
        "--server",
        envvar="SEESAY_SERVER",
        help="Run on this SeeSay server (e.g. http://127.0.0.1:8000) instead of locally.",
    ),
]
KeyOption = Annotated[
    str | None,
    typer.Option("--key", envvar="SEESAY_API_KEY", help="API key for --server."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", envvar="SEESAY_CONFIG", help="TOML settings (local engines)."),
]


def print_json(value: Any) -> None:
    """Machine-readable output on stdout (progress and messages go to stderr)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def error_dict(exc: BaseException) -> dict[str, Any]:
    """``{code, message, param}`` of a SeeSay error (local or from the server)."""
    return {
        "code": getattr(exc, "code", type(exc).__name__),
        "message": getattr(exc, "message", str(exc)),
        "param": getattr(exc, "param", None),
    }


def expected_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the input's or the server's fault, reported without a traceback."""
    from seesay.errors import SeeSayError
    from seesay_sdk.errors import SeeSayError as SdkError

    return (SeeSayError, SdkError, OSError)


@contextmanager
def model_loading(task: str, name: str) -> Iterator[None]:
    """Shown around an engine's first load (the slow part of a first run)."""
    started = time.perf_counter()
    with err.status(f"Loading the {task} engine [bold]{name}[/bold]..."):
        yield
    err.print(f"Loaded the {task} engine {name} in {time.perf_counter() - started:.1f} s")


class Backend(Protocol):
    """Where the work runs; every method returns a JSON-ready dict (or list)."""

    def describe(
        self,
        image: str | bytes,
        *,
        detail: str,
        language: str,
        prompt: str | None,
        speak: bool,
        voice: str | None,
        format: str,
        audio_to: Path | None,
    ) -> dict[str, Any]: ...

    def warm(self, **options: Any) -> None: ...

    def speak(
        self,
        text: str,
        *,
        voice: str | None,
        language: str,
        speed: float,
        format: str,
        to: Path | None,
    ) -> dict[str, Any]: ...

    def transcribe(
        self, audio: Path, *, language: str | None, translate: bool, words: bool
    ) -> dict[str, Any]: ...

    def translate(self, text: str, *, to: str, source: str | None) -> dict[str, Any]: ...

    def voices(self, language: str | None) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


class LocalBackend:
    """The pipelines in this process (:class:`seesay.cli.local.LocalRunner`)."""

    def __init__(self, runner: LocalRunner) -> None:
        self.runner = runner

    def warm(self, **options: Any) -> None:
        self.runner.warm_describe(**options)

    def describe(
        self,
        image: str | bytes,
        *,
        detail: str,
        language: str,
        prompt: str | None,
        speak: bool,
        voice: str | None,
        format: str,
        audio_to: Path | None,
    ) -> dict[str, Any]:
        from seesay.services.image_input import ImageInput

        if isinstance(image, bytes):
            source = ImageInput(data=image, param="image")
        elif image.startswith(("http://", "https://")):
            source = ImageInput(url=image, param="image")
        else:
            source = ImageInput(data=Path(image).read_bytes(), param="image")
        done = self.runner.describe(
            source,
            detail=detail,
            language=language,
            prompt=prompt,
            speak=speak,
            voice=voice,
            format=format,
        )
        result: dict[str, Any] = {
            "description": done.text,
            "language": done.language,
            "source_language": done.source_language,
            "translated": done.translated,
            "engines": done.engines,
            "timings": done.timings,
        }
        if done.audio is not None and audio_to is not None:
            audio_to.write_bytes(done.audio.data)
            result.update(
                audio=str(audio_to),
                duration_seconds=done.audio.duration,
                voice=done.audio.voice,
                voice_fallback=done.audio.voice_fallback,
            )
        return result

    def speak(
        self,
        text: str,
        *,
        voice: str | None,
        language: str,
        speed: float,
        format: str,
        to: Path | None,
    ) -> dict[str, Any]:
        if to is None:
            raise ValueError("local speech needs a file to write the audio to")
        audio = self.runner.speak(text, voice=voice, language=language, speed=speed, format=format)
        to.write_bytes(audio.data)
        return {
            "audio": str(to),
            "duration_seconds": audio.duration,
            "format": audio.format,
            "voice": audio.voice,
            "engine": audio.engine,
            "language": audio.language,
            "voice_fallback": audio.voice_fallback,
        }

    def transcribe(
        self, audio: Path, *, language: str | None, translate: bool, words: bool
    ) -> dict[str, Any]:
        heard = self.runner.transcribe(
            audio.read_bytes(), language=language, translate=translate, word_timestamps=words
        )
        return {
            "text": heard.text,
            "language": heard.language,
            "duration_seconds": heard.duration,
            "translated": heard.translated,
            "engine": heard.engine,
            "segments": heard.segments,
        }

    def translate(self, text: str, *, to: str, source: str | None) -> dict[str, Any]:
        done = self.runner.translate(text, to=to, source=source)
        return {
            "text": done.text,
            "source": done.source,
            "target": done.target,
            "engine": done.engine,
        }

    def voices(self, language: str | None) -> list[dict[str, Any]]:
        return [
            {
                "id": v.id,
                "name": v.name,
                "language": v.language,
                "gender": v.gender,
                "engine": v.engine,
                "description": v.description,
            }
            for v in self.runner.voices(language)
        ]

    def close(self) -> None:
        self.runner.close()


class RemoteBackend:
    """The same work on a SeeSay server, through the SDK."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def warm(self, **options: Any) -> None:
        pass  # the server has its models loaded

    def describe(
        self,
        image: str | bytes,
        *,
        detail: str,
        language: str,
        prompt: str | None,
        speak: bool,
        voice: str | None,
        format: str,
        audio_to: Path | None,
    ) -> dict[str, Any]:
        source: str | bytes | Path = image
        if isinstance(image, str) and not image.startswith(("http://", "https://")):
            source = Path(image)
        common: dict[str, Any] = {"detail": detail, "language": language, "prompt": prompt}
        if not speak:
            described = self.client.describe(source, **common)
            return _remote_description(described.model_dump(mode="json"))
        spoken = self.client.img2voice(source, voice=voice, format=format, **common)
        result = _remote_description(spoken.model_dump(mode="json"))
        result["audio"] = None
        if audio_to is not None:
            self.client.files.download(spoken.audio_url, audio_to)
            result["audio"] = str(audio_to)
        result.update(
            audio_url=spoken.audio_url,
            duration_seconds=spoken.duration_seconds,
            voice=spoken.voice,
            voice_fallback=spoken.voice_fallback,
        )
        return result

    def speak(
        self,
        text: str,
        *,
        voice: str | None,
        language: str,
        speed: float,
        format: str,
        to: Path | None,
    ) -> dict[str, Any]:
        speech = self.client.speech(
            text, voice=voice, language=language, speed=speed, format=format
        )
        if to is not None:
            self.client.files.download(speech.audio_url, to)
        return {
            "audio": str(to) if to is not None else None,
            "audio_url": speech.audio_url,
            "duration_seconds": speech.duration_seconds,
            "format": speech.format,
            "voice": speech.voice,
            "engine": speech.engine,
            "language": speech.language,
            "voice_fallback": speech.voice_fallback,
        }

    def transcribe(
        self, audio: Path, *, language: str | None, translate: bool, words: bool
    ) -> dict[str, Any]:
        heard = self.client.transcribe(
            audio, language=language, translate=translate or None, word_timestamps=words or None
        )
        data = heard.model_dump(mode="json")
        return {
            "text": heard.text.strip(),
            "language": heard.language,
            "duration_seconds": heard.duration_seconds,
            "translated": heard.translated,
            "engine": heard.engine,
            "segments": data["segments"],
        }

    def translate(self, text: str, *, to: str, source: str | None) -> dict[str, Any]:
        done = self.client.translate(text, to=to, source=source)
        return {
            "text": done.text,
            "source": done.source,
            "target": done.target,
            "engine": done.engine,
        }

    def voices(self, language: str | None) -> list[dict[str, Any]]:
        keep = ("id", "name", "language", "gender", "engine", "description")
        return [{k: v.model_dump()[k] for k in keep} for v in self.client.voices(language=language)]

    def close(self) -> None:
        self.client.close()


def _remote_description(body: dict[str, Any]) -> dict[str, Any]:
    keep = ("description", "language", "source_language", "translated", "engines", "timings")
    return {k: body.get(k) for k in keep}


@contextmanager
def open_backend(
    server: str | None, key: str | None, config: Path | None = None
) -> Iterator[Backend]:
    """The remote backend when ``server`` is given, else the local one."""
    backend: Backend
    if server:
        from seesay_sdk import Client

        if not key:
            fail("--server needs --key (or SEESAY_API_KEY)", code=2)
        backend = RemoteBackend(Client(base_url=server, api_key=key))
    else:
        from seesay.cli.local import LocalRunner

        backend = LocalBackend(LocalRunner.open(config, on_load=model_loading))
    try:
        yield backend
    finally:
        backend.close()
