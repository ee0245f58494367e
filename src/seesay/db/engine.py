"""Database engines and sessions for SQLite (embedded) and PostgreSQL (distributed).

SQLite serialises writers; to make read-modify-write transactions safe (the credit ledger)
write sessions start with ``BEGIN IMMEDIATE`` so they take the write lock up front instead of
failing on upgrade, while read sessions stay deferred and never block in WAL mode. PostgreSQL
write paths use row locks (``SELECT ... FOR UPDATE``) or conditional updates instead.

``check`` is the readiness probe. On SQLite it opens a fresh connection each time, because a
pooled connection answers from its page cache and can keep saying "fine" about a file that has
been damaged underneath it (the requests that miss the cache then fail with 500s).
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from seesay.errors import ServiceUnavailable

__all__ = ["Database", "integrity_problem", "normalise_url", "sqlite_tables"]

SCHEMA_TABLE: Final = "alembic_version"  # present once the schema was created


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and pick the installed psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@dataclass
class Database:
    engine: Engine
    _read: sessionmaker[Session]
    _write: sessionmaker[Session]
    _integrity_next_at: float = field(default=-math.inf, repr=False)
    _integrity_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def connect(cls, url: str, *, echo: bool = False) -> Database:
        url = normalise_url(url)
        is_sqlite = make_url(url).get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        engine = create_engine(url, **kwargs)
        if is_sqlite:
            _configure_sqlite(engine)
        write_engine = engine.execution_options(seesay_write=True) if is_sqlite else engine
        return cls(
            engine=engine,
            _read=sessionmaker(engine, expire_on_commit=False),
            _write=sessionmaker(write_engine, expire_on_commit=False),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite database file, or None (PostgreSQL, or an in-memory database)."""
        name = self.engine.url.database if self.is_sqlite else None
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
        return Path(name)

    def check(self, *, integrity_share: float = 0.01) -> None:
        """Raise unless the database can serve: it answers and holds the SeeSay schema; on a
        SQLite file also ``PRAGMA quick_check`` passes. quick_check reads every page (about
        2.5 ms per MB), so after a pass it runs again only once ``1 / integrity_share`` times
        its own duration has gone by (1%: a 100 MB file about every 25 s, a small one at once);
        after a failure it runs on every call until it passes."""
        path = self.sqlite_path
        if path is None:
            with self.read() as session:
                session.execute(text("SELECT count(*) FROM alembic_version"))
            return
        with self._integrity_lock:
            started = time.monotonic()
            due = started >= self._integrity_next_at
            problem = _check_sqlite_file(path, integrity=due)
            if problem is not None:
                self._integrity_next_at = -math.inf
                raise ServiceUnavailable(f"the database {problem}")
            if due:
                now = time.monotonic()
                self._integrity_next_at = now + (now - started) / integrity_share

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reads; commits nothing by itself."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN
        # would otherwise defeat BEGIN IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        _enable_wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("seesay_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _enable_wal(cur: Any, *, within_s: float = 30.0) -> None:
    """Put the file in WAL mode (a no-op once it is). Switching a new file needs an exclusive
    lock, and SQLite answers "database is locked" at once, without waiting in the busy handler,
    while another process holds a lock on it: two processes opening a fresh database together
    would otherwise fail one of them."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _open_existing(path: Path) -> sqlite3.Connection:
    # mode=rw: a probe must never create the file it is looking for.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=5)


def sqlite_tables(path: Path) -> set[str]:
    """The tables in an existing SQLite file, read on a fresh connection (none when the file
    is empty); ``sqlite3.DatabaseError`` when it is not a readable database."""
    with closing(_open_existing(path)) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(name) for (name,) in rows}


def integrity_problem(path: Path) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with an existing SQLite file, or None."""
    try:
        with closing(_open_existing(path)) as conn:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _check_sqlite_file(path: Path, *, integrity: bool) -> str | None:
    """Why the SQLite file cannot serve (missing, unreadable, no schema, damaged), or None."""
    if not path.exists():
        return "file is missing"
    try:
        tables = sqlite_tables(path)
    except sqlite3.DatabaseError as exc:
        return f"file is unreadable: {exc}"
    if SCHEMA_TABLE not in tables:
        return "file holds no SeeSay schema (emptied or replaced)"
    if integrity and (problem := integrity_problem(path)) is not None:
        return f"file failed its integrity check: {problem}"
    return None
