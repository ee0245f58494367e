"""Apply Alembic migrations programmatically (``seesay db upgrade`` and first start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from seesay.db.engine import Database

__all__ = ["alembic_config", "upgrade"]

_MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to ``revision``. Safe to run concurrently on PostgreSQL: a session
    advisory lock serialises migrators; on SQLite the file lock does the same."""
    cfg = alembic_config(db.engine.url.render_as_string(hide_password=False))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7365736179)")  # "sesay"
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
