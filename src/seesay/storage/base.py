"""The blob store contract: opaque ids, whole objects, one content type each.

Objects are immutable: ``put``/``put_stream`` always create a new object under a fresh random
id, and an object becomes visible to readers only once it is complete. Ids are the only names
a caller ever hands in, and every backend checks them against ``BLOB_ID_RE`` before using
them, so a request path can never be mapped onto a filesystem path or a foreign S3 key.

Errors: an unknown *or malformed* id raises :class:`seesay.errors.NotFound` (a malformed id can
never name an object, so it gets the same answer); a backend that cannot be reached raises
:class:`seesay.errors.ServiceUnavailable`. Misuse by the calling code (a bad suffix or content
type) raises ``ValueError``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol, runtime_checkable

from seesay.errors import NotFound

__all__ = [
    "BLOB_ID_RE",
    "DEFAULT_CHUNK_SIZE",
    "BlobMeta",
    "BlobStore",
    "check_content_type",
    "check_suffix",
    "is_valid_blob_id",
    "new_blob_id",
    "new_object_id",
    "require_blob_id",
]

# 18 random bytes are 24 URL-safe characters (144 bits): unguessable, so an id is never the
# only secret that protects a file, but nobody can enumerate ids either.
_TOKEN_BYTES: Final = 18
_TOKEN_CHARS: Final = 24

#: A blob id: 24 URL-safe base64 characters, then an optional lowercase extension.
#: No dot, slash, backslash, percent sign or NUL can appear in the random part, and at most one
#: dot in the whole id, so ids are never ``.``/``..`` and never contain a path separator.
BLOB_ID_RE: Final = re.compile(rf"[A-Za-z0-9_-]{{{_TOKEN_CHARS}}}(?:\.[a-z0-9]{{1,10}})?")
_SUFFIX_RE: Final = re.compile(r"(?:\.[a-z0-9]{1,10})?")
# type/subtype, then optional parameters in printable ASCII: nothing that could split a
# header line when the API echoes the stored type back as Content-Type.
_CONTENT_TYPE_RE: Final = re.compile(
    r"[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}(?:[ \t]*;[\x20-\x7e]{0,120})?"
)

#: Chunk size of ``BlobStore.open`` unless the caller asks for another.
DEFAULT_CHUNK_SIZE: Final = 64 * 1024


def new_blob_id(suffix: str = "") -> str:
    """A fresh random id ending in ``suffix`` (``""`` or like ``".mp3"``)."""
    return secrets.token_urlsafe(_TOKEN_BYTES) + check_suffix(suffix)


def new_object_id(content_type: str, suffix: str = "") -> str:
    """The id of an object a store is about to write as ``content_type``: both checked
    (``ValueError`` before anything is written), then a :func:`new_blob_id`."""
    check_content_type(content_type)
    return new_blob_id(suffix)


def is_valid_blob_id(blob_id: object) -> bool:
    """Whether ``blob_id`` has the shape of an id this package hands out."""
    return isinstance(blob_id, str) and BLOB_ID_RE.fullmatch(blob_id) is not None


def require_blob_id(blob_id: object) -> str:
    """Return ``blob_id`` if well formed, else raise ``NotFound`` (never echoing it back)."""
    if not is_valid_blob_id(blob_id):
        raise NotFound("No such file.")
    assert isinstance(blob_id, str)
    return blob_id


def check_suffix(suffix: str) -> str:
    """Return ``suffix`` if it is ``""`` or a dot and 1-10 lowercase letters/digits."""
    if not isinstance(suffix, str) or _SUFFIX_RE.fullmatch(suffix) is None:
        raise ValueError(f"invalid blob suffix {suffix!r}: use '' or e.g. '.mp3'")
    return suffix


def check_content_type(content_type: str) -> str:
    """Return ``content_type`` if it is a plain ``type/subtype[; params]`` header value."""
    if not isinstance(content_type, str) or _CONTENT_TYPE_RE.fullmatch(content_type) is None:
        raise ValueError(f"invalid content type {content_type!r}")
    return content_type


@dataclass(frozen=True, slots=True)
class BlobMeta:
    """What is known about a stored object. ``created_at`` is timezone-aware (UTC)."""

    id: str
    content_type: str
    size: int
    created_at: datetime


@runtime_checkable
class BlobStore(Protocol):
    """A store of immutable objects under opaque ids; every method is thread-safe."""

    def put(self, data: bytes, *, content_type: str, suffix: str = "") -> str:
        """Store ``data`` as a new object and return its new id (which ends in ``suffix``)."""
        ...

    def put_stream(self, chunks: Iterable[bytes], *, content_type: str, suffix: str = "") -> str:
        """Store the concatenated ``chunks`` as a new object and return its id.

        Atomic: until this returns, no reader can see the object; if ``chunks`` raises, the
        exception propagates and nothing is left visible.
        """
        ...

    def get(self, blob_id: str) -> bytes:
        """The whole object. ``NotFound`` for an unknown or malformed id."""
        ...

    def open(self, blob_id: str, *, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """The object as chunks, for streaming responses.

        ``NotFound`` is raised by this call, before the first chunk, so a caller can still
        answer 404. The iterator releases its resources once exhausted or closed.
        """
        ...

    def stat(self, blob_id: str) -> BlobMeta:
        """Content type, size and creation time. ``NotFound`` for an unknown or malformed id."""
        ...

    def delete(self, blob_id: str) -> None:
        """Remove the object. Idempotent for well-formed ids (deleting twice is no error);
        ``NotFound`` for a malformed one."""
        ...

    def exists(self, blob_id: str) -> bool:
        """Whether the object exists; ``False`` for a malformed id."""
        ...

    def check(self) -> None:
        """Raise ``ServiceUnavailable`` unless the store is usable (for readiness probes)."""
        ...
