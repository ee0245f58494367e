"""The playground's files, read once from package data into memory.

Files are looked up in a table built at start-up, so no request path ever reaches the file
system (no traversal to guard against). Every file is served under a versioned prefix
``/static/<version>/``, where the version is a digest of all the files: a changed file
changes every URL, so each response can be cached for a year as immutable, and the page's
relative module imports stay inside one consistent version.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final

__all__ = ["CONTENT_TYPES", "Asset", "AssetTable", "load_assets"]

CONTENT_TYPES: Final[dict[str, str]] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
_COMPRESSIBLE: Final = (".html", ".js", ".mjs", ".css", ".svg", ".json", ".webmanifest", ".txt")
_MIN_GZIP_BYTES: Final = 1024


@dataclass(frozen=True, slots=True)
class Asset:
    """One file: its bytes, a gzip copy when worth it, its type and strong ETag."""

    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str


@dataclass(frozen=True, slots=True)
class AssetTable:
    version: str
    index_template: str  # index.html with ``{{static}}`` still to fill in
    files: dict[str, Asset]  # path relative to static/, '/'-separated

    def get(self, path: str) -> Asset | None:
        return self.files.get(path)


def _walk(node: Traversable, prefix: str = "") -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name.startswith("."):
            continue
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            out += _walk(child, rel + "/")
        else:
            out.append((rel, child.read_bytes()))
    return out


def _suffix(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:].lower() if dot >= 0 else ""


def load_assets(package: str = "seesay.web") -> AssetTable:
    """Read ``<package>/static/**``; files of an unknown type are left out (never served)."""
    root = resources.files(package).joinpath("static")
    files: dict[str, Asset] = {}
    digest = hashlib.sha256()
    index = ""
    for rel, body in _walk(root):
        suffix = _suffix(rel)
        if rel == "index.html":
            index = body.decode("utf-8")
        if suffix not in CONTENT_TYPES:
            continue
        digest.update(rel.encode() + b"\0" + body + b"\0")
        packed = None
        if suffix in _COMPRESSIBLE and len(body) >= _MIN_GZIP_BYTES:
            packed = gzip.compress(body, compresslevel=9, mtime=0)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        files[rel] = Asset(body, packed, CONTENT_TYPES[suffix], etag)
    if not index:
        raise RuntimeError(f"{package}/static/index.html is missing from the installed package")
    return AssetTable(digest.hexdigest()[:16], index, files)
