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


@contextmanager
def moto_s3(bucket: str = "seesay") -> Iterator[str]:
    """A real S3 API (moto's server) on a loopback port with ``bucket`` made; yields its
    endpoint URL. Credentials: ``testing`` / ``testing``."""
    import subprocess
    import sys

    import boto3

    from support.live import free_port, wait_until_ready

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{endpoint}/moto-api/", proc=proc)
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)
