"""Build a blob store from the ``storage_url`` setting.

* ``file:///abs/path`` or a plain path (``/srv/seesay/blobs``, ``./blobs``, ``~/blobs``):
  :class:`~seesay.storage.local.LocalBlobStore`. Relative paths are taken from the current
  directory, so settings should pass absolute ones.
* ``s3://bucket[/prefix/]?endpoint_url=...&region=...&addressing_style=path``:
  :class:`~seesay.storage.s3.S3BlobStore`. The key prefix is the URL path (a trailing ``/`` is
  added when missing). Credentials are never read from the URL (it ends up in logs): they come
  from the keyword arguments or boto3's chain (``AWS_ACCESS_KEY_ID`` and friends). Keyword
  arguments win over query parameters.

Malformed URLs raise ``ValueError`` so settings validation can report them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from seesay.storage.base import BlobStore
from seesay.storage.local import LocalBlobStore
from seesay.storage.s3 import AddressingStyle, S3BlobStore

__all__ = ["open_blob_store"]

_S3_QUERY_KEYS: Final = frozenset({"endpoint_url", "region", "addressing_style"})


def open_blob_store(
    url: str | os.PathLike[str],
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
    session_token: str | None = None,
    addressing_style: AddressingStyle | None = None,
) -> BlobStore:
    """The blob store that ``url`` names (see the module docstring for the URL forms).

    The keyword arguments apply to S3 URLs only and are ignored for local ones.
    """
    text = os.fspath(url)
    if not text:
        raise ValueError("storage URL is empty")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    # A one-letter scheme is a Windows drive ("C:\\blobs"), not a URL.
    if scheme == "" or len(scheme) == 1:
        return LocalBlobStore(Path(text))
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"file storage URL must name a local path, not host {parts.netloc!r}")
        if parts.query or parts.fragment:
            raise ValueError("file storage URL takes no query or fragment")
        path = unquote(parts.path)
        if not path.startswith("/"):
            raise ValueError("file storage URL must hold an absolute path: file:///abs/path")
        return LocalBlobStore(Path(path))
    if scheme == "s3":
        return _open_s3(
            parts.netloc,
            parts.path,
            parts.query,
            endpoint_url=endpoint_url,
            region=region,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
            session_token=session_token,
            addressing_style=addressing_style,
        )
    raise ValueError(f"unsupported storage URL scheme {parts.scheme!r}: use file:// or s3://")


def _open_s3(
    netloc: str,
    path: str,
    query: str,
    *,
    endpoint_url: str | None,
    region: str | None,
    access_key_id: str | None,
    secret_access_key: str | None,
    session_token: str | None,
    addressing_style: AddressingStyle | None,
) -> S3BlobStore:
    if "@" in netloc:
        raise ValueError(
            "put no credentials in the storage URL; pass them as settings or AWS_* variables"
        )
    if not netloc:
        raise ValueError("S3 storage URL needs a bucket: s3://bucket/prefix")
    params: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)):
        if key not in _S3_QUERY_KEYS:
            raise ValueError(
                f"unknown S3 storage URL parameter {key!r}; known: {sorted(_S3_QUERY_KEYS)}"
            )
        params[key] = value
    prefix = unquote(path).lstrip("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    style = addressing_style or params.get("addressing_style") or "auto"
    if style not in ("auto", "path", "virtual"):
        raise ValueError(f"invalid S3 addressing style {style!r}: use auto, path or virtual")
    return S3BlobStore(
        netloc,
        prefix=prefix,
        endpoint_url=endpoint_url or params.get("endpoint_url") or None,
        region=region or params.get("region") or None,
        access_key_id=access_key_id,
        secret_access_key=secret_access_key,
        session_token=session_token,
        addressing_style=cast(AddressingStyle, style),
    )
