"""``seesay models``: list, pull, remove, verify, export and import models (see
:mod:`seesay.models`). Every command works on the models folder of ``SEESAY_DATA_DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Column, Table

from seesay.cli.commands_common import fail, print_json
from seesay.errors import SeeSayError
from seesay.models import ModelManager, open_manager
from seesay.settings import load_settings

__all__ = ["register"]

err = Console(stderr=True)
out = Console()

models_app = typer.Typer(help="Models you can pull: list, pull, remove, verify, export, import.")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="SEESAY_DATA_DIR", help="Embedded mode's folder."),
]
ConfigFile = Annotated[
    Path | None, typer.Option("--config", envvar="SEESAY_CONFIG", help="TOML settings file.")
]


def _manager(data_dir: Path | None, config: Path | None) -> ModelManager:
    overrides = {"data_dir": data_dir} if data_dir is not None else {}
    settings = load_settings(config, **overrides)
    manager = open_manager(settings.models, settings.data_dir)
    manager.store.sweep()
    return manager


def _size(value: int | None, exact: bool) -> str:
    if value is None:
        return "?"
    text = f"{value / 1e6:,.1f} MB" if value >= 1e6 else f"{value / 1e3:,.1f} kB"
    return text if exact else f"~{text}"


def _state(row: dict[str, Any]) -> str:
    if not row["installed"]:
        return ""
    if row.get("problems"):
        return "[red]damaged[/red]"
    if row.get("load_error"):
        return "[red]fails to load[/red]"
    return "yes, in use" if row.get("chosen") else "yes"


@models_app.command("list")
def list_models(
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array on stdout.")] = False,
    task: Annotated[
        str | None, typer.Option("--task", help="vision, tts, stt or translate.")
    ] = None,
    installed: Annotated[bool, typer.Option("--installed", help="Installed only.")] = False,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """The catalogue, with what is installed."""
    rows = _manager(data_dir, config).entries(task=task, installed_only=installed)
    if as_json:
        print_json(rows)
        return
    table = Table("task", "installed", "size", "licence", "languages", "note")
    table.columns.insert(0, Column("id", no_wrap=True))
    for r in rows:
        langs = r["languages"]
        table.add_row(
            r["id"],
            r["task"],
            _state(r),
            _size(r["size_bytes"], r["size_exact"]),
            r["licence"],
            ", ".join(langs[:4]) + (f" +{len(langs) - 4}" if len(langs) > 4 else ""),
            r["note"],
        )
    out.print(table)


@models_app.command()
def pull(
    model_ids: Annotated[
        list[str], typer.Argument(help="Catalogue ids, e.g. piper:en_US-joe-medium.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Pull installed models again.")] = False,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Download, verify and install models (resumes an interrupted pull)."""
    manager = _manager(data_dir, config)
    for model_id in model_ids:
        try:
            for model in manager.pull(model_id, log=lambda m: err.print(m), force=force):
                err.print(f"[green]ok[/green] {model.id} -> {model.path}")
        except SeeSayError as exc:
            fail(f"{model_id}: {exc.message}")


@models_app.command()
def remove(model_id: str, data_dir: DataDir = None, config: ConfigFile = None) -> None:
    """Uninstall a model."""
    try:
        _manager(data_dir, config).remove(model_id)
    except SeeSayError as exc:
        fail(exc.message)
    err.print(f"removed {model_id}")


@models_app.command()
def use(
    model_id: Annotated[
        str | None, typer.Argument(help="An installed vision model, e.g. vision:florence-2-base.")
    ] = None,
    off: Annotated[
        str | None,
        typer.Option("--off", help="Forget the choice of this task (vision): back to default."),
    ] = None,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Make a pulled model the default engine of its task; a running server follows."""
    manager = _manager(data_dir, config)
    try:
        if off is not None:
            manager.unuse(off)
            err.print(f"no {off} model chosen: the configured default engine serves")
            return
        if model_id is None:
            fail("name a model (seesay models list --installed), or --off TASK")
        entry = manager.use(model_id)
    except SeeSayError as exc:
        fail(exc.message)
    err.print(f"{entry.id} is now the default {entry.task} engine")


@models_app.command()
def verify(
    model_id: Annotated[str | None, typer.Argument(help="One model; default: all.")] = None,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Recheck installed files against their sha256; exit 1 when any differs."""
    try:
        results = _manager(data_dir, config).verify(model_id)
    except SeeSayError as exc:
        fail(exc.message)
    for r in results:
        err.print(f"[green]ok[/green] {r.id}" if r.ok else f"[red]bad[/red] {r.id}")
        for problem in r.problems:
            err.print(f"  {problem}")
    if not all(r.ok for r in results):
        raise typer.Exit(1)


@models_app.command("export")
def export_models(
    model_ids: Annotated[list[str], typer.Argument(help="Installed model ids.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .tar file to write.")],
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Write installed models into one archive (for machines without internet)."""
    try:
        done = _manager(data_dir, config).export(model_ids, output)
    except SeeSayError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"cannot export: {exc} (seesay models verify says which files are damaged)")
    err.print(f"exported {', '.join(done)} to {output}")


@models_app.command("import")
def import_models(archive: Path, data_dir: DataDir = None, config: ConfigFile = None) -> None:
    """Install the models of an archive made by ``export`` (checked before anything is used)."""
    try:
        done = _manager(data_dir, config).import_archive(archive)
    except SeeSayError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(f"cannot read {archive}: {exc}")
    err.print(f"imported {', '.join(done)}")


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")
