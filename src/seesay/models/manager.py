"""The model manager behind ``seesay models``: list, pull, remove, verify, export, import.

Every operation works on one models folder (``ModelsSettings.folder(data_dir)``) and the
catalogue shipped in the package. Nothing is downloaded unless ``pull`` is called.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import IO, Any, Final

from seesay.errors import ChecksumMismatch, EngineUnavailable, InvalidRequest
from seesay.models.argos import ArgosSource, argos_pair, unpack_package
from seesay.models.catalogue import Catalogue, CatalogueEntry, SourceFile, safe_name
from seesay.models.hub import HubSource, check_file
from seesay.models.store import (
    MANIFEST,
    InstalledModel,
    ModelStore,
    VerifyResult,
    iter_model_files,
    new_manifest,
    require_match,
)

__all__ = ["ARCHIVE_INDEX", "ModelManager"]

ARCHIVE_INDEX: Final = "seesay-models.json"
_COPY_CHUNK: Final = 1 << 20

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def _repo_path(model_id: str, path: str) -> PurePosixPath:
    """``path`` as a relative path that stays inside its folder, or InvalidRequest."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or "\\" in path or any(p in ("..", "") for p in pure.parts):
        raise InvalidRequest(f"{model_id}: refusing the file path {path!r} (outside its folder)")
    return pure


class ModelManager:
    """Pulls catalogue models into a ``ModelStore`` and moves them between machines."""

    def __init__(
        self,
        store: ModelStore,
        catalogue: Catalogue,
        hub: HubSource,
        argos: ArgosSource | None = None,
    ) -> None:
        self.store = store
        self.catalogue = catalogue
        self.hub = hub
        self.argos = argos

    # -- reading -------------------------------------------------------------------------

    def entries(
        self, *, task: str | None = None, installed_only: bool = False
    ) -> list[dict[str, Any]]:
        """One dict per catalogue entry (the fields of ``list --json``)."""
        installed = self.store.installed()
        chosen = self.store.choices()
        rows = []
        for entry in self.catalogue:
            if task and entry.task != task:
                continue
            model = installed.get(entry.id)
            if installed_only and model is None:
                continue
            row = entry.summary() | {"installed": model is not None}
            if model is not None:
                row["size_bytes"] = model.size_bytes
                row["size_exact"] = True
                row["path"] = str(model.path)
                row["problems"] = self.store.quick_problems(model)
                row["load_error"] = self.store.load_error(model)
            row["chosen"] = chosen.get(entry.task) == entry.id
            rows.append(row)
        return rows

    # -- pull ----------------------------------------------------------------------------

    def pull(
        self, model_id: str, log: Log = _quiet, *, force: bool = False
    ) -> list[InstalledModel]:
        """Install ``model_id`` and what it requires; the models installed by this call
        (none when it is installed already, unless ``force``).

        Each file is downloaded into the model's partial folder (kept between runs so a pull
        resumes) and checked; the model becomes active only once every file has passed. On a
        checksum mismatch the partial folder is deleted and ChecksumMismatch raised."""
        entry = self.catalogue.get(model_id)
        done: list[InstalledModel] = []
        installed = self.store.installed()
        if entry.id in installed and not force:
            log(f"{entry.id} is installed already (pull --force to fetch it again)")
            return []
        for required in entry.requires:
            if required not in installed:
                done += self.pull(required, log)
        with self.store.pull_lock(entry.id):
            if entry.kind == "argos":
                return [*done, self._pull_argos(entry, log)]
            return [*done, self._pull_one(entry, log)]

    def _pull_argos(self, entry: CatalogueEntry, log: Log) -> InstalledModel:
        """An Argos package: downloaded and checked beside the partial folder, unpacked into
        it (checked again), then activated."""
        if self.argos is None:
            raise EngineUnavailable(f"{entry.id}: no Argos package index is configured")
        package = self.argos.resolve(entry)
        partial = self.store.partial_dir(entry.id)
        download = partial.with_name(partial.name + ".download") / package.file_name
        log(f"pulling {entry.id} ({package.file_name} {package.version}) from {package.links[0]}")
        try:
            digest = self.argos.download(entry, package, download, log)
            files = unpack_package(entry.id, download, partial, argos_pair(entry.id))
        except ChecksumMismatch:
            shutil.rmtree(partial, ignore_errors=True)
            shutil.rmtree(download.parent, ignore_errors=True)
            raise
        source = {
            "kind": "argos",
            "package": entry.repo,
            "version": package.version,
            "url": package.links[0],
            "archive_sha256": digest.sha256,
        }
        model = self.store.activate(partial, new_manifest(entry.id, source, files))
        shutil.rmtree(download.parent, ignore_errors=True)
        log(f"installed {entry.id}")
        return model

    def _pull_one(self, entry: CatalogueEntry, log: Log) -> InstalledModel:
        remotes = self.hub.resolve(entry)
        partial = self.store.partial_dir(entry.id)
        files = []
        commit = next((r.commit for r in remotes if r.commit), None)
        log(
            f"pulling {entry.id} from {entry.repo}@{entry.revision}"
            f" ({len(remotes)} files, {sum(r.size or 0 for r in remotes):,} bytes)"
        )
        try:
            for remote in remotes:
                dest = partial / _repo_path(entry.id, remote.pinned.path)
                digest = None
                if dest.is_file():  # finished by an earlier run: still the file announced?
                    try:
                        digest = check_file(dest, remote.pinned, remote.etag)
                    except ChecksumMismatch:
                        dest.unlink()  # another version of it: fetch it again
                if digest is None:
                    digest = self.hub.download(remote, dest, log)
                files.append(
                    {"path": remote.pinned.path, "size": digest.size, "sha256": digest.sha256}
                )
        except ChecksumMismatch:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        source = {"kind": "hf", "repo": entry.repo, "revision": entry.revision, "commit": commit}
        model = self.store.activate(partial, new_manifest(entry.id, source, files))
        log(f"installed {entry.id}")
        return model

    # -- remove and verify ---------------------------------------------------------------

    def remove(self, model_id: str) -> None:
        safe_name(model_id)
        self.store.remove(model_id)

    # -- choosing ------------------------------------------------------------------------

    #: the tasks whose default engine a pulled model can become
    CHOOSABLE: Final = ("vision",)

    def use(self, model_id: str) -> CatalogueEntry:
        """Make the installed ``model_id`` the default engine of its task (the running server
        follows without a restart). InvalidRequest for a task that has no such choice;
        NotFound when it is not installed."""
        entry = self.catalogue.get(model_id)
        if entry.task not in self.CHOOSABLE:
            raise InvalidRequest(
                f"{model_id} is a {entry.task} model; `use` chooses a "
                f"{' or '.join(self.CHOOSABLE)} model (pulled voices and pairs serve as they are)"
            )
        self.store.get(model_id)
        self.store.choose(entry.task, model_id)
        return entry

    def unuse(self, task: str) -> None:
        """Forget the chosen model of ``task``: the configured default engine serves again."""
        self.store.choose(task, None)

    def verify(self, model_id: str | None = None) -> list[VerifyResult]:
        """Recheck the installed files of ``model_id`` (or of every installed model)."""
        if model_id is not None:
            return [self.store.verify(self.store.get(model_id))]
        return [self.store.verify(m) for m in self.store.installed().values()]

    # -- export and import ---------------------------------------------------------------

    def export(self, model_ids: Iterable[str], out: Path) -> list[str]:
        """Write the installed ``model_ids`` into one tar archive at ``out`` (atomically)."""
        models = [self.store.get(i) for i in dict.fromkeys(model_ids)]
        if not models:
            raise InvalidRequest("name at least one installed model to export")
        tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
                index = json.dumps({"format": 1, "models": [m.id for m in models]}).encode()
                _add_bytes(tar, ARCHIVE_INDEX, index)
                for model in models:
                    top = safe_name(model.id)
                    _add_bytes(tar, f"{top}/{MANIFEST}", json.dumps(model.manifest).encode())
                    for repo_path, path in iter_model_files(model):
                        tar.add(path, arcname=f"{top}/{repo_path}", recursive=False)
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
        return [m.id for m in models]

    def import_archive(self, archive: Path) -> list[str]:
        """Install every model of an ``export`` archive, or none: entries that would land
        outside the models folder (absolute paths, ``..``, links, devices) and files whose
        sha256 differs from the archive's manifest or the catalogue's pin are refused before
        anything is activated."""
        staging = self.store.staging_dir()
        try:
            try:
                with tarfile.open(archive, "r:*") as tar:
                    received = self._unpack(tar, staging)
            except tarfile.TarError as exc:
                raise InvalidRequest(f"{archive} is not a model archive: {exc}") from exc
            ready = [self._checked(top, staging / top, hashes) for top, hashes in received.items()]
            if not ready:
                raise InvalidRequest(f"{archive} holds no model")
            for folder, manifest in ready:
                self.store.activate(folder, manifest)
            return [manifest["id"] for _, manifest in ready]
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _unpack(self, tar: tarfile.TarFile, staging: Path) -> dict[str, dict[str, str]]:
        """Stream each regular file of ``tar`` into ``staging``; {top folder: {path: sha256}}."""
        import hashlib

        received: dict[str, dict[str, str]] = {}
        for member in tar:
            name = member.name
            if not (member.isfile() or member.isdir()):
                raise InvalidRequest(f"refusing archive entry {name!r}: not a regular file")
            parts = _repo_path("archive", name.rstrip("/")).parts
            if member.isdir():
                continue
            if parts == (ARCHIVE_INDEX,):
                continue
            if len(parts) < 2:
                raise InvalidRequest(f"refusing archive entry {name!r}: not inside a model folder")
            top, rest = parts[0], "/".join(parts[1:])
            dest = staging.joinpath(*parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None  # a regular file
            digest = hashlib.sha256()
            with dest.open("xb") as fh:
                _copy(source, fh, digest.update)
            received.setdefault(top, {})[rest] = digest.hexdigest()
        return received

    def _checked(
        self, top: str, folder: Path, hashes: dict[str, str]
    ) -> tuple[Path, dict[str, Any]]:
        """The folder and manifest of one imported model, after every check."""
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            model_id = str(manifest["id"])
            files = list(manifest["files"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InvalidRequest(f"archive folder {top!r} has no valid {MANIFEST}") from exc
        if safe_name(model_id) != top:
            raise InvalidRequest(f"archive folder {top!r} holds a manifest for {model_id}")
        entry: CatalogueEntry = self.catalogue.get(model_id)
        # An Argos entry's pins are of the package archive, which is unpacked on install.
        pins = {f.path: f for f in entry.files} if entry.kind == "hf" else {}
        listed = {str(f["path"]) for f in files}
        extra = set(hashes) - listed - {MANIFEST}
        if extra:
            raise InvalidRequest(f"{model_id}: the archive has files its manifest lacks: {extra}")
        for f in files:
            path = str(f["path"])
            _repo_path(model_id, path)
            if path not in hashes:
                raise InvalidRequest(f"{model_id}: the archive lacks {path}")
            require_match(model_id, path, str(f["sha256"]), hashes[path])
            pinned = pins.get(path)
            if pinned is not None:
                check_file(folder / path, SourceFile(path, pinned.size, pinned.sha256, pinned.md5))
        missing = set(pins) - listed
        if missing:
            raise InvalidRequest(f"{model_id}: the archive lacks {sorted(missing)}")
        return folder, manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _copy(source: IO[bytes], target: IO[bytes], update: Callable[[bytes], Any]) -> None:
    while chunk := source.read(_COPY_CHUNK):
        update(chunk)
        target.write(chunk)
