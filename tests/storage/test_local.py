"""The local-folder backend: layout, atomic writes, cleanup and path safety."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from seesay.errors import NotFound, ServiceUnavailable
from seesay.storage import LocalBlobStore, new_blob_id

from .test_contract import MALFORMED_IDS


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_root_is_created_with_fan_out_layout(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "deep" / "er" / "blobs")
    blob_id = store.put(b"data", content_type="audio/mpeg", suffix=".mp3")

    objects = store.root / "objects"
    data = objects / blob_id[:2] / blob_id[2:4] / blob_id
    assert data.read_bytes() == b"data"
    assert _files(objects) == sorted([data, data.with_name(blob_id + ".meta.json")])
    assert _files(store.root / "tmp") == []


def test_relative_root_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = LocalBlobStore("rel")
    assert store.root == tmp_path / "rel"
    assert store.root.is_absolute()


def test_a_reader_never_sees_a_half_written_object(local_store: LocalBlobStore) -> None:
    seen_during_write: list[list[Path]] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(3):
            yield b"x" * 1000
            seen_during_write.append(_files(local_store.root / "objects"))

    blob_id = local_store.put_stream(chunks(), content_type="audio/mpeg")

    assert seen_during_write == [[], [], []]
    assert local_store.get(blob_id) == b"x" * 3000


def test_failed_put_cleans_its_temp_file(local_store: LocalBlobStore) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"partial"
        raise KeyboardInterrupt  # even BaseException leaves nothing behind

    with pytest.raises(KeyboardInterrupt):
        local_store.put_stream(chunks(), content_type="audio/mpeg")
    assert _files(local_store.root) == []


def test_filesystem_error_is_service_unavailable_and_leaves_nothing(
    local_store: LocalBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if not str(dst).endswith(".meta.json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ServiceUnavailable):
        local_store.put(b"data", content_type="audio/mpeg")
    assert _files(local_store.root) == []


def test_orphan_sidecar_is_invisible(local_store: LocalBlobStore) -> None:
    blob_id = local_store.put(b"data", content_type="audio/mpeg")
    data_path = next(p for p in _files(local_store.root) if p.name == blob_id)
    data_path.unlink()  # as after a crash between the two unlinks of delete()

    assert not local_store.exists(blob_id)
    with pytest.raises(NotFound):
        local_store.stat(blob_id)
    local_store.delete(blob_id)
    assert _files(local_store.root) == []


def test_stale_temp_files_are_swept_fresh_ones_kept(tmp_path: Path) -> None:
    LocalBlobStore(tmp_path)
    stale = tmp_path / "tmp" / "old.part"
    fresh = tmp_path / "tmp" / "new.part"
    stale.write_bytes(b"left by a dead process")
    fresh.write_bytes(b"being written right now")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))

    LocalBlobStore(tmp_path)

    assert not stale.exists()
    assert fresh.exists()


@pytest.mark.parametrize("bad_id", [*MALFORMED_IDS, "../outside/secret.txt", "../secret.txt"])
def test_traversal_ids_touch_nothing_outside_root(tmp_path: Path, bad_id: str) -> None:
    store = LocalBlobStore(tmp_path / "root")
    # Targets a naive join of root, objects/ or a fan-out folder with the id would reach.
    secrets = [tmp_path / "secret.txt", tmp_path / "outside" / "secret.txt"]
    for secret in secrets:
        secret.parent.mkdir(exist_ok=True)
        secret.write_bytes(b"do not touch")

    assert not store.exists(bad_id)
    for call in (store.get, store.stat, store.open, store.delete):
        with pytest.raises(NotFound):
            call(bad_id)
    assert all(s.read_bytes() == b"do not touch" for s in secrets)


def test_open_releases_the_file_when_closed_early(local_store: LocalBlobStore) -> None:
    blob_id = local_store.put(b"x" * 10_000, content_type="audio/mpeg")
    chunks = local_store.open(blob_id, chunk_size=1000)
    assert next(chunks) == b"x" * 1000
    chunks.close()  # type: ignore[attr-defined]
    assert list(chunks) == []


def test_object_deleted_while_streaming_still_streams(local_store: LocalBlobStore) -> None:
    blob_id = local_store.put(b"y" * 5000, content_type="audio/mpeg")
    chunks = local_store.open(blob_id, chunk_size=1000)
    local_store.delete(blob_id)
    assert b"".join(chunks) == b"y" * 5000  # the open handle keeps the bytes (POSIX)


def test_concurrent_puts(local_store: LocalBlobStore) -> None:
    payloads = [os.urandom(2000) for _ in range(32)]
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda p: local_store.put(p, content_type="audio/wav"), payloads))
    assert [local_store.get(i) for i in ids] == payloads


def test_check_fails_when_the_folder_is_gone(local_store: LocalBlobStore) -> None:
    (local_store.root / "tmp").rmdir()
    with pytest.raises(ServiceUnavailable):
        local_store.check()


def test_unknown_but_well_formed_id(local_store: LocalBlobStore) -> None:
    with pytest.raises(NotFound):
        local_store.get(new_blob_id())
