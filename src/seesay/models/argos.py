"""Pulling Argos Translate packages (``argos:<from>-<to>``) from Argos's package index.

An Argos package (``.argosmodel``) is a zip holding one folder with ``metadata.json``
(``from_code``, ``to_code``, ``package_version``...), a CTranslate2 model in ``model/`` and a
SentencePiece model (``sentencepiece.model``). Pulling one:

1. reads the package index (``ModelsSettings.argos_index_url``, a JSON list) for the package of
   the entry's languages and version, and its download links (the catalogue's links when the
   index names none);
2. downloads the package with ``huggingface_hub``'s resuming HTTP client into the partial folder
   (``<name>.argosmodel.part``, kept between runs), and checks it against the catalogue's pinned
   size and sha256 where there is one (Argos's index announces no checksum);
3. unpacks it, refusing entries that would land outside the folder and links, and checks that
   it is the package asked for (its metadata's languages) and holds a model and a tokenizer.

The unpacked files, each with its sha256, make the manifest, so ``verify`` and ``export`` work
as for any model. Nothing is activated unless every step passed.
"""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Final

from seesay.errors import ChecksumMismatch, InvalidRequest, NotFound, UpstreamError
from seesay.models.catalogue import CatalogueEntry, SourceFile
from seesay.models.hub import FileDigest, digest_file, finish_download

__all__ = ["PACKAGE_FOLDER", "ArgosPackage", "ArgosSource", "argos_pair", "unpack_package"]

PACKAGE_FOLDER: Final = "package"
"""Where an installed pair's files live inside its model folder."""
_MAX_UNPACKED: Final = 4 << 30  # no Argos package unpacks to more than a few hundred MB

Log = Callable[[str], None]


def argos_pair(model_id: str) -> tuple[str, str]:
    """(from, to) Argos codes of ``argos:<from>-<to>``."""
    name = model_id.split(":", 1)[-1]
    source, _, target = name.partition("-")
    if not source or not target:
        raise InvalidRequest(f"{model_id!r} is not an Argos pair id (like argos:en-es)")
    return source, target


@dataclass(frozen=True, slots=True)
class ArgosPackage:
    """A package as the index describes it."""

    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}.argosmodel"


def _http_links(links: Any) -> tuple[str, ...]:
    return tuple(str(u) for u in links or () if str(u).startswith(("http://", "https://")))


class ArgosSource:
    """Argos Translate's package index at ``index_url``."""

    def __init__(self, index_url: str, timeout: float = 30.0) -> None:
        self._index_url = index_url
        self._timeout = timeout

    def index(self) -> list[dict[str, Any]]:
        """The index's package rows (one GET)."""
        import httpx

        try:
            response = httpx.get(self._index_url, timeout=self._timeout, follow_redirects=True)
            response.raise_for_status()
            rows = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise UpstreamError(
                f"the Argos package index {self._index_url} did not answer: {exc}"
            ) from exc
        if not isinstance(rows, list):
            raise UpstreamError(f"the Argos package index {self._index_url} is not a list")
        return [r for r in rows if isinstance(r, dict)]

    def resolve(self, entry: CatalogueEntry) -> ArgosPackage:
        """The package of ``entry`` in the index: its languages, at the catalogue's version
        where the index still lists it, else the newest it lists."""
        source, target = argos_pair(entry.id)
        found = [
            r
            for r in self.index()
            if r.get("from_code") == source
            and r.get("to_code") == target
            and r.get("type", "translate") == "translate"
        ]
        if not found:
            raise NotFound(f"{entry.id}: the Argos package index lists no {source}->{target}")
        pinned = [r for r in found if str(r.get("package_version")) == entry.revision]
        row = (pinned or found)[-1]
        links = _http_links(row.get("links")) or _http_links(entry.extra.get("links"))
        if not links:
            raise NotFound(f"{entry.id}: the Argos package index gives no http(s) link")
        return ArgosPackage(source, target, str(row.get("package_version", "")), links)

    def download(
        self, entry: CatalogueEntry, package: ArgosPackage, dest: Path, log: Log
    ) -> FileDigest:
        """The package into ``dest`` (checked against the catalogue's pin), resuming from
        ``dest``'s ``.part`` file. A mismatch removes the bytes and raises ChecksumMismatch."""
        from huggingface_hub.file_download import http_get

        pinned = next(iter(entry.files), SourceFile(package.file_name))
        part = dest.with_name(dest.name + ".part")
        tag = dest.with_name(dest.name + ".part.json")
        dest.parent.mkdir(parents=True, exist_ok=True)
        state = {"version": package.version, "links": list(package.links)}
        if part.exists() and (not tag.exists() or json.loads(tag.read_text()) != state):
            part.unlink()  # bytes of another version of the package
        tag.write_text(json.dumps(state))
        errors = []
        for url in package.links:
            with part.open("r+b" if part.exists() else "wb") as fh:
                start = fh.seek(0, 2)
                if start:
                    log(f"resuming {package.file_name} at {start} bytes")
                if pinned.size is not None and start >= pinned.size:
                    break
                try:
                    http_get(
                        url,
                        fh,
                        resume_size=start,
                        expected_size=pinned.size,
                        displayed_filename=package.file_name,
                    )
                    break
                except Exception as exc:
                    if not (
                        isinstance(exc, OSError)
                        or type(exc).__module__.startswith(("huggingface_hub", "httpx"))
                    ):
                        raise
                    errors.append(f"{url}: {exc}")
        else:
            raise UpstreamError(
                f"{entry.id}: the download stopped ({'; '.join(errors)}); the bytes received "
                "are kept, pull again to resume"
            )
        return finish_download(part, tag, dest, SourceFile(pinned.path, pinned.size, pinned.sha256))


def unpack_package(
    model_id: str, archive: Path, folder: Path, expected: tuple[str, str]
) -> list[dict[str, Any]]:
    """Unpack the ``.argosmodel`` at ``archive`` into ``folder/package``; the manifest rows
    (path, size, sha256) of its files. Refuses (ChecksumMismatch, nothing left behind) a zip
    that is not one, an entry outside its folder or a link, and a package of other languages
    or without a model and tokenizer."""
    target = folder / PACKAGE_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    try:
        return _unpack(model_id, archive, target, expected)
    except Exception:
        shutil.rmtree(target, ignore_errors=True)
        raise


def _refuse(model_id: str, why: str) -> ChecksumMismatch:
    return ChecksumMismatch(
        f"{model_id}: the package is refused: {why}; nothing was installed",
        details={"model": model_id},
    )


def _unpack(
    model_id: str, archive: Path, target: Path, expected: tuple[str, str]
) -> list[dict[str, Any]]:
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(model_id, f"not a zip archive ({exc})") from exc
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > _MAX_UNPACKED:
            raise _refuse(model_id, "it unpacks to more than 4 GiB")
        tops = {PurePosixPath(m.filename).parts[0] for m in members if m.filename}
        if len(tops) != 1:
            raise _refuse(model_id, "it does not hold exactly one package folder")
        top = tops.pop()
        for member in members:
            pure = PurePosixPath(member.filename)
            mode = member.external_attr >> 16
            if pure.is_absolute() or "\\" in member.filename or ".." in pure.parts:
                raise _refuse(model_id, f"entry {member.filename!r} lands outside its folder")
            if stat.S_ISLNK(mode):
                raise _refuse(model_id, f"entry {member.filename!r} is a link")
            dest = target.joinpath(*pure.parts[1:])
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(member) as src, dest.open("xb") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
            except (zipfile.BadZipFile, OSError) as exc:  # a CRC error: bytes changed inside
                raise _refuse(model_id, f"entry {member.filename!r} is damaged ({exc})") from exc
    try:
        meta = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
        pair = (str(meta["from_code"]), str(meta["to_code"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _refuse(model_id, f"{top}/metadata.json is missing or unreadable") from exc
    if pair != expected:
        raise _refuse(
            model_id, f"it translates {pair[0]}->{pair[1]}, not {expected[0]}->{expected[1]}"
        )
    if not (target / "model" / "model.bin").is_file():
        raise _refuse(model_id, "it holds no CTranslate2 model (model/model.bin)")
    if not (target / "sentencepiece.model").is_file():
        raise _refuse(model_id, "it holds no sentencepiece.model")
    rows = []
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        digest = digest_file(path)
        rel = path.relative_to(target.parent).as_posix()
        rows.append({"path": rel, "size": digest.size, "sha256": digest.sha256})
    return rows
