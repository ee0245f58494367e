"""Blob storage (local folder or S3-compatible) and signed file URLs.

Generated audio and uploads live under opaque ids in a :class:`BlobStore` built by
:func:`open_blob_store` from the ``storage_url`` setting; :class:`UrlSigner` makes the links
that serve them without an API key. boto3 is only imported when an S3 store is built.
"""

from __future__ import annotations

from seesay.storage.base import (
    BLOB_ID_RE,
    DEFAULT_CHUNK_SIZE,
    BlobMeta,
    BlobStore,
    is_valid_blob_id,
    new_blob_id,
)
from seesay.storage.factory import open_blob_store
from seesay.storage.local import LocalBlobStore
from seesay.storage.s3 import S3BlobStore
from seesay.storage.signing import DEFAULT_TTL_SECONDS, SignedParams, UrlSigner, generate_secret

__all__ = [
    "BLOB_ID_RE",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_TTL_SECONDS",
    "BlobMeta",
    "BlobStore",
    "LocalBlobStore",
    "S3BlobStore",
    "SignedParams",
    "UrlSigner",
    "generate_secret",
    "is_valid_blob_id",
    "new_blob_id",
    "open_blob_store",
]
