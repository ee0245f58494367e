"""What the client commands share: options, output, error reporting, and running one piece
of work on a backend (:mod:`seesay.backends`: in this process, or on a SeeSay server)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from seesay.backends.base import Backend, error_dict, expected_errors
from seesay.backends.choose import open_backend as open_any_backend

__all__ = [
    "ConfigOption",
    "KeyOption",
    "ServerOption",
    "error_dict",
    "expected_errors",
    "fail",
    "on_backend",
    "open_backend",
    "print_json",
]

T = TypeVar("T")

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


@contextmanager
def model_loading(task: str, name: str) -> Iterator[None]:
    """Shown around an engine's first load (the slow part of a first run)."""
    started = time.perf_counter()
    with err.status(f"Loading the {task} engine [bold]{name}[/bold]..."):
        yield
    err.print(f"Loaded the {task} engine {name} in {time.perf_counter() - started:.1f} s")


@contextmanager
def open_backend(
    server: str | None, key: str | None, config: Path | None = None
) -> Iterator[Backend]:
    """The remote backend when ``server`` is given, else the local one (with a spinner
    around model loads)."""
    if server and not key:
        fail("--server needs --key (or SEESAY_API_KEY)", code=2)
    with open_any_backend(server, key, config, on_load=model_loading) as backend:
        yield backend


def on_backend(
    server: str | None, key: str | None, config: Path | None, work: Callable[[Backend], T]
) -> T:
    """``work`` on the chosen backend; an expected error ends the command with its message."""
    with open_backend(server, key, config) as backend:
        try:
            return work(backend)
        except expected_errors() as exc:
            fail(error_dict(exc)["message"])
