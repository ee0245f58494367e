"""The machine's real PostgreSQL and Redis, isolated per test."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379"


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except Exception:
        return False


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping())
    except Exception:
        return False


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new, empty database on the local server; dropped afterwards."""
    import psycopg

    if not _pg_available():
        pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432 (see README: test services)")
    name = "seesay_t_" + secrets.token_hex(6)
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_redis(db: int = 11) -> Iterator[str]:
    """A flushed Redis logical database, flushed again afterwards."""
    import redis

    if not _redis_available():
        pytest.fail("Redis is not reachable on 127.0.0.1:6379 (see README: test services)")
    url = f"{REDIS}/{db}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
