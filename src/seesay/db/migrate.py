"""Apply Alembic migrations programmatically (``seesay db upgrade`` and first start).

Before migrating a SQLite file that already exists, ``upgrade`` looks at it: a damaged file is
refused, and so is an empty one (no tables) whose folder shows the data folder was used before.
Migrating such a file would silently start over with a new owner account and key, while the
folder's blobs and signing key belong to the lost one. A brand-new folder (no database file yet)
initialises as before.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config

from seesay.db.engine import Database, integrity_problem, sqlite_tables
from seesay.errors import ServiceUnavailable

__all__ = ["alembic_config", "check_existing_file", "upgrade"]

_MIGRATIONS = Path(__file__).with_name("migrations")
# The PostgreSQL advisory lock key that serialises migrators ("sesay").
MIGRATION_LOCK: Final = 7365736179
# A signing key written this long before the database file was last changed predates it: the
# folder was in use before the database was emptied. (On a first start the key is written
# moments before the database file, so a start that crashed while migrating is not refused.)
_KEY_PREDATES_S: Final = 60.0


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision``; idempotent, and safe when several processes start at
    once (``seesay db upgrade`` beside API processes that migrate on start). The migration
    runs in one transaction that first takes a lock, so migrators queue up and each later
    one finds the schema current: on PostgreSQL a transaction-scoped advisory lock, on SQLite
    the write lock (``BEGIN IMMEDIATE``; a deferred transaction that read the old version
    could not upgrade to a writer once another had migrated).

    Raises ``ServiceUnavailable`` for an existing SQLite file that must not be migrated
    (see ``check_existing_file``)."""
    if db.sqlite_path is not None:
        check_existing_file(db.sqlite_path)
    cfg = alembic_config(db.engine.url.render_as_string(hide_password=False))
    engine = db.engine.execution_options(seesay_write=True) if db.is_sqlite else db.engine
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def check_existing_file(path: Path) -> None:
    """Refuse a SQLite file that is damaged, or empty while its folder holds earlier data."""
    if not path.exists():
        return
    try:
        empty = not sqlite_tables(path)
    except sqlite3.DatabaseError as exc:
        raise ServiceUnavailable(_damaged(path, str(exc))) from None
    if not empty:
        problem = integrity_problem(path)
        if problem is not None:
            raise ServiceUnavailable(_damaged(path, problem))
        return
    earlier = _earlier_state(path)
    if earlier:
        raise ServiceUnavailable(
            f"the database file {path} is empty, but its folder holds data from earlier runs "
            f"({', '.join(earlier)}). Starting would create a new owner account and key and "
            "leave that data orphaned, so SeeSay will not start. Restore the database from a "
            "backup, or move the folder's contents away to start afresh."
        )


def _damaged(path: Path, problem: str) -> str:
    return (
        f"the database file {path} is damaged ({problem}), so SeeSay will not start on it. "
        "Restore it from a backup."
    )


def _earlier_state(path: Path) -> list[str]:
    """What in the database's folder shows it was used before: queue, blobs, signing key."""
    folder = path.parent
    found: list[str] = []
    queue = folder / "queue.db"
    if queue.is_file() and queue.stat().st_size > 0:
        found.append("queue.db")
    files = folder / "files"
    if files.is_dir() and any(entry.is_file() for entry in files.rglob("*")):
        found.append("stored files in files/")
    key = folder / "signing.key"
    if key.is_file() and key.stat().st_mtime < path.stat().st_mtime - _KEY_PREDATES_S:
        found.append("signing.key")
    return found
