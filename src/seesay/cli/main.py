"""The ``seesay`` command line.

Every command reads settings once (``SEESAY_*`` environment, ``--config`` TOML file,
``--data-dir``) and builds what it needs from them.
"""

from __future__ import annotations

import logging
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from seesay.accounts.plans import CREDIT, PLANS
from seesay.engines.ort_offline import disable_ort_telemetry
from seesay.errors import SeeSayError
from seesay.settings import Settings, load_settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="seesay",
    help="SeeSay: sees an image and says what is in it.",
    no_args_is_help=True,
    add_completion=False,
)
keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
credits_app = typer.Typer(help="Grant credits and read balances.", no_args_is_help=True)
accounts_app = typer.Typer(help="Create and list accounts.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(credits_app, name="credits")
app.add_typer(accounts_app, name="accounts")
app.add_typer(db_app, name="db")

err = Console(stderr=True)
out = Console()

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", envvar="SEESAY_DATA_DIR", help="Embedded mode's folder."),
]
ConfigFile = Annotated[
    Path | None, typer.Option("--config", envvar="SEESAY_CONFIG", help="TOML settings file.")
]


def _settings(data_dir: Path | None, config: Path | None, **extra: Any) -> Settings:
    overrides = {k: v for k, v in extra.items() if v is not None}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    return load_settings(config, **overrides)


def _configure_logging(settings: Settings) -> dict[str, Any]:
    """Apply the server's logging (``log_level``, ``log_format``); returns the configuration
    for uvicorn to apply again."""
    from logging.config import dictConfig

    from seesay.logs import logging_config

    config = logging_config(settings.log_level, settings.log_format)
    dictConfig(config)
    return config


def _platform(settings: Settings) -> Any:
    from seesay.platform import Platform

    return Platform.build(settings)


def _millicredits(value: str) -> int:
    try:
        amount = Decimal(value) * CREDIT
    except InvalidOperation:
        raise typer.BadParameter(f"{value!r} is not a number of credits") from None
    if amount != amount.to_integral_value() or amount <= 0:
        raise typer.BadParameter("credits must be positive with at most 3 decimals")
    return int(amount)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    pull: Annotated[
        list[str] | None,
        typer.Option("--pull", help="Pull this catalogue model first (repeatable)."),
    ] = None,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Start the API server (creating the data folder and owner key on first run)."""
    import uvicorn

    from seesay.api import create_app
    from seesay.cli.bootstrap import ensure_owner

    settings = _settings(data_dir, config, host=host, port=port)
    log_config = _configure_logging(settings)
    if pull:
        from seesay.models import open_manager

        manager = open_manager(settings.models, settings.data_dir)
        for model_id in pull:  # an error ends the command before serving (main prints it)
            if model_id not in manager.store.installed():
                manager.pull(model_id, log=err.print)
    platform = _platform(settings)
    owner = ensure_owner(platform)
    if owner.key:
        err.print("[bold]Created the owner account.[/bold] Its API key is shown once; keep it:\n")
        print(owner.key, flush=True)
        err.print()
    logging.getLogger("seesay.serve").info(
        "SeeSay listening on http://%s:%s (data: %s, queue: %s)",
        settings.host,
        settings.port,
        settings.data_dir,
        "embedded" if settings.embedded_queue else "redis",
    )
    application = create_app(settings, platform=platform)
    uvicorn.run(
        application,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=log_config,
        access_log=False,  # the request middleware logs each request (seesay.logs)
        proxy_headers=False,
    )


@app.command()
def worker(
    threads: Annotated[int, typer.Option(help="Jobs run at once in this process.")] = 2,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Consume the job queue (distributed mode: point SEESAY_QUEUE_URL at Redis)."""
    settings = _settings(data_dir, config)
    _configure_logging(settings)
    platform = _platform(settings)
    logging.getLogger("seesay.worker").info(
        "SeeSay worker: %d threads on %s", threads, _redact(settings.queue_url or "")
    )
    try:
        platform.runtime.consumer(threads)()
    finally:
        platform.close()


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None, config: ConfigFile = None) -> None:
    """Apply database migrations."""
    from seesay.db import Database, upgrade

    settings = _settings(data_dir, config)
    assert settings.database_url
    db = Database.connect(settings.database_url)
    upgrade(db)
    db.dispose()
    out.print("database is up to date")


def _backup_locations(settings: Settings) -> Any:
    from seesay.services.backup import BackupLocations
    from seesay.storage import open_blob_store
    from seesay.storage.local import LocalBlobStore

    assert settings.database_url
    assert settings.storage_url
    store = open_blob_store(settings.storage_url)
    root = store.root if isinstance(store, LocalBlobStore) else None
    return BackupLocations(settings.database_url, settings.data_dir, root)


@app.command()
def backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="The archive to write.")],
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Back up the database, the stored files and the signing key into one archive (.tar.gz),
    safely while the server runs.

    SQLite (the default) is copied with SQLite's online backup API, as one consistent
    snapshot. Where SEESAY_DATABASE_URL is PostgreSQL, the database is dumped with pg_dump
    (custom format, one snapshot transaction): the PostgreSQL client tools must be installed,
    at the server's major version or newer; a password in the URL is passed to them in the
    environment, never on their command line. Files in the folder storage are included; S3
    storage is not (use the bucket's versioning or replication). A signing secret set in
    SEESAY_SIGNING_SECRETS is not included either: keep it with your configuration.
    """
    from seesay.services.backup import backup as make_backup

    settings = _settings(data_dir, config)
    summary = make_backup(_backup_locations(settings), output)
    out.print(
        f"backed up the {summary.database} database (schema {summary.schema_revision}), "
        f"{summary.files} stored files{' and the signing key' if summary.signing_key else ''} "
        f"to {output}"
    )


@app.command()
def restore(
    archive: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help="An archive written by seesay backup."),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database or files already there.")
    ] = False,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Restore an archive of seesay backup into the configured data folder (or database), with
    the server stopped. Refuses a target that already holds data unless --force.

    A SQLite backup restores into a SQLite database file; a PostgreSQL backup restores with
    pg_restore (--clean --single-transaction) into the database SEESAY_DATABASE_URL names,
    which must exist. A backup of an older version is migrated on the next start (or by
    seesay db upgrade).
    """
    from seesay.services.backup import restore as restore_backup

    settings = _settings(data_dir, config)
    summary = restore_backup(_backup_locations(settings), archive, force=force)
    out.print(
        f"restored the {summary.database} database of {summary.created_at} "
        f"(schema {summary.schema_revision}) and {summary.files} stored files"
    )


@accounts_app.command("create")
def accounts_create(
    name: str,
    email: Annotated[str | None, typer.Option(help="Contact email.")] = None,
    plan: Annotated[str, typer.Option(help=f"One of {', '.join(PLANS)}.")] = "free",
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Create an account; prints its id on the last line."""
    platform = _platform(_settings(data_dir, config))
    account = platform.accounts.create_account(name, plan=plan, email=email)
    print(account.id)


@accounts_app.command("list")
def accounts_list(data_dir: DataDir = None, config: ConfigFile = None) -> None:
    platform = _platform(_settings(data_dir, config))
    table = Table("id", "name", "plan", "email", "created")
    for a in platform.accounts.list_accounts():
        table.add_row(
            a.id, a.name, a.plan, a.email or "", a.created_at.isoformat(timespec="seconds")
        )
    out.print(table)


@keys_app.command("create")
def keys_create(
    account: Annotated[
        str | None, typer.Option(help="Account id; default: a new account for this key.")
    ] = None,
    name: Annotated[str, typer.Option(help="A label for the key.")] = "",
    plan: Annotated[str | None, typer.Option(help="free, starter or paid.")] = None,
    credits: Annotated[str | None, typer.Option(help="Credits to grant (purchased pool).")] = None,
    test: Annotated[bool, typer.Option("--test", help="A test-mode key.")] = False,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Create an API key. The key is printed alone on the last line."""
    amount = _millicredits(credits) if credits else None
    platform = _platform(_settings(data_dir, config))
    mode = "test" if test else "live"
    if account is None:
        created_account = platform.accounts.create_account(name or "api", plan=plan or "free")
        account = created_account.id
        err.print(f"created account {account} on plan {created_account.plan}")
    elif plan:
        platform.accounts.set_plan(account, plan)
    if amount:
        platform.ledger.grant(account, amount, mode=mode, note="granted with keys create")
    created = platform.accounts.create_key(account, mode=mode, name=name)
    err.print(f"key {created.view.id} ({mode}) for {account}; shown once:")
    print(created.key, flush=True)


@keys_app.command("list")
def keys_list(
    account: Annotated[str, typer.Option(help="Account id.")],
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    platform = _platform(_settings(data_dir, config))
    table = Table("id", "hint", "mode", "name", "created", "revoked")
    for k in platform.accounts.list_keys(account):
        table.add_row(
            k.id,
            k.hint,
            k.mode,
            k.name,
            k.created_at.isoformat(timespec="seconds"),
            k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: str,
    account: Annotated[str, typer.Option(help="Account id owning the key.")],
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    platform = _platform(_settings(data_dir, config))
    view = platform.accounts.revoke_key(account, key_id)
    out.print(f"revoked {view.id}")


@credits_app.command("grant")
def credits_grant(
    account: str,
    credits: str,
    test: Annotated[bool, typer.Option("--test", help="Grant test-mode credits.")] = False,
    monthly: Annotated[
        bool, typer.Option("--monthly", help="Into the monthly pool (reset each month).")
    ] = False,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    """Add credits to an account."""
    amount = _millicredits(credits)
    platform = _platform(_settings(data_dir, config))
    b = platform.ledger.grant(
        account,
        amount,
        mode="test" if test else "live",
        pool="monthly" if monthly else "purchased",
        note="granted by operator",
    )
    out.print(f"balance {b.total / CREDIT:g} credits")


@credits_app.command("balance")
def credits_balance(
    account: str,
    test: Annotated[bool, typer.Option("--test", help="The test-mode balance.")] = False,
    data_dir: DataDir = None,
    config: ConfigFile = None,
) -> None:
    platform = _platform(_settings(data_dir, config))
    b = platform.ledger.balances(account, "test" if test else "live")
    out.print(
        f"{b.total / CREDIT:g} credits (monthly {b.monthly / CREDIT:g}, "
        f"purchased {b.purchased / CREDIT:g}, resets {b.reset_at:%Y-%m-%d})"
    )


def _register_client_commands() -> None:
    """describe, speak, transcribe, translate, voices, mcp and models."""
    from seesay.cli import commands_describe, commands_mcp, commands_models, commands_voice

    commands_describe.register(app)
    commands_voice.register(app)
    commands_mcp.register(app)
    commands_models.register(app)


_register_client_commands()


def _redact(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(parts.password, "***")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def main() -> None:
    # Before any command can import an engine: the server and its workers stay offline.
    disable_ort_telemetry()
    # Warnings of every command pass the secret filter too; serve and worker then apply
    # the configured level and format.
    from logging.config import dictConfig

    from seesay.logs import logging_config

    dictConfig(logging_config("warning"))
    try:
        app()
    except SeeSayError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        sys.exit(1)


if __name__ == "__main__":
    main()
