"""First start and restarts on a SQLite data folder: a new folder initialises, a used folder
whose database file was emptied or damaged is refused instead of silently starting over."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from seesay.cli.bootstrap import ensure_owner
from seesay.errors import ServiceUnavailable
from seesay.platform import Platform
from seesay.settings import load_settings


def start(data_dir: Path) -> tuple[str, str | None]:
    """Build the platform as ``seesay serve`` does; (owner account id, key if just created)."""
    platform = Platform.build(load_settings(data_dir=data_dir))
    try:
        owner = ensure_owner(platform)
    finally:
        platform.close()
    return owner.account_id, owner.key


def used_folder(tmp_path: Path) -> tuple[Path, str]:
    """A data folder after a first start, its signing key an hour old."""
    data = tmp_path / "data"
    owner, key = start(data)
    assert key is not None
    hour_ago = time.time() - 3600
    os.utime(data / "signing.key", (hour_ago, hour_ago))
    return data, owner


def test_a_new_folder_initialises_and_a_restart_keeps_the_owner(tmp_path: Path) -> None:
    data, owner = used_folder(tmp_path)
    assert start(data) == (owner, None)


def test_an_emptied_database_in_a_used_folder_is_refused(tmp_path: Path) -> None:
    data, _ = used_folder(tmp_path)
    (data / "seesay.db").write_bytes(b"")
    with pytest.raises(ServiceUnavailable, match=r"seesay\.db is empty.*queue\.db.*signing\.key"):
        start(data)
    assert (data / "seesay.db").stat().st_size == 0  # left as found, no new owner written


def test_the_signing_key_alone_shows_earlier_use(tmp_path: Path) -> None:
    data, _ = used_folder(tmp_path)
    (data / "queue.db").unlink()
    (data / "seesay.db").write_bytes(b"")
    with pytest.raises(ServiceUnavailable, match=r"earlier runs \(signing\.key\)"):
        start(data)


def test_a_damaged_database_is_refused(tmp_path: Path) -> None:
    data, _ = used_folder(tmp_path)
    path = data / "seesay.db"
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(4096)
        f.write(bytes(range(256)) * ((size - 4096) // 256))
    with pytest.raises(ServiceUnavailable, match=r"seesay\.db is damaged"):
        start(data)


def test_a_first_start_that_died_before_migrating_starts_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "signing.key").write_text("k" * 64 + "\n")  # written just before the database
    with closing(sqlite3.connect(data / "seesay.db")) as conn:
        conn.execute("PRAGMA journal_mode=WAL")  # the file now has a header and no tables
    assert (data / "seesay.db").stat().st_size > 0
    _, key = start(data)
    assert key is not None


def test_the_command_line_says_why_and_exits_1(tmp_path: Path) -> None:
    data, _ = used_folder(tmp_path)
    (data / "seesay.db").write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "seesay.cli.main", "db", "upgrade", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "400"},
        check=False,
    )
    assert done.returncode == 1
    assert "is empty, but its folder holds data from earlier runs" in done.stderr
    assert "Traceback" not in done.stderr


def test_two_servers_starting_at_once_make_one_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both processes find no owner before either has made one; the database refuses the
    second owner, and the second process takes the first one's (no second key printed)."""
    platform = Platform.build(load_settings(data_dir=tmp_path / "data"))
    try:
        first = ensure_owner(platform)
        assert first.key is not None
        # The second process looked before the first had committed: it saw no owner.
        real_find = platform.accounts.find_owner
        looks = iter([None])
        monkeypatch.setattr(platform.accounts, "find_owner", lambda: next(looks, real_find()))
        second = ensure_owner(platform)
        assert second == type(second)(first.account_id, None)
        owners = [a for a in platform.accounts.list_accounts() if a.is_owner]
        assert [a.id for a in owners] == [first.account_id]
    finally:
        platform.close()


def test_a_database_that_already_holds_two_owners_upgrades_keeping_the_oldest(
    tmp_path: Path,
) -> None:
    """The race the one-owner index closes may already have happened: the upgrade keeps the
    oldest owner instead of failing on the index."""
    from sqlalchemy import text

    from seesay.db.engine import Database
    from seesay.db.migrate import upgrade

    db = Database.connect(f"sqlite:///{tmp_path / 'two.db'}")
    try:
        upgrade(db, "0005_job_request_id")
        with db.engine.begin() as conn:
            for account_id, made in (("acct_first", "2026-01-01"), ("acct_second", "2026-01-02")):
                conn.execute(
                    text(
                        "INSERT INTO accounts (id, name, plan, is_owner, created_at) "
                        "VALUES (:id, 'owner', 'paid', 1, :made)"
                    ),
                    {"id": account_id, "made": made},
                )
        upgrade(db)
        with db.engine.connect() as conn:
            owners = conn.execute(text("SELECT id FROM accounts WHERE is_owner")).scalars().all()
        assert owners == ["acct_first"]
    finally:
        db.engine.dispose()
