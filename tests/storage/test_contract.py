"""The BlobStore contract, run on every backend (local folder and S3 on a moto server)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from seesay.errors import NotFound
from seesay.storage import BLOB_ID_RE, BlobMeta, BlobStore, new_blob_id

MALFORMED_IDS = [
    "",
    ".",
    "..",
    "../x",
    "../../etc/passwd",
    "%2e%2e",
    "%2e%2e%2fetc%2fpasswd",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "..\\..\\x",
    "a" * 24 + "\x00",
    "a" * 24 + "/../" + "b" * 24,
    "a" * 24 + "\n",
    "a" * 24 + ".mp3.json",
    "a" * 24 + ".meta.json",
    "a" * 23,
    "a" * 25,
    "a" * 24 + ".MP3",
]


def test_is_a_blob_store(store: BlobStore) -> None:
    assert isinstance(store, BlobStore)


def test_put_get_round_trip_keeps_bytes_and_content_type(store: BlobStore) -> None:
    data = bytes(range(256)) * 100
    blob_id = store.put(data, content_type="audio/mpeg", suffix=".mp3")

    assert BLOB_ID_RE.fullmatch(blob_id)
    assert blob_id.endswith(".mp3")
    assert store.get(blob_id) == data
    assert store.exists(blob_id)
    meta = store.stat(blob_id)
    assert meta == BlobMeta(blob_id, "audio/mpeg", len(data), meta.created_at)
    assert meta.created_at.tzinfo is not None
    assert abs(datetime.now(UTC) - meta.created_at) < timedelta(minutes=1)


def test_content_type_with_parameters_round_trips(store: BlobStore) -> None:
    blob_id = store.put(b"hello", content_type="text/plain; charset=utf-8")
    assert store.stat(blob_id).content_type == "text/plain; charset=utf-8"
    assert BLOB_ID_RE.fullmatch(blob_id)
    assert "." not in blob_id


def test_empty_object(store: BlobStore) -> None:
    blob_id = store.put(b"", content_type="application/octet-stream")
    assert store.get(blob_id) == b""
    assert store.stat(blob_id).size == 0
    assert list(store.open(blob_id)) == []


def test_ids_are_fresh_for_equal_content(store: BlobStore) -> None:
    ids = {store.put(b"same", content_type="text/plain") for _ in range(5)}
    assert len(ids) == 5


def test_put_stream_and_chunked_open(store: BlobStore) -> None:
    chunks = [b"a" * 1000, b"", b"b" * 70_000, b"c"]
    blob_id = store.put_stream(iter(chunks), content_type="audio/wav", suffix=".wav")

    assert store.get(blob_id) == b"".join(chunks)
    opened = list(store.open(blob_id, chunk_size=4096))
    assert b"".join(opened) == b"".join(chunks)
    assert all(0 < len(c) <= 4096 for c in opened)
    assert store.stat(blob_id).size == 71_001


def test_interrupted_put_stream_leaves_nothing_visible(store: BlobStore) -> None:
    def failing() -> Iterator[bytes]:
        yield b"x" * 10_000
        raise RuntimeError("client went away")

    before = _listing(store)
    with pytest.raises(RuntimeError, match="client went away"):
        store.put_stream(failing(), content_type="audio/mpeg", suffix=".mp3")
    assert _listing(store) == before


def test_delete_is_idempotent(store: BlobStore) -> None:
    blob_id = store.put(b"bye", content_type="text/plain")
    store.delete(blob_id)
    assert not store.exists(blob_id)
    with pytest.raises(NotFound):
        store.get(blob_id)
    with pytest.raises(NotFound):
        store.stat(blob_id)
    store.delete(blob_id)  # twice: no error


def test_unknown_id_is_not_found(store: BlobStore) -> None:
    unknown = new_blob_id(".mp3")
    assert not store.exists(unknown)
    with pytest.raises(NotFound):
        store.get(unknown)
    with pytest.raises(NotFound):
        store.stat(unknown)
    with pytest.raises(NotFound):
        store.open(unknown)  # raised by the call, before any chunk


@pytest.mark.parametrize("bad_id", MALFORMED_IDS)
def test_malformed_id_is_not_found(store: BlobStore, bad_id: str) -> None:
    assert not store.exists(bad_id)
    for call in (store.get, store.stat, store.open, store.delete):
        with pytest.raises(NotFound):
            call(bad_id)


@pytest.mark.parametrize("suffix", ["mp3", ".MP3", "./x", "/x", ".mp3.json", ".", ".toolongsuffix"])
def test_bad_suffix_is_refused(store: BlobStore, suffix: str) -> None:
    with pytest.raises(ValueError, match="suffix"):
        store.put(b"x", content_type="text/plain", suffix=suffix)


@pytest.mark.parametrize(
    "content_type", ["", "audio", "audio/mpeg\r\nX-Evil: 1", "audio/mpeg\n", "a b/c", "é/x"]
)
def test_bad_content_type_is_refused(store: BlobStore, content_type: str) -> None:
    with pytest.raises(ValueError, match="content type"):
        store.put(b"x", content_type=content_type)


def test_check_passes_on_a_healthy_store(store: BlobStore) -> None:
    store.check()


def _listing(store: BlobStore) -> set[str]:
    """Every name the backend holds, temp files included, to prove nothing was left."""
    from seesay.storage import LocalBlobStore, S3BlobStore

    if isinstance(store, LocalBlobStore):
        return {str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file()}
    assert isinstance(store, S3BlobStore)
    client = store._client
    objects = client.list_objects_v2(Bucket=store.bucket).get("Contents", [])
    uploads = client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    return {o["Key"] for o in objects} | {"upload:" + u["Key"] for u in uploads}
