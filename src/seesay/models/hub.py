"""Downloading a catalogue entry's files from the Hugging Face Hub through ``huggingface_hub``.

``huggingface_hub`` does the talking: it resolves the endpoint (``HF_ENDPOINT``, or the
``endpoint`` given here), sends ``HF_TOKEN``, follows the Hub's redirects, retries and resumes
a dropped transfer with a ``Range`` request, and draws the progress bar. What it leaves out,
SeeSay does here:

- it keeps the partial bytes of a file across runs (``<path>.part``, with the ETag it belongs
  to beside it), so a pull interrupted by a crash or Ctrl-C resumes where it stopped;
- it checks every finished file against what the Hub announces (the ETag: the sha256 of an LFS
  file, the git blob sha1 of any other) and against the catalogue's pinned size, sha256 and
  md5, because ``huggingface_hub`` does not.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from seesay.errors import ChecksumMismatch, NotFound, UpstreamError
from seesay.models.catalogue import CatalogueEntry, SourceFile

__all__ = ["FileDigest", "HubSource", "RemoteFile", "check_file", "digest_file", "finish_download"]

_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
_SHA1: Final = re.compile(r"^[0-9a-f]{40}$")
_CHUNK: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """A file as the Hub describes it: where to fetch it and what it announces about it."""

    pinned: SourceFile
    url: str
    etag: str | None
    size: int | None
    commit: str | None
    same_host: bool


@dataclass(frozen=True, slots=True)
class FileDigest:
    size: int
    sha256: str
    sha1_blob: str
    md5: str


def digest_file(path: Path) -> FileDigest:
    """Size, sha256, git blob sha1 and md5 of a file, read once."""
    size = path.stat().st_size
    sha256, md5 = hashlib.sha256(), hashlib.md5(usedforsecurity=False)
    blob = hashlib.sha1(f"blob {size}\0".encode(), usedforsecurity=False)
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha256.update(chunk)
            md5.update(chunk)
            blob.update(chunk)
    return FileDigest(size, sha256.hexdigest(), blob.hexdigest(), md5.hexdigest())


def check_file(path: Path, pinned: SourceFile, etag: str | None = None) -> FileDigest:
    """The digest of ``path`` after checking it against the pinned size/sha256/md5 and the
    announced ETag; ChecksumMismatch names the first that differs."""
    got = digest_file(path)
    checks: list[tuple[str, object, object]] = [
        ("size", pinned.size, got.size),
        ("pinned sha256", pinned.sha256, got.sha256),
        ("pinned md5", pinned.md5, got.md5),
    ]
    if etag and _SHA256.match(etag):
        checks.append(("sha256 announced by the Hub", etag, got.sha256))
    elif etag and _SHA1.match(etag):
        checks.append(("git blob sha1 announced by the Hub", etag, got.sha1_blob))
    for what, want, have in checks:
        if want is not None and want != have:
            raise ChecksumMismatch(
                f"{pinned.path}: {what} is {have}, expected {want}; the file was discarded",
                details={"file": pinned.path, "check": what},
            )
    return got


def finish_download(
    part: Path, tag: Path, dest: Path, pinned: SourceFile, etag: str | None = None
) -> FileDigest:
    """Check a completed download ``part`` (``check_file``) and move it to ``dest``; on a
    mismatch the partial file and its resume ``tag`` are removed and ``ChecksumMismatch``
    raised, so nothing unchecked is ever activated or resumed from."""
    try:
        digest = check_file(part, pinned, etag)
    except ChecksumMismatch:
        part.unlink(missing_ok=True)
        tag.unlink(missing_ok=True)
        raise
    part.replace(dest)
    tag.unlink(missing_ok=True)
    return digest


def _transfer_error(exc: Exception) -> bool:
    """Whether ``exc`` is a network or Hub failure (not a bug of ours)."""
    return isinstance(exc, OSError) or type(exc).__module__.startswith(("huggingface_hub", "httpx"))


def _said(exc: Exception) -> str:
    """What ``exc`` says, on one line, without the line httpx appends pointing at MDN's page
    on the status (noise in an error message)."""
    lines = [line.strip() for line in str(exc).splitlines()]
    kept = [line for line in lines if line and not line.startswith("For more information")]
    return " ".join(kept) or type(exc).__name__


class HubSource:
    """One Hub endpoint (None: whatever ``huggingface_hub`` is configured with)."""

    def __init__(self, endpoint: str | None = None, token: str | None = None) -> None:
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self._token = token

    def _hf(self) -> Any:
        import huggingface_hub

        return huggingface_hub

    def resolve(self, entry: CatalogueEntry) -> list[RemoteFile]:
        """The files of ``entry`` with what the Hub announces for each (HEAD requests; a tree
        listing first when the entry names patterns)."""
        hf = self._hf()
        from huggingface_hub.errors import EntryNotFoundError, RepositoryNotFoundError

        pinned = list(entry.files)
        try:
            if entry.patterns:
                pinned += self._listed(entry, {f.path for f in pinned})
            out = []
            for sf in pinned:
                url = hf.hf_hub_url(
                    entry.repo, sf.path, revision=entry.revision, endpoint=self._endpoint
                )
                meta = hf.get_hf_file_metadata(url, token=self._token, endpoint=self._endpoint)
                # Like hf_hub_download without hf_xet: a Xet-stored file is fetched through its
                # resolve URL (which redirects), any other from where the HEAD pointed (a CDN).
                fetch = url if meta.xet_file_data is not None else (meta.location or url)
                out.append(
                    RemoteFile(
                        pinned=sf,
                        url=fetch,
                        etag=meta.etag,
                        size=meta.size,
                        commit=meta.commit_hash,
                        same_host=urlsplit(fetch).netloc == urlsplit(url).netloc,
                    )
                )
            return out
        except (EntryNotFoundError, RepositoryNotFoundError) as exc:
            raise NotFound(
                f"{entry.id}: {entry.repo}@{entry.revision} lacks a file: {_said(exc)}"
            ) from exc
        except Exception as exc:
            if _transfer_error(exc):
                raise UpstreamError(f"{entry.id}: the Hub did not answer: {_said(exc)}") from exc
            raise

    def _listed(self, entry: CatalogueEntry, known: set[str]) -> list[SourceFile]:
        api = self._hf().HfApi(endpoint=self._endpoint, token=self._token)
        found = []
        for item in api.list_repo_tree(entry.repo, revision=entry.revision, recursive=True):
            size = getattr(item, "size", None)
            if size is None or item.path in known:  # a folder, or pinned already
                continue
            if any(fnmatch.fnmatch(item.path, p) for p in entry.patterns):
                # Only the size: the sha256 the tree lists is the one the HEAD announces.
                found.append(SourceFile(item.path, size))
        if not found:
            raise NotFound(f"{entry.id}: no file of {entry.repo}@{entry.revision} matches")
        return found

    def download(
        self, remote: RemoteFile, dest: Path, log: Callable[[str], None] = lambda _: None
    ) -> FileDigest:
        """``remote`` into ``dest`` (checked), resuming from ``dest``'s ``.part`` file when that
        belongs to the same ETag. A mismatch removes the partial bytes and raises."""
        from huggingface_hub.file_download import http_get
        from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

        part = dest.with_name(dest.name + ".part")
        tag = dest.with_name(dest.name + ".part.json")
        dest.parent.mkdir(parents=True, exist_ok=True)
        state = {"etag": remote.etag, "url_path": remote.pinned.path}
        if part.exists() and (not tag.exists() or json.loads(tag.read_text()) != state):
            part.unlink()  # bytes of another version of the file
        tag.write_text(json.dumps(state))
        headers = build_hf_headers(token=self._token)
        if not remote.same_host:
            headers.pop("authorization", None)  # a signed CDN URL: no token to third parties
        with part.open("r+b" if part.exists() else "wb") as fh:
            start = fh.seek(0, 2)
            if start:
                log(f"resuming {remote.pinned.path} at {start} bytes")
            if remote.size is None or start < remote.size:
                try:
                    http_get(
                        remote.url,
                        fh,
                        resume_size=start,
                        headers=headers,
                        expected_size=remote.size,
                        displayed_filename=remote.pinned.path,
                    )
                except Exception as exc:
                    if not _transfer_error(exc):
                        raise
                    said, kept = _said(exc), fh.tell()
                    raise UpstreamError(
                        f"{remote.pinned.path}: the download stopped ({said}); {kept} bytes "
                        "are kept, pull again to resume"
                    ) from exc
        return finish_download(part, tag, dest, remote.pinned, remote.etag)
