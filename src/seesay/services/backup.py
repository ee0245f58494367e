"""Backups of a SeeSay installation: the database, the stored files and the signing key, in one
archive, taken while the server runs.

The archive is a gzipped tar::

    seesay-backup.json     manifest: format, time, database kind, schema revision, file count
    database/seesay.db     SQLite: a copy made with SQLite's online backup API
    database/seesay.pgdump PostgreSQL: ``pg_dump --format=custom`` (one snapshot transaction)
    signing.key            the data folder's URL-signing secret (signed URLs and webhook
                           secrets derive from it), when the folder holds one
    files/objects/...      the folder storage's objects (S3 storage is not copied: use the
                           bucket's versioning or replication)

Consistency while requests write: the database is copied first, as one snapshot, then the
files. A stored file is complete before any row can name it (the store publishes it with an
atomic rename, and services write rows after storing), so every file the snapshot refers to is
already there when the files are copied; files written later are copied too or left out, and
either way nothing in the snapshot points at a missing one. Writes in progress (``tmp/``) are
never copied. The queue database is not copied: jobs live in the main database, and the reaper
re-sends queued jobs whose queue message is gone.

``restore`` refuses a target that already holds data unless ``force`` is given; it is meant for
a stopped server and a fresh data folder (or database).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy.engine import make_url

from seesay import __version__
from seesay.db.engine import SCHEMA_TABLE, Database, normalise_url, sqlite_tables
from seesay.errors import InvalidRequest, ServiceUnavailable

__all__ = ["BackupLocations", "BackupSummary", "backup", "restore"]

FORMAT: Final = 1
MANIFEST: Final = "seesay-backup.json"
SQLITE_MEMBER: Final = "database/seesay.db"
PGDUMP_MEMBER: Final = "database/seesay.pgdump"
KEY_MEMBER: Final = "signing.key"
FILES_PREFIX: Final = "files/"


@dataclass(frozen=True, slots=True)
class BackupLocations:
    """Where an installation keeps its state."""

    database_url: str
    data_dir: Path
    storage_root: Path | None  # the folder storage's root; None for S3

    @property
    def is_postgres(self) -> bool:
        return make_url(normalise_url(self.database_url)).get_backend_name() == "postgresql"

    @property
    def sqlite_path(self) -> Path:
        database = make_url(normalise_url(self.database_url)).database
        if not database or database == ":memory:":
            raise InvalidRequest("an in-memory database cannot be backed up or restored")
        return Path(database)

    @property
    def signing_key(self) -> Path:
        return self.data_dir / "signing.key"


@dataclass(frozen=True, slots=True)
class BackupSummary:
    database: str  # sqlite | postgresql
    schema_revision: str | None
    files: int
    signing_key: bool
    created_at: str


def backup(at: BackupLocations, out: Path) -> BackupSummary:
    """Write the archive of ``at`` to ``out`` (replaced atomically when complete)."""
    out = out.expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".seesay-backup-", dir=out.parent) as work:
        scratch = Path(work)
        if at.is_postgres:
            member, dumped = PGDUMP_MEMBER, _pg_dump(at.database_url, scratch / "db.pgdump")
        else:
            member, dumped = SQLITE_MEMBER, _sqlite_snapshot(at.sqlite_path, scratch / "db")
        partial = out.with_name(f".{out.name}.{os.getpid()}.part")
        try:
            # Level 1: stored audio hardly compresses; the database compresses well anyway.
            # The archive holds the signing key and every account: readable by its owner only.
            partial.touch(mode=0o600)
            partial.chmod(0o600)
            with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
                tar.add(dumped, member)
                has_key = at.signing_key.is_file()
                if has_key:
                    tar.add(at.signing_key, KEY_MEMBER)
                files = _add_files(tar, at.storage_root)
                summary = BackupSummary(
                    "postgresql" if at.is_postgres else "sqlite",
                    _revision(at, dumped),
                    files,
                    has_key,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                )
                _add_json(
                    tar, MANIFEST, {"format": FORMAT, "seesay": __version__, **_dict(summary)}
                )
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return summary


def restore(at: BackupLocations, archive: Path, *, force: bool = False) -> BackupSummary:
    """Put the archive's database, files and signing key in place at ``at``.

    Raises ``InvalidRequest`` when the archive is not a SeeSay backup or its database kind
    differs from the target's, and ``ServiceUnavailable`` when the target already holds data
    and ``force`` is not given."""
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed below
    except tarfile.TarError as exc:
        raise InvalidRequest(f"{archive} is not a SeeSay backup ({exc})") from None
    with tar:
        summary = _manifest(tar)
        wanted = "postgresql" if at.is_postgres else "sqlite"
        if summary.database != wanted:
            raise InvalidRequest(
                f"the backup holds a {summary.database} database and the target is {wanted}; "
                "restore it into the same kind of database"
            )
        database_member = PGDUMP_MEMBER if at.is_postgres else SQLITE_MEMBER
        members = set(tar.getnames())
        for needed in (database_member, *([KEY_MEMBER] if summary.signing_key else [])):
            if needed not in members:
                raise InvalidRequest(f"the backup is incomplete: it has no {needed}")
        if not force:
            _refuse_existing_data(at)
        if summary.files and at.storage_root is None:
            raise InvalidRequest(
                "the backup holds stored files but the target stores files in S3; restore "
                "with folder storage, or copy the files into the bucket yourself"
            )
        at.data_dir.mkdir(parents=True, exist_ok=True)
        # Unpacked beside the data, on its filesystem: the files then move into place.
        with tempfile.TemporaryDirectory(prefix=".seesay-restore-", dir=at.data_dir) as work:
            scratch = Path(work)
            tar.extractall(scratch, filter="data")
            if at.is_postgres:
                _pg_restore(at.database_url, scratch / PGDUMP_MEMBER)
            else:
                _put_sqlite(scratch / SQLITE_MEMBER, at.sqlite_path)
            if summary.signing_key:
                _replace_file(scratch / KEY_MEMBER, at.signing_key, mode=0o600)
            if at.storage_root is not None and (scratch / "files").is_dir():
                _merge_tree(scratch / "files", at.storage_root)
    return summary


# -- the database --------------------------------------------------------------------------


def _sqlite_snapshot(source: Path, dest: Path) -> Path:
    """A self-contained copy of the live SQLite file, made with the online backup API in one
    step (one read transaction: a consistent snapshot; in WAL mode writers go on meanwhile)."""
    if not source.is_file():
        raise ServiceUnavailable(f"the database file {source} does not exist")
    with (
        closing(sqlite3.connect(source, timeout=30)) as src,
        closing(sqlite3.connect(dest)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        problems = [str(r[0]) for r in dst.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        raise ServiceUnavailable(f"the database copy failed its check: {'; '.join(problems[:3])}")
    return dest


def _put_sqlite(copy: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)  # a leftover journal would be replayed onto the copy
    _replace_file(copy, target, mode=0o600)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment carrying it (so it
    shows in no process list)."""
    parsed = make_url(normalise_url(url))
    env = {**os.environ}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run_pg_tool(argv: list[str], env: dict[str, str]) -> None:
    if shutil.which(argv[0]) is None:
        raise ServiceUnavailable(
            f"{argv[0]} is not installed; install the PostgreSQL client tools "
            "(Debian: postgresql-client) at the server's major version or newer"
        )
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise ServiceUnavailable(f"{argv[0]} failed: {done.stderr.strip()[-2000:]}")


def _run_pg_client(tool: str, url: str, options: list[str], *operands: str) -> None:
    """Run ``tool`` against the database at ``url``, without owners or privileges (the
    target's own roles hold the objects), the password passed in the environment."""
    conninfo, env = _libpq(url)
    argv = [tool, *options, "--no-owner", "--no-privileges", f"--dbname={conninfo}", *operands]
    _run_pg_tool(argv, env)


def _pg_dump(url: str, dest: Path) -> Path:
    _run_pg_client("pg_dump", url, ["--format=custom", f"--file={dest}"])
    return dest


def _pg_restore(url: str, dump: Path) -> None:
    restore = ["--clean", "--if-exists", "--single-transaction", "--exit-on-error"]
    _run_pg_client("pg_restore", url, restore, str(dump))


def _revision(at: BackupLocations, sqlite_copy: Path) -> str | None:
    """The schema revision of the copied database (PostgreSQL: of the live one)."""
    query = "SELECT version_num FROM alembic_version"
    try:
        if not at.is_postgres:
            with closing(sqlite3.connect(sqlite_copy)) as conn:
                row = conn.execute(query).fetchone()
            return str(row[0]) if row else None
        db = Database.connect(at.database_url)
        try:
            with db.read() as session:
                return str(session.connection().exec_driver_sql(query).scalar())
        finally:
            db.dispose()
    except Exception:
        return None


def _refuse_existing_data(at: BackupLocations) -> None:
    """Raise when the target's database holds a schema or its storage holds files."""
    if at.is_postgres:
        db = Database.connect(at.database_url)
        try:
            with db.engine.connect() as conn:
                has_schema = db.engine.dialect.has_table(conn, SCHEMA_TABLE)
        finally:
            db.dispose()
    else:
        path = at.sqlite_path
        has_schema = path.is_file() and path.stat().st_size > 0 and bool(sqlite_tables(path))
    objects = at.storage_root / "objects" if at.storage_root is not None else None
    has_files = objects is not None and any(p.is_file() for p in objects.rglob("*"))
    if has_schema or has_files:
        held = " and ".join(
            what for what, yes in (("a database", has_schema), ("stored files", has_files)) if yes
        )
        raise ServiceUnavailable(
            f"the target already holds {held}; restore into a fresh data folder (or empty "
            "database), or pass --force to replace it"
        )


# -- files and the archive -------------------------------------------------------------------


def _add_files(tar: tarfile.TarFile, root: Path | None) -> int:
    """Add the folder storage's committed objects; returns how many stored files (not
    counting their metadata sidecars) went in."""
    if root is None:
        return 0
    objects = root / "objects"
    count = 0
    for path in sorted(_walk(objects)):
        try:
            tar.add(path, FILES_PREFIX + path.relative_to(root).as_posix(), recursive=False)
        except FileNotFoundError:
            continue  # deleted (expired) since it was listed
        count += not path.name.endswith(".meta.json")  # the sidecars are not counted
    return count


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            yield Path(dirpath) / name


def _merge_tree(source: Path, dest: Path) -> None:
    for path in _walk(source):
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)


def _replace_file(source: Path, target: Path, *, mode: int) -> None:
    staged = target.with_name(f".{target.name}.{os.getpid()}.restore")
    shutil.copyfile(source, staged)
    staged.chmod(mode)
    os.replace(staged, target)


def _add_json(tar: tarfile.TarFile, name: str, value: dict[str, Any]) -> None:
    data = json.dumps(value, indent=2).encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    with tempfile.SpooledTemporaryFile() as fh:
        fh.write(data)
        fh.seek(0)
        tar.addfile(info, fh)


def _dict(summary: BackupSummary) -> dict[str, Any]:
    return {name: getattr(summary, name) for name in BackupSummary.__slots__}


@contextmanager
def _reading(tar: tarfile.TarFile, name: str) -> Iterator[Any]:
    try:
        handle = tar.extractfile(name)
    except KeyError:
        handle = None
    if handle is None:
        raise InvalidRequest(f"not a SeeSay backup: it has no {name}")
    with handle:
        yield handle


def _manifest(tar: tarfile.TarFile) -> BackupSummary:
    with _reading(tar, MANIFEST) as fh:
        data = json.load(fh)
    if data.get("format") != FORMAT:
        raise InvalidRequest(f"unsupported backup format {data.get('format')!r}")
    return BackupSummary(**{name: data.get(name) for name in BackupSummary.__slots__})
