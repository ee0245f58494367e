"""Database engines and sessions for SQLite (embedded) and PostgreSQL (distributed).

SQLite serialises writers; to make read-modify-write transactions safe (the credit ledger)
write sessions start with ``BEGIN IMMEDIATE`` so they take the write lock up front instead of
failing on upgrade, while read sessions stay deferred and never block in WAL mode. PostgreSQL
write paths use row locks (``SELECT ... FOR UPDATE``) or conditional updates instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database", "normalise_url"]


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
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("seesay_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
