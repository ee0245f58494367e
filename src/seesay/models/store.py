"""Where pulled models live, and how one becomes active.

Layout under the models folder (``<data_dir>/models`` by default)::

    pulled/<name>/            one folder per active model (name: the id with ':' as '--')
    pulled/<name>/manifest.json
    pulled/<name>/load-error.json  why the server could not load it (cleared by a good load)
    choices.json              the pulled model chosen per task (``seesay models use``)
    .partial/<name>/          downloads in progress (kept between runs so they resume)
    .staging-*/               a model being imported or replaced

A model is active exactly when ``pulled/<name>/manifest.json`` exists. Its folder is filled
and checked elsewhere, the manifest written last, and the folder renamed into ``pulled/`` in
one step, so a reader sees either the whole checked model or nothing.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from seesay.errors import ChecksumMismatch, NotFound
from seesay.models.catalogue import safe_name
from seesay.models.hub import digest_file

__all__ = ["MANIFEST", "InstalledModel", "ModelStore", "VerifyResult"]

MANIFEST: Final = "manifest.json"
LOAD_ERROR: Final = "load-error.json"
CHOICES: Final = "choices.json"


@dataclass(frozen=True, slots=True)
class InstalledModel:
    id: str
    path: Path
    manifest: dict[str, Any]

    @property
    def size_bytes(self) -> int:
        return sum(int(f["size"]) for f in self.manifest["files"])

    def file(self, repo_path: str) -> Path:
        return self.path / repo_path


@dataclass(frozen=True, slots=True)
class VerifyResult:
    id: str
    ok: bool
    problems: tuple[str, ...]


class ModelStore:
    """The pulled models of one models folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pulled = root / "pulled"

    def partial_dir(self, model_id: str) -> Path:
        return self.root / ".partial" / safe_name(model_id)

    @contextmanager
    def pull_lock(self, model_id: str) -> Iterator[None]:
        """Held while ``model_id`` downloads: a second pull of it (another process, the admin
        API) waits instead of writing into the same partial files."""
        lock = self.root / ".partial" / f"{safe_name(model_id)}.lock"
        lock.parent.mkdir(parents=True, exist_ok=True)
        with lock.open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def staging_dir(self) -> Path:
        path = self.root / f".staging-{uuid.uuid4().hex[:12]}"
        path.mkdir(parents=True)
        return path

    def installed(self) -> dict[str, InstalledModel]:
        """Every active model by id."""
        found: dict[str, InstalledModel] = {}
        if not self.pulled.is_dir():
            return found
        for folder in sorted(self.pulled.iterdir()):
            try:
                manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # not a model folder
            if isinstance(manifest, dict) and safe_name(str(manifest.get("id"))) == folder.name:
                found[manifest["id"]] = InstalledModel(manifest["id"], folder, manifest)
        return found

    def get(self, model_id: str) -> InstalledModel:
        model = self.installed().get(model_id)
        if model is None:
            raise NotFound(f"{model_id} is not installed")
        return model

    def activate(self, folder: Path, manifest: dict[str, Any]) -> InstalledModel:
        """Write ``manifest`` into the checked ``folder`` and move it into place, replacing an
        older copy of the same model."""
        model_id = manifest["id"]
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        self.pulled.mkdir(parents=True, exist_ok=True)
        target = self.pulled / safe_name(model_id)
        old = None
        if target.exists():
            old = self.root / f".trash-{uuid.uuid4().hex[:12]}"
            os.replace(target, old)
        os.replace(folder, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return InstalledModel(model_id, target, manifest)

    def remove(self, model_id: str) -> None:
        """Deactivate (one rename) then delete ``model_id``; NotFound when not installed."""
        target = self.pulled / safe_name(model_id)
        if not (target / MANIFEST).is_file():
            raise NotFound(f"{model_id} is not installed")
        trash = self.root / f".trash-{uuid.uuid4().hex[:12]}"
        os.replace(target, trash)
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(self.partial_dir(model_id), ignore_errors=True)

    def quick_problems(self, model: InstalledModel) -> list[str]:
        """What a stat can tell of ``model``: missing files and wrong sizes (no hashing)."""
        problems = []
        for f in model.manifest["files"]:
            try:
                size = model.file(f["path"]).stat().st_size
            except OSError:
                problems.append(f"{f['path']}: missing")
                continue
            if size != f["size"]:
                problems.append(f"{f['path']}: {size} bytes, manifest says {f['size']}")
        return problems

    def verify(self, model: InstalledModel) -> VerifyResult:
        """Recompute every file's sha256 against the manifest."""
        problems = []
        for f in model.manifest["files"]:
            path = model.file(f["path"])
            if not path.is_file():
                problems.append(f"{f['path']}: missing")
                continue
            got = digest_file(path)
            if got.size != f["size"] or got.sha256 != f["sha256"]:
                problems.append(f"{f['path']}: sha256 {got.sha256}, manifest says {f['sha256']}")
        return VerifyResult(model.id, not problems, tuple(problems))

    # -- choices and load errors ------------------------------------------------------------

    def choices(self) -> dict[str, str]:
        """The model chosen for each task by ``seesay models use`` (task -> id)."""
        try:
            data = json.loads((self.root / CHOICES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def choose(self, task: str, model_id: str | None) -> None:
        """Make ``model_id`` the chosen model of ``task`` (None: no choice); written by a
        rename, so a reader sees the old or the new file."""
        chosen = self.choices()
        if model_id is None:
            chosen.pop(task, None)
        else:
            chosen[task] = model_id
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{CHOICES}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(json.dumps(chosen, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.root / CHOICES)

    def record_load_error(self, model: InstalledModel, message: str | None) -> None:
        """Remember why ``model`` would not load (None: it loaded), for ``models list``."""
        path = model.path / LOAD_ERROR
        try:
            if message is None:
                path.unlink(missing_ok=True)
            else:
                stamp = model.manifest.get("installed_at")
                body = {"error": message, "installed_at": stamp}
                path.write_text(json.dumps(body) + "\n", encoding="utf-8")
        except OSError:
            pass  # a read-only models folder: the server still reports it in /readyz

    def load_error(self, model: InstalledModel) -> str | None:
        """Why the server last failed to load ``model`` (None: no failure recorded since
        it was installed)."""
        try:
            data = json.loads((model.path / LOAD_ERROR).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("installed_at") != model.manifest.get("installed_at"):
            return None
        return str(data.get("error"))

    def sweep(self) -> None:
        """Remove leftovers of interrupted imports and replacements (not partial downloads)."""
        if self.root.is_dir():
            for path in self.root.iterdir():
                if path.name.startswith((".staging-", ".trash-")):
                    shutil.rmtree(path, ignore_errors=True)


def pulled_stamp(models_dir: Path | None) -> int | None:
    """Changes whenever a model is activated or removed under ``models_dir`` (both are a
    rename into or out of ``pulled/``); ``None`` where there is no such folder."""
    if models_dir is None:
        return None
    try:
        return (models_dir / "pulled").stat().st_mtime_ns
    except OSError:
        return None


def choices_stamp(models_dir: Path | None) -> int | None:
    """Changes whenever ``seesay models use`` changes a choice under ``models_dir``."""
    if models_dir is None:
        return None
    try:
        return (models_dir / CHOICES).stat().st_mtime_ns
    except OSError:
        return None


def new_manifest(
    model_id: str, source: dict[str, Any], files: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format": 1,
        "id": model_id,
        "source": source,
        "files": files,
        "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def iter_model_files(model: InstalledModel) -> Iterator[tuple[str, Path]]:
    """(path in the repository, file on disk) of each file of ``model``."""
    for f in model.manifest["files"]:
        yield f["path"], model.file(f["path"])


def require_match(model_id: str, repo_path: str, want: str, have: str) -> None:
    if want != have:
        raise ChecksumMismatch(
            f"{model_id}: {repo_path} has sha256 {have}, expected {want}; nothing was installed",
            details={"model": model_id, "file": repo_path},
        )
