"""``seesay db upgrade`` is idempotent and safe when processes start at once: two processes
released together by a barrier migrate a fresh database, on PostgreSQL and on SQLite; the
control races the same migration without the lock and shows the race is real."""

from __future__ import annotations

import multiprocessing as mp
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from seesay.db import Database, upgrade
from seesay.db.migrate import alembic_config
from seesay.db.models import Base
from support.live import run_cli
from support.services import fresh_postgres

_fork = mp.get_context("fork")  # the children need none of the parent's threads


def _migrate(url: str, barrier: Any, results: Any, locked: bool) -> None:
    """A child: connect, wait for the other, migrate (with ``upgrade``, or with alembic
    alone when not ``locked``); reports "ok" or the error."""
    try:
        db = Database.connect(url)
        barrier.wait(timeout=60)
        if locked:
            upgrade(db)
        else:
            cfg = alembic_config(db.engine.url.render_as_string(hide_password=False))
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        db.dispose()
        results.put("ok")
    except BaseException:
        results.put(traceback.format_exc(limit=3))


def _race(url: str, *, locked: bool = True) -> list[str]:
    barrier = _fork.Barrier(2)
    results = _fork.Queue()
    children = [
        _fork.Process(target=_migrate, args=(url, barrier, results, locked)) for _ in range(2)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=30)
    return outcomes


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def _schema(url: str) -> tuple[list[str], set[str]]:
    db = Database.connect(url)
    try:
        with db.engine.connect() as conn:
            versions = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
            tables = set(inspect(conn).get_table_names())
    finally:
        db.dispose()
    return versions, tables


@pytest.fixture(params=["postgresql", "sqlite"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'seesay.db'}"
        return
    with fresh_postgres() as url:
        yield url


def test_two_processes_upgrading_a_fresh_database_at_once_both_succeed(fresh_url: str) -> None:
    assert _race(fresh_url) == ["ok", "ok"]
    versions, tables = _schema(fresh_url)
    assert versions == [_head()]
    assert set(Base.metadata.tables) <= tables
    assert _race(fresh_url) == ["ok", "ok"]  # and again, on a current schema: nothing to do
    assert _schema(fresh_url) == (versions, tables)


def test_without_the_lock_the_same_race_fails() -> None:
    """The control: alembic alone, raced the same way on PostgreSQL, breaks."""
    with fresh_postgres() as url:
        outcomes = _race(url, locked=False)
    assert "ok" in outcomes
    assert any(o != "ok" for o in outcomes), outcomes


def test_db_upgrade_command_is_idempotent(tmp_path: Path) -> None:
    with fresh_postgres() as url:
        env = {"SEESAY_DATA_DIR": str(tmp_path), "SEESAY_DATABASE_URL": url}
        for _ in range(2):
            done = run_cli("db", "upgrade", env=env)
            assert done.returncode == 0, done.stderr
            assert "database is up to date" in done.stdout
        assert _schema(url)[0] == [_head()]
