"""The S3 backend against a real moto server process: keys, metadata, errors, big objects."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from seesay.errors import NotFound, ServiceUnavailable
from seesay.storage import S3BlobStore

from .conftest import CREDENTIALS, REGION, _free_port


def test_objects_live_under_the_prefix_with_their_content_type(
    s3_store: S3BlobStore, s3_client: Any
) -> None:
    blob_id = s3_store.put(b"ID3...", content_type="audio/mpeg", suffix=".mp3")

    keys = [o["Key"] for o in s3_client.list_objects_v2(Bucket=s3_store.bucket)["Contents"]]
    assert keys == [f"blobs/{blob_id}"]
    head = s3_client.head_object(Bucket=s3_store.bucket, Key=f"blobs/{blob_id}")
    assert head["ContentType"] == "audio/mpeg"


def test_a_store_built_from_its_own_arguments_round_trips(s3_endpoint: str, bucket: str) -> None:
    store = S3BlobStore(
        bucket,
        endpoint_url=s3_endpoint,
        region=REGION,
        addressing_style="path",
        **CREDENTIALS,
    )
    blob_id = store.put_stream([b"abc", b"def"], content_type="audio/ogg", suffix=".ogg")
    assert store.get(blob_id) == b"abcdef"
    assert store.stat(blob_id).content_type == "audio/ogg"
    store.check()
    assert "s3://" in repr(store)


def test_big_stream_goes_multipart_and_round_trips(s3_store: S3BlobStore, s3_client: Any) -> None:
    chunk = bytes(range(256)) * 4096  # 1 MiB
    blob_id = s3_store.put_stream((chunk for _ in range(9)), content_type="audio/wav")

    assert s3_store.stat(blob_id).size == 9 * len(chunk)
    assert b"".join(s3_store.open(blob_id, chunk_size=1 << 20)) == chunk * 9
    assert s3_client.list_multipart_uploads(Bucket=s3_store.bucket).get("Uploads", []) == []


def test_open_can_be_closed_early(s3_store: S3BlobStore) -> None:
    blob_id = s3_store.put(b"z" * 10_000, content_type="audio/mpeg")
    chunks = s3_store.open(blob_id, chunk_size=1000)
    assert next(chunks) == b"z" * 1000
    chunks.close()  # type: ignore[attr-defined]


def test_missing_bucket_is_service_unavailable(s3_endpoint: str, s3_client: Any) -> None:
    store = S3BlobStore("no-such-bucket-here", endpoint_url=s3_endpoint, client=s3_client)
    with pytest.raises(ServiceUnavailable):
        store.check()
    with pytest.raises(ServiceUnavailable):
        store.put(b"x", content_type="text/plain")


def test_unreachable_endpoint_is_service_unavailable() -> None:
    store = S3BlobStore(
        "bucket",
        endpoint_url=f"http://127.0.0.1:{_free_port()}",  # nothing listens there
        region=REGION,
        connect_timeout=0.5,
        max_attempts=1,
        **CREDENTIALS,
    )
    with pytest.raises(ServiceUnavailable, match="could not"):
        store.put(b"x", content_type="text/plain")
    with pytest.raises(ServiceUnavailable):
        store.check()


def test_missing_boto3_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # makes `import boto3` fail
    with pytest.raises(ServiceUnavailable, match=r"pip install 'seesay\[distributed\]'"):
        S3BlobStore("bucket")


def test_storage_package_does_not_import_boto3(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys, seesay.storage as s; s.open_blob_store(sys.argv[1]);"
        " assert 'boto3' not in sys.modules and 'botocore' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)


def test_not_found_from_s3(s3_store: S3BlobStore) -> None:
    blob_id = s3_store.put(b"x", content_type="text/plain")
    s3_store.delete(blob_id)
    with pytest.raises(NotFound):
        s3_store.open(blob_id)


def test_invalid_constructor_arguments() -> None:
    with pytest.raises(ValueError, match="bucket"):
        S3BlobStore("", client=object())
    with pytest.raises(ValueError, match="addressing"):
        S3BlobStore("b", addressing_style="sideways", client=object())  # type: ignore[arg-type]
