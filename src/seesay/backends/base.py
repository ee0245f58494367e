"""The backend interface and what both backends share.

Every method returns a JSON-ready dict (or list): the CLI's ``--json`` output and the MCP
tools' results, the same whichever backend ran the work. Errors are SeeSay's own
(:class:`seesay.errors.SeeSayError`) locally and the SDK's remotely; :func:`expected_errors`
names both, :func:`error_dict` reads either.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "Backend",
    "DescribeOptions",
    "LoadProgress",
    "SpeechOptions",
    "description_entry",
    "error_dict",
    "expected_errors",
    "translation_entry",
    "voice_entry",
]

log = logging.getLogger(__name__)

#: Called around the first load of an engine: ``(task, engine name)`` -> a context manager
#: that is open while the model loads (the CLI shows a spinner).
LoadProgress = Callable[[str, str], AbstractContextManager[Any]]


@dataclass(frozen=True, slots=True)
class DescribeOptions:
    """How to describe an image (and speak the description when ``speak``)."""

    detail: str = "standard"
    language: str = "en"
    prompt: str | None = None
    speak: bool = False
    voice: str | None = None
    format: str = "mp3"


@dataclass(frozen=True, slots=True)
class SpeechOptions:
    voice: str | None = None
    language: str = "en"
    speed: float = 1.0
    format: str = "mp3"


class Backend(Protocol):
    """Where the work runs."""

    def warm(self, options: DescribeOptions) -> None:
        """Check ``options`` and get ready to describe with them (load the engines), so a
        batch fails fast on a bad option."""

    def describe(
        self, image: str | bytes, options: DescribeOptions, audio_to: Path | None
    ) -> dict[str, Any]:
        """``image``: a file path, an http(s) URL or the image's bytes; the audio (with
        ``options.speak``) is written to ``audio_to`` when given."""

    def speak(self, text: str, options: SpeechOptions, to: Path | None) -> dict[str, Any]: ...

    def transcribe(
        self, audio: Path, *, language: str | None, translate: bool, words: bool
    ) -> dict[str, Any]: ...

    def translate(self, text: str, *, to: str, source: str | None) -> dict[str, Any]: ...

    def voices(self, language: str | None) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


def is_url(image: str | bytes) -> bool:
    return isinstance(image, str) and image.startswith(("http://", "https://"))


def description_entry(done: Any, text: str) -> dict[str, Any]:
    """The description part of a result (a service's or the SDK's, alike but for the text)."""
    return {
        "description": text,
        "language": done.language,
        "source_language": done.source_language,
        "translated": done.translated,
        "engines": done.engines,
        "timings": done.timings,
    }


def translation_entry(done: Any) -> dict[str, Any]:
    return {"text": done.text, "source": done.source, "target": done.target, "engine": done.engine}


def voice_entry(voice: Any) -> dict[str, Any]:
    keep = ("id", "name", "language", "gender", "engine", "description")
    return {k: getattr(voice, k) for k in keep}


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
def logged_loading(task: str, name: str) -> Iterator[None]:
    """The default :data:`LoadProgress`: a log line once the model is loaded."""
    started = time.perf_counter()
    yield
    log.info("loaded the %s engine %s in %.1f s", task, name, time.perf_counter() - started)
