"""Blob store in a local folder (the embedded mode's default).

Layout under ``root``::

    objects/<id[0:2]>/<id[2:4]>/<id>              the bytes
    objects/<id[0:2]>/<id[2:4]>/<id>.meta.json    {"content_type": ..., "created_at": ...}
    tmp/<random>.part                             writes in progress

The two fan-out levels keep directories small. A sidecar name has two dots, so it can never be
a blob id. Paths are built only from ids that passed ``BLOB_ID_RE``.

Atomicity: the bytes go to a temporary file in ``tmp/`` (same filesystem), are fsynced, and
the sidecar is published first and the data file last, each with ``os.replace``. The data file
is the commit point: readers look for it, so they see either nothing or the whole object.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Final

from seesay.errors import NotFound, ServiceUnavailable
from seesay.storage.base import (
    DEFAULT_CHUNK_SIZE,
    BlobMeta,
    is_valid_blob_id,
    new_object_id,
    require_blob_id,
)

__all__ = ["LocalBlobStore"]

_META_SUFFIX: Final = ".meta.json"
_TMP_SUFFIX: Final = ".part"
# A temp file untouched for this long belongs to a process that died mid-write (an active
# write refreshes the mtime with every chunk), so it is safe to remove.
_STALE_TMP_SECONDS: Final = 3600.0


class LocalBlobStore:
    """A :class:`~seesay.storage.base.BlobStore` in the folder ``root`` (created if missing)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self._root = Path(root).expanduser().absolute()
        self._objects = self._root / "objects"
        self._tmp = self._root / "tmp"
        try:
            self._objects.mkdir(parents=True, exist_ok=True)
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ServiceUnavailable(f"Cannot create the storage folder {self._root}.") from exc
        self._sweep_stale_temp_files()

    @property
    def root(self) -> Path:
        """The absolute storage folder."""
        return self._root

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self._root)!r})"

    # -- writing ---------------------------------------------------------------------------

    def put(self, data: bytes, *, content_type: str, suffix: str = "") -> str:
        """See :meth:`BlobStore.put`."""
        return self.put_stream((data,), content_type=content_type, suffix=suffix)

    def put_stream(self, chunks: Iterable[bytes], *, content_type: str, suffix: str = "") -> str:
        """See :meth:`BlobStore.put_stream`."""
        blob_id = new_object_id(content_type, suffix)
        data_path = self._path(blob_id)
        meta_path = data_path.with_name(blob_id + _META_SUFFIX)
        tmp_data = self._write_temp(chunks)
        meta = {"content_type": content_type, "created_at": time.time()}
        published_meta = False
        try:
            tmp_meta = self._write_temp((json.dumps(meta).encode(),))
            try:
                data_path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_meta, meta_path)
                published_meta = True
            finally:
                _unlink_quietly(tmp_meta)  # already gone after a successful replace
            os.replace(tmp_data, data_path)
        except BaseException as exc:
            _unlink_quietly(tmp_data)
            if published_meta:
                _unlink_quietly(meta_path)
            if isinstance(exc, OSError):
                raise ServiceUnavailable("Cannot write to the storage folder.") from exc
            raise
        _fsync_dir(data_path.parent)
        return blob_id

    def _write_temp(self, chunks: Iterable[bytes]) -> Path:
        """Write ``chunks`` to a new fsynced temp file and return its path.

        On any failure (including one raised by ``chunks``) the temp file is removed and the
        exception propagates, wrapped in ``ServiceUnavailable`` if it is an ``OSError``.
        """
        try:
            fd, name = tempfile.mkstemp(dir=self._tmp, suffix=_TMP_SUFFIX)
        except OSError as exc:
            raise ServiceUnavailable("Cannot write to the storage folder.") from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException as exc:
            _unlink_quietly(Path(name))
            if isinstance(exc, OSError):
                raise ServiceUnavailable("Cannot write to the storage folder.") from exc
            raise
        return Path(name)

    # -- reading ---------------------------------------------------------------------------

    def get(self, blob_id: str) -> bytes:
        """See :meth:`BlobStore.get`."""
        with self._open_data(blob_id) as fh:
            return fh.read()

    def open(self, blob_id: str, *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """See :meth:`BlobStore.open`."""
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        return _FileChunks(self._open_data(blob_id), chunk_size)

    def stat(self, blob_id: str) -> BlobMeta:
        """See :meth:`BlobStore.stat`."""
        data_path = self._path(require_blob_id(blob_id))
        try:
            size = data_path.stat().st_size
            raw = data_path.with_name(blob_id + _META_SUFFIX).read_bytes()
        except FileNotFoundError:
            # A deleted object (data gone first) or one never written.
            raise NotFound("No such file.") from None
        except OSError as exc:
            raise ServiceUnavailable("Cannot read the storage folder.") from exc
        meta = json.loads(raw)
        return BlobMeta(
            id=blob_id,
            content_type=str(meta["content_type"]),
            size=size,
            created_at=datetime.fromtimestamp(float(meta["created_at"]), tz=UTC),
        )

    def exists(self, blob_id: str) -> bool:
        """See :meth:`BlobStore.exists`."""
        return is_valid_blob_id(blob_id) and self._path(blob_id).is_file()

    def delete(self, blob_id: str) -> None:
        """See :meth:`BlobStore.delete`."""
        data_path = self._path(require_blob_id(blob_id))
        # Data first: it is the commit point, so the object disappears in one step and a
        # crash in between leaves only an invisible sidecar.
        try:
            data_path.unlink(missing_ok=True)
            data_path.with_name(blob_id + _META_SUFFIX).unlink(missing_ok=True)
        except OSError as exc:
            raise ServiceUnavailable("Cannot delete from the storage folder.") from exc

    def check(self) -> None:
        """See :meth:`BlobStore.check`: the folders exist and are writable."""
        for folder in (self._objects, self._tmp):
            if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
                raise ServiceUnavailable(f"Storage folder {folder} is missing or read-only.")

    # -- internals -------------------------------------------------------------------------

    def _path(self, blob_id: str) -> Path:
        """The data path of a validated id. The assertion is a second line of defence."""
        assert is_valid_blob_id(blob_id)
        path = self._objects / blob_id[0:2] / blob_id[2:4] / blob_id
        assert path.parent.parent.parent == self._objects
        return path

    def _open_data(self, blob_id: str) -> IO[bytes]:
        path = self._path(require_blob_id(blob_id))
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError):
            raise NotFound("No such file.") from None
        except OSError as exc:
            raise ServiceUnavailable("Cannot read the storage folder.") from exc

    def _sweep_stale_temp_files(self) -> None:
        cutoff = time.time() - _STALE_TMP_SECONDS
        for entry in self._tmp.glob("*" + _TMP_SUFFIX):
            with contextlib.suppress(OSError):  # another process may sweep the same file
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()


class _FileChunks(Iterator[bytes]):
    """Iterates over an open file in chunks and closes it when exhausted or closed."""

    def __init__(self, fh: IO[bytes], chunk_size: int) -> None:
        self._fh = fh
        self._chunk_size = chunk_size

    def __next__(self) -> bytes:
        if self._fh.closed:
            raise StopIteration
        chunk = self._fh.read(self._chunk_size)
        if not chunk:
            self._fh.close()
            raise StopIteration
        return chunk

    def close(self) -> None:
        """Release the file early (for a client that went away mid-stream)."""
        self._fh.close()

    def __del__(self) -> None:
        self._fh.close()


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    """Persist a rename in ``path`` (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
