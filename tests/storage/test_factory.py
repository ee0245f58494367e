"""open_blob_store: which URL gives which store, and which URLs are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seesay.storage import LocalBlobStore, S3BlobStore, open_blob_store

from .conftest import CREDENTIALS, REGION


def test_file_url(tmp_path: Path) -> None:
    store = open_blob_store(f"file://{tmp_path}/blobs")
    assert isinstance(store, LocalBlobStore)
    assert store.root == tmp_path / "blobs"


def test_file_url_with_localhost_and_escapes(tmp_path: Path) -> None:
    store = open_blob_store(f"file://localhost{tmp_path}/my%20blobs")
    assert isinstance(store, LocalBlobStore)
    assert store.root == tmp_path / "my blobs"


def test_plain_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absolute = open_blob_store(str(tmp_path / "a"))
    assert isinstance(absolute, LocalBlobStore)
    assert absolute.root == tmp_path / "a"
    monkeypatch.chdir(tmp_path)
    relative = open_blob_store("b")
    assert isinstance(relative, LocalBlobStore)
    assert relative.root == tmp_path / "b"
    as_path = open_blob_store(tmp_path / "c")
    assert isinstance(as_path, LocalBlobStore)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("file://example.com/blobs", "host"),
        ("file://relative/blobs", "host"),
        ("file:///blobs?x=1", "query"),
        ("gs://bucket", "scheme"),
        ("http://127.0.0.1/blobs", "scheme"),
        ("s3://", "bucket"),
        ("s3://key:secret@bucket/p", "credentials"),
        ("s3://bucket/p?endpoint=http://x", "unknown"),
        ("s3://bucket/p?aws_secret_access_key=x", "unknown"),
        ("s3://bucket?addressing_style=sideways", "addressing"),
    ],
)
def test_refused_urls(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        open_blob_store(url)


def test_s3_url_with_query_options(s3_endpoint: str, bucket: str, s3_client: Any) -> None:
    store = open_blob_store(
        f"s3://{bucket}/audio/out?endpoint_url={s3_endpoint}&region={REGION}&addressing_style=path",
        **CREDENTIALS,
    )
    assert isinstance(store, S3BlobStore)
    assert store.prefix == "audio/out/"

    blob_id = store.put(b"data", content_type="audio/mpeg", suffix=".mp3")
    s3_client.head_object(Bucket=bucket, Key=f"audio/out/{blob_id}")
    assert store.get(blob_id) == b"data"


def test_s3_credentials_and_endpoint_from_arguments_and_env(
    s3_endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "from-env")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "from-env-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    # The keyword argument wins over the (wrong) endpoint in the URL.
    store = open_blob_store(
        f"s3://{bucket}?endpoint_url=http://127.0.0.1:9", endpoint_url=s3_endpoint
    )
    assert isinstance(store, S3BlobStore)
    assert store.prefix == ""
    credentials = store._client._request_signer._credentials
    assert credentials.access_key == "from-env"
    blob_id = store.put(b"env", content_type="text/plain")
    assert store.get(blob_id) == b"env"
