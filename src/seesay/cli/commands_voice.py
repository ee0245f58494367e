"""``seesay speak``, ``seesay transcribe``, ``seesay translate`` and ``seesay voices``: local by
default, on a server with ``--server URL --key KEY``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from seesay.backends.base import SpeechOptions
from seesay.cli.commands_common import (
    ConfigOption,
    KeyOption,
    ServerOption,
    err,
    on_backend,
    out,
    print_json,
)

__all__ = ["register"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _text(value: str) -> str:
    """``-`` reads the text from standard input."""
    return sys.stdin.read() if value == "-" else value


def _default_audio_name(text: str, fmt: str) -> Path:
    words = re.findall(r"\w+", text.lower())[:5]
    return Path(("-".join(words) or "speech")[:60] + f".{fmt}")


def speak(
    text: Annotated[str, typer.Argument(help="What to say ('-' reads standard input).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Audio file to write.")
    ] = None,
    voice: Annotated[str | None, typer.Option(help="Voice id or alias.")] = None,
    language: Annotated[str, typer.Option(help="BCP-47 language, or auto.")] = "en",
    format: Annotated[
        str, typer.Option("--format", help="mp3, wav, opus, flac, aac, pcm.")
    ] = "mp3",
    speed: Annotated[float, typer.Option(help="0.25 to 4.0.")] = 1.0,
    as_json: JsonOption = False,
    server: ServerOption = None,
    key: KeyOption = None,
    config: ConfigOption = None,
) -> None:
    """Text to speech, written to an audio file."""
    content = _text(text)
    target = output or _default_audio_name(content, format)
    options = SpeechOptions(voice=voice, language=language, speed=speed, format=format)
    result = on_backend(server, key, config, lambda b: b.speak(content, options, target))
    if as_json:
        print_json(result)
        return
    fallback = f" ({result['voice_fallback']})" if result.get("voice_fallback") else ""
    err.print(f"voice {result['voice']} ({result['engine']}){fallback}")
    out.print(f"wrote {result['audio']} ({result['duration_seconds']:.1f} s)", highlight=False)


def transcribe(
    audio: Annotated[Path, typer.Argument(help="An audio file.", exists=True, dir_okay=False)],
    language: Annotated[str | None, typer.Option(help="BCP-47 language; default: detect.")] = None,
    translate: Annotated[bool, typer.Option("--translate", help="Give English text.")] = False,
    words: Annotated[
        bool | None,
        typer.Option("--words/--no-words", help="Word timestamps; on by default with --json."),
    ] = None,
    as_json: JsonOption = False,
    server: ServerOption = None,
    key: KeyOption = None,
    config: ConfigOption = None,
) -> None:
    """Speech to text."""
    with_words = as_json if words is None else words
    result = on_backend(
        server,
        key,
        config,
        lambda b: b.transcribe(audio, language=language, translate=translate, words=with_words),
    )
    if as_json:
        print_json(result)
        return
    out.print(result["text"], highlight=False)
    err.print(f"language {result['language']}, {result['duration_seconds']:.1f} s of audio")


def translate(
    text: Annotated[str, typer.Argument(help="What to translate ('-' reads standard input).")],
    to: Annotated[str, typer.Option("--to", help="BCP-47 language to translate into.")],
    source: Annotated[
        str | None, typer.Option("--from", help="Language of the text; default: detect.")
    ] = None,
    as_json: JsonOption = False,
    server: ServerOption = None,
    key: KeyOption = None,
    config: ConfigOption = None,
) -> None:
    """Translate text."""
    content = _text(text)
    result = on_backend(server, key, config, lambda b: b.translate(content, to=to, source=source))
    if as_json:
        print_json(result)
        return
    out.print(result["text"], highlight=False)


def voices(
    language: Annotated[str | None, typer.Option(help="Only voices for this language.")] = None,
    as_json: JsonOption = False,
    server: ServerOption = None,
    key: KeyOption = None,
    config: ConfigOption = None,
) -> None:
    """List the voices (best match first with --language)."""
    found: list[dict[str, Any]] = on_backend(server, key, config, lambda b: b.voices(language))
    if as_json:
        print_json(found)
        return
    table = Table("id", "name", "language", "gender", "engine")
    for v in found:
        table.add_row(v["id"], v["name"], v["language"], v["gender"], v["engine"])
    out.print(table)


def register(app: typer.Typer) -> None:
    for command in (speak, transcribe, translate, voices):
        app.command(command.__name__)(command)
