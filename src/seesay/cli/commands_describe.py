"""``seesay describe IMAGE...``: describe (and speak) images, one or a whole folder.

Inputs are files, folders (their images, sorted), glob patterns the shell left alone
(``'photos/*.jpg'``) or http(s) URLs. A batch shows a progress bar; each result is written
beside its input, or into ``-o DIR`` (``-o FILE`` for a single image): ``NAME.txt`` with the
description and, with ``--speak``, ``NAME.<format>`` with the audio. Failures are listed at the
end with their reasons and the command exits 1. ``--json`` prints every result on stdout.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from seesay.backends.base import Backend, DescribeOptions
from seesay.cli.commands_common import (
    ConfigOption,
    KeyOption,
    ServerOption,
    err,
    error_dict,
    expected_errors,
    fail,
    open_backend,
    out,
    print_json,
)

__all__ = ["IMAGE_SUFFIXES", "describe", "expand_inputs", "register"]

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"})
_GLOB_CHARS = frozenset("*?[")


def expand_inputs(items: list[str]) -> tuple[list[str], list[str]]:
    """``(inputs, problems)``: files, folder contents, glob matches and URLs, in order,
    without duplicates; ``problems`` names what matched nothing."""
    found: list[str] = []
    problems: list[str] = []
    for item in items:
        if item.startswith(("http://", "https://")):
            found.append(item)
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            images = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )
            if not images:
                problems.append(f"{item}: no images in this folder")
            found.extend(str(p) for p in images)
        elif path.is_file():
            found.append(str(path))
        elif _GLOB_CHARS & set(item):
            matches = sorted(glob.glob(str(path), recursive=True))
            files = [m for m in matches if Path(m).is_file()]
            if not files:
                problems.append(f"{item}: matched no files")
            found.extend(files)
        else:
            problems.append(f"{item}: no such file or folder")
    unique = list(dict.fromkeys(found))
    return unique, problems


def _stem(item: str) -> str:
    if item.startswith(("http://", "https://")):
        name = item.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return Path(name).stem or "image"
    return Path(item).stem


def _targets(
    item: str, output: Path | None, single: bool, speak: bool, fmt: str
) -> tuple[Path | None, Path | None]:
    """Where the description text and the audio of ``item`` go (None: not written)."""
    if output is not None and single and output.suffix and not output.is_dir():
        # -o FILE: the audio file with --speak, else the text file.
        return (None, output) if speak else (output, None)
    if output is not None:
        folder = output
    elif item.startswith(("http://", "https://")):
        folder = Path.cwd()
    else:
        folder = Path(item).parent
    stem = _stem(item)
    text = folder / f"{stem}.txt" if (output is not None or not single) else None
    audio = folder / f"{stem}.{fmt}" if speak else None
    return text, audio


def describe(
    images: Annotated[list[str], typer.Argument(help="Image files, folders, globs or URLs.")],
    speak: Annotated[bool, typer.Option("--speak", help="Also speak the description.")] = False,
    voice: Annotated[str | None, typer.Option(help="Voice id or alias (eve, rex...).")] = None,
    language: Annotated[str, typer.Option(help="BCP-47 language, or auto.")] = "en",
    detail: Annotated[
        Literal["brief", "standard", "detailed"], typer.Option(help="How much to say.")
    ] = "standard",
    prompt: Annotated[str | None, typer.Option(help="Steer the description.")] = None,
    format: Annotated[str, typer.Option("--format", help="Audio format with --speak.")] = "mp3",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file (one image) or folder.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
    server: ServerOption = None,
    key: KeyOption = None,
    config: ConfigOption = None,
) -> None:
    """Describe images (and speak them with --speak); runs locally unless --server is given."""
    inputs, problems = expand_inputs(images)
    for problem in problems:
        err.print(f"[yellow]skipped[/yellow] {problem}")
    if not inputs:
        fail("no images to describe", code=2)
    single = len(inputs) == 1
    if output is not None and not single and output.suffix and not output.is_dir():
        fail("-o must be a folder when describing several images", code=2)
    if output is not None and (not single or not output.suffix):
        output.mkdir(parents=True, exist_ok=True)
    options = DescribeOptions(detail, language, prompt, speak, voice, format)
    results: list[dict[str, Any]] = []
    with open_backend(server, key, config) as backend:
        try:
            backend.warm(options)
        except expected_errors() as exc:
            fail(error_dict(exc)["message"], code=2)
        progress = Progress(
            TextColumn("[bold]Describing[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}"),
            console=err,
            disable=single,
        )
        with progress:
            task = progress.add_task("describe", total=len(inputs), current="")
            for item in inputs:
                progress.update(task, current=_stem(item))
                results.append(_one(backend, item, output, single, options))
                progress.advance(task)
    failed = [r for r in results if not r["ok"]]
    if as_json:
        print_json(
            {"results": results, "succeeded": len(results) - len(failed), "failed": len(failed)}
        )
    else:
        _print_results(results, single)
    if failed or problems:
        if not as_json and failed:
            _print_failures(failed)
        raise typer.Exit(1)


def _one(
    backend: Backend, item: str, output: Path | None, single: bool, options: DescribeOptions
) -> dict[str, Any]:
    text_to, audio_to = _targets(item, output, single, options.speak, options.format)
    try:
        result = backend.describe(item, options, audio_to)
    except expected_errors() as exc:
        return {"input": item, "ok": False, "error": error_dict(exc)}
    if text_to is not None:
        text_to.write_text(str(result["description"]) + "\n", encoding="utf-8")
        result["text_file"] = str(text_to)
    return {"input": item, "ok": True, **result}


def _print_results(results: list[dict[str, Any]], single: bool) -> None:
    for r in results:
        if not r["ok"]:
            continue
        if not single:
            out.print(f"[bold]{r['input']}[/bold]")
        out.print(r["description"], highlight=False)
        written = [p for p in (r.get("text_file"), r.get("audio")) if p]
        if written:
            err.print(f"  wrote {', '.join(written)}")
    ok = sum(1 for r in results if r["ok"])
    if not single:
        err.print(f"{ok} of {len(results)} images described")


def _print_failures(failed: list[dict[str, Any]]) -> None:
    table = Table("image", "reason", title=f"{len(failed)} failed", title_style="bold red")
    for r in failed:
        table.add_row(r["input"], f"{r['error']['message']} ({r['error']['code']})")
    err.print(table)


def register(app: typer.Typer) -> None:
    app.command("describe")(describe)
