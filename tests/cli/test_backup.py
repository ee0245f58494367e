"""``seesay backup`` while the server writes, and ``seesay restore`` into a fresh data folder:
keys still authenticate, balances are the same and signed audio URLs serve the same bytes. On
PostgreSQL through pg_dump and pg_restore."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from seesay.api import create_app
from seesay.cli.main import app as cli
from seesay.errors import ServiceUnavailable
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import TestKey, make_key
from support.live import serve_app
from support.services import fresh_postgres


def _auth(key: TestKey) -> dict[str, str]:
    return {"Authorization": f"Bearer {key.key}"}


class _Load:
    """Speech requests in a loop on one thread (each writes ledger rows and an audio file),
    with the time span of each."""

    def __init__(self, base: str, key: TestKey) -> None:
        self.spans: list[tuple[float, float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(base, key), daemon=True)

    def _run(self, base: str, key: TestKey) -> None:
        with httpx.Client(base_url=base, headers=_auth(key), timeout=60) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                r = client.post("/v1/speech", json={"text": f"Load {len(self.spans)}."})
                self.spans.append((started, time.monotonic(), r.status_code))

    def __enter__(self) -> _Load:
        self._thread.start()
        deadline = time.monotonic() + 60
        while len(self.spans) < 2:  # the engine is loaded: requests now write steadily
            assert time.monotonic() < deadline, "the load never got going"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def test_backup_under_load_restores_keys_balances_and_audio(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "live")
    archive = tmp_path / "backup.tar.gz"
    platform = Platform.build(settings)
    try:
        with serve_app(create_app(settings, platform=platform)) as base:
            kept = make_key(platform, credits=20)
            spoken = httpx.post(
                f"{base}/v1/speech",
                json={"text": "Kept for the backup.", "format": "wav"},
                headers=_auth(kept),
                timeout=60,
            )
            assert spoken.status_code == 200, spoken.text
            url = urlsplit(spoken.json()["audio_url"])
            audio_path = f"{url.path}?{url.query}"
            audio = httpx.get(f"{base}{audio_path}", timeout=10).content
            kept_balance = platform.ledger.balances(kept.account_id, "live").total
            loaded = make_key(platform, credits=100)
            with _Load(base, loaded) as load:
                started = time.monotonic()
                made = CliRunner().invoke(
                    cli, ["backup", "-o", str(archive), "--data-dir", str(settings.data_dir)]
                )
                finished = time.monotonic()
                time.sleep(0.3)  # a request or two after the backup too
            loaded_after = platform.ledger.balances(loaded.account_id, "live").total
    finally:
        platform.close()
    assert made.exit_code == 0, made.output
    assert "backed up the sqlite database" in made.output
    # Requests were writing while the backup ran, and all of them succeeded.
    assert any(s < finished and e > started for s, e, _ in load.spans)
    assert {status for _, _, status in load.spans} == {200}

    fresh = tmp_path / "restored"
    restored = CliRunner().invoke(cli, ["restore", str(archive), "--data-dir", str(fresh)])
    assert restored.exit_code == 0, restored.output
    again = load_settings(data_dir=fresh)
    platform = Platform.build(again)
    try:
        with TestClient(create_app(again, platform=platform)) as client:
            assert client.get("/v1/account", headers=_auth(kept)).status_code == 200
            assert client.get("/v1/account", headers=_auth(loaded)).status_code == 200
            assert platform.ledger.balances(kept.account_id, "live").total == kept_balance
            # The load's account holds the balance of some moment during the backup.
            snapshot = platform.ledger.balances(loaded.account_id, "live").total
            assert loaded_after <= snapshot <= 100_000
            served = client.get(audio_path)
            assert served.status_code == 200
            assert served.content == audio
    finally:
        platform.close()

    # The control: a folder that holds data is not restored over without --force.
    refused = CliRunner().invoke(cli, ["restore", str(archive), "--data-dir", str(fresh)])
    assert isinstance(refused.exception, ServiceUnavailable)
    assert "already holds a database and stored files" in refused.exception.message


def test_backup_and_restore_on_postgresql(tmp_path: Path) -> None:
    with fresh_postgres() as source_url, fresh_postgres() as target_url:
        settings = load_settings(data_dir=tmp_path / "live", database_url=source_url)
        platform = Platform.build(settings)
        try:
            key = make_key(platform, credits=7)
            blob_id = platform.storage.put(b"RIFF-bytes", content_type="audio/wav", suffix=".wav")
            balance = platform.ledger.balances(key.account_id, "live").total
        finally:
            platform.close()
        archive = tmp_path / "pg.tar.gz"
        made = CliRunner().invoke(
            cli,
            ["backup", "-o", str(archive), "--data-dir", str(settings.data_dir)],
            env={"SEESAY_DATABASE_URL": source_url},
        )
        assert made.exit_code == 0, made.output
        assert "backed up the postgresql database" in made.output
        env = {"SEESAY_DATABASE_URL": target_url}
        fresh = tmp_path / "restored"
        restored = CliRunner().invoke(
            cli, ["restore", str(archive), "--data-dir", str(fresh)], env=env
        )
        assert restored.exit_code == 0, restored.output
        again = load_settings(data_dir=fresh, database_url=target_url)
        platform = Platform.build(again)
        try:
            assert platform.accounts.authenticate(key.key).account_id == key.account_id
            assert platform.ledger.balances(key.account_id, "live").total == balance
            assert platform.storage.get(blob_id) == b"RIFF-bytes"
        finally:
            platform.close()
        # A SQLite folder cannot take a PostgreSQL backup.
        mixed = CliRunner().invoke(
            cli, ["restore", str(archive), "--data-dir", str(tmp_path / "sqlite")]
        )
        assert mixed.exception is not None
        assert "restore it into the same kind of database" in str(mixed.exception)


@pytest.mark.parametrize("content", [b"not an archive", b""])
def test_restore_refuses_what_is_not_a_backup(tmp_path: Path, content: bytes) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(content)
    result = CliRunner().invoke(cli, ["restore", str(bogus), "--data-dir", str(tmp_path / "d")])
    assert result.exception is not None
    assert "not a SeeSay backup" in str(result.exception)


def test_the_archive_is_private_and_an_incomplete_one_is_refused(tmp_path: Path) -> None:
    """The archive holds the signing key and every account: only its owner may read it. An
    archive whose manifest is fine but whose database is missing is refused in words."""
    import tarfile

    data = tmp_path / "data"
    platform = Platform.build(load_settings(data_dir=data))
    try:
        make_key(platform)
    finally:
        platform.close()
    archive = tmp_path / "seesay.tar.gz"
    made = CliRunner().invoke(cli, ["backup", "-o", str(archive), "--data-dir", str(data)])
    assert made.exit_code == 0, made.output
    assert archive.stat().st_mode & 0o777 == 0o600

    cut = tmp_path / "cut.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(cut, "w:gz") as dst:
        for member in src.getmembers():
            if member.name.startswith("database/"):
                continue
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
    restored = CliRunner().invoke(cli, ["restore", str(cut), "--data-dir", str(tmp_path / "d")])
    assert restored.exception is not None
    assert "the backup is incomplete" in str(restored.exception)
    assert not isinstance(restored.exception, FileNotFoundError)
