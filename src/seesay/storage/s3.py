"""Blob store in an S3-compatible bucket (the distributed mode), through boto3.

Each object is stored at ``<prefix><id>`` with its content type as the S3 ``ContentType``. S3
makes a PUT (single or multipart) visible only once complete, which gives the atomicity the
contract asks for. boto3 is imported when a store is built, so the embedded mode never needs it.

Credentials come from the arguments when given, else from boto3's usual chain (the
``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` / ``AWS_SESSION_TOKEN`` variables, the shared
config files, instance roles).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Final, Literal, NoReturn

from seesay.errors import NotFound, ServiceUnavailable
from seesay.storage.base import (
    DEFAULT_CHUNK_SIZE,
    BlobMeta,
    is_valid_blob_id,
    new_object_id,
    require_blob_id,
)

__all__ = ["AddressingStyle", "S3BlobStore"]

AddressingStyle = Literal["auto", "path", "virtual"]

_MISSING_CODES: Final = frozenset({"NoSuchKey", "404", "NotFound"})
# put_stream buffers in memory up to this size, then on disk, and uploads once complete:
# the upload can then be retried and sized, and a failing iterator uploads nothing.
_SPOOL_MAX_MEMORY: Final = 8 * 1024 * 1024


class S3BlobStore:
    """A :class:`~seesay.storage.base.BlobStore` in ``bucket`` under the key prefix ``prefix``.

    ``prefix`` is used as given, so ``"audio/"`` files objects under that folder. The bucket
    must exist. ``client`` replaces the boto3 client built from the other arguments.
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        addressing_style: AddressingStyle = "auto",
        connect_timeout: float = 5.0,
        read_timeout: float = 60.0,
        max_attempts: int = 3,
        client: Any = None,
    ) -> None:
        if not bucket:
            raise ValueError("an S3 bucket name is required")
        if addressing_style not in ("auto", "path", "virtual"):
            raise ValueError(f"invalid S3 addressing style {addressing_style!r}")
        self._bucket = bucket
        self._prefix = prefix
        self._endpoint_url = endpoint_url
        if client is None:
            boto3, config_cls = _import_boto3()
            # A private session: boto3's default session is not thread-safe to create clients
            # from, while a client, once built, is safe to share between threads.
            session = boto3.session.Session(
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                aws_session_token=session_token,
                region_name=region,
            )
            client = session.client(
                "s3",
                endpoint_url=endpoint_url,
                config=config_cls(
                    s3={"addressing_style": addressing_style},
                    connect_timeout=connect_timeout,
                    read_timeout=read_timeout,
                    retries={"max_attempts": max_attempts, "mode": "standard"},
                ),
            )
        self._client = client

    @property
    def bucket(self) -> str:
        return self._bucket

    @property
    def prefix(self) -> str:
        return self._prefix

    def __repr__(self) -> str:
        where = f" at {self._endpoint_url}" if self._endpoint_url else ""
        return f"S3BlobStore(s3://{self._bucket}/{self._prefix}{where})"

    # -- writing ---------------------------------------------------------------------------

    def put(self, data: bytes, *, content_type: str, suffix: str = "") -> str:
        """See :meth:`BlobStore.put`."""
        blob_id = new_object_id(content_type, suffix)
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=self._key(blob_id), Body=data, ContentType=content_type
            )
        except Exception as exc:
            self._raise(exc, "write")
        return blob_id

    def put_stream(self, chunks: Iterable[bytes], *, content_type: str, suffix: str = "") -> str:
        """See :meth:`BlobStore.put_stream`."""
        blob_id = new_object_id(content_type, suffix)
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_MAX_MEMORY) as spool:
            # Drained before any request, so an exception from ``chunks`` sends nothing.
            for chunk in chunks:
                spool.write(chunk)
            spool.seek(0)
            try:
                # upload_fileobj switches to a multipart upload for big objects and aborts
                # it on failure; either way the object appears only when complete.
                self._client.upload_fileobj(
                    spool,
                    self._bucket,
                    self._key(blob_id),
                    ExtraArgs={"ContentType": content_type},
                )
            except Exception as exc:
                self._raise(exc, "write")
        return blob_id

    # -- reading ---------------------------------------------------------------------------

    def get(self, blob_id: str) -> bytes:
        """See :meth:`BlobStore.get`."""
        body = self._get_body(blob_id)
        try:
            data: bytes = body.read()
        except Exception as exc:
            self._raise(exc, "read")
        finally:
            body.close()
        return data

    def open(self, blob_id: str, *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """See :meth:`BlobStore.open`."""
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        body = self._get_body(blob_id)
        return _BodyChunks(body, chunk_size)

    def stat(self, blob_id: str) -> BlobMeta:
        """See :meth:`BlobStore.stat`."""
        key = self._key(require_blob_id(blob_id))
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=key)
        except Exception as exc:
            self._raise(exc, "read")
        created: datetime = head["LastModified"]
        return BlobMeta(
            id=blob_id,
            content_type=str(head.get("ContentType") or "application/octet-stream"),
            size=int(head["ContentLength"]),
            created_at=created.astimezone(UTC),
        )

    def exists(self, blob_id: str) -> bool:
        """See :meth:`BlobStore.exists`."""
        if not is_valid_blob_id(blob_id):
            return False
        try:
            self.stat(blob_id)
        except NotFound:
            return False
        return True

    def delete(self, blob_id: str) -> None:
        """See :meth:`BlobStore.delete` (S3's DELETE is idempotent already)."""
        key = self._key(require_blob_id(blob_id))
        try:
            self._client.delete_object(Bucket=self._bucket, Key=key)
        except Exception as exc:
            self._raise(exc, "delete")

    def check(self) -> None:
        """See :meth:`BlobStore.check`: the bucket answers a HEAD with these credentials."""
        try:
            self._client.head_bucket(Bucket=self._bucket)
        except Exception as exc:
            self._raise(exc, "reach", missing_is_not_found=False)

    # -- internals -------------------------------------------------------------------------

    def _key(self, blob_id: str) -> str:
        assert is_valid_blob_id(blob_id)
        return self._prefix + blob_id

    def _get_body(self, blob_id: str) -> Any:
        key = self._key(require_blob_id(blob_id))
        try:
            return self._client.get_object(Bucket=self._bucket, Key=key)["Body"]
        except Exception as exc:
            self._raise(exc, "read")

    def _raise(self, exc: Exception, action: str, *, missing_is_not_found: bool = True) -> NoReturn:
        """Translate a botocore error into the SeeSay tree; anything else propagates."""
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if missing_is_not_found and code in _MISSING_CODES:
                raise NotFound("No such file.") from None
            raise ServiceUnavailable(
                f"S3 storage refused to {action} (bucket {self._bucket!r}): {code or exc}"
            ) from exc
        if isinstance(exc, BotoCoreError):
            raise ServiceUnavailable(
                f"S3 storage could not {action} (bucket {self._bucket!r}): {exc}"
            ) from exc
        raise exc


class _BodyChunks(Iterator[bytes]):
    """Chunks of a botocore ``StreamingBody``; closes the connection when done or closed."""

    def __init__(self, body: Any, chunk_size: int) -> None:
        self._body = body
        self._chunks: Iterator[bytes] = body.iter_chunks(chunk_size)

    def __next__(self) -> bytes:
        try:
            return next(self._chunks)
        except StopIteration:
            self._body.close()
            raise
        except Exception as exc:
            # Mid-stream failures: headers are already sent, so the best a caller can do is
            # abort; a SeeSay error at least says what broke.
            self._body.close()
            raise ServiceUnavailable("S3 storage failed while streaming a file.") from exc

    def close(self) -> None:
        """Release the connection early (for a client that went away mid-stream)."""
        self._body.close()


def _import_boto3() -> tuple[Any, Any]:
    try:
        import boto3
        from botocore.config import Config
    except ImportError as exc:
        raise ServiceUnavailable(
            "S3 storage needs boto3, which is not installed: pip install 'seesay[distributed]'"
        ) from exc
    return boto3, Config
