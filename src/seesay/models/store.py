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
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from seesay.errors import ChecksumMismatch, NotFound
from seesay.models.catalogue import safe_name
from seesay.models.hub import digest_file

__all__ = ["MANIFEST", "InstalledModel", "ModelStore", "VerifyResult", "file_identity"]

MANIFEST: Final = "manifest.json"
LOAD_ERROR: Final = "load-error.json"
CHOICES: Final = "choices.json"
# A folder's mtime is as coarse as the kernel's clock tick (or a second, on some file
# systems): a survey taken this soon after the last change may have missed a second change
# within the same tick, so it is not trusted until this much time has passed.
_SETTLE_NS: Final = 2_000_000_000


@dataclass(frozen=True, slots=True)
class InstalledModel:
    """One active model. ``version`` tells one installation of it from the next (the inode of
    its folder and the mtime of its manifest: a pull again or an import installs a new
    folder), so a cache of what was loaded from it can tell it is stale."""

    id: str
    path: Path
    manifest: dict[str, Any]
    version: tuple[int, int] = (0, 0)

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
        self._lock = threading.Lock()
        # (stamp of pulled/, survey, trusted): the last survey of pulled/ (see installed()).
        self._survey: tuple[int | None, Mapping[str, InstalledModel], bool] | None = None

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

    def installed(self) -> Mapping[str, InstalledModel]:
        """Every active model by id (read-only).

        The models folder is looked at again only when ``pulled/`` changed (one stat
        otherwise), and a manifest is read only for a model folder not seen before, so the
        engines that all ask on each request share one survey. While nothing changed the
        very same mapping is returned: ``is`` tells a caller whether to look again."""
        stamp = pulled_stamp(self.root)
        last = self._survey
        if last is not None and last[0] == stamp and last[2]:
            return last[1]
        with self._lock:
            last = self._survey
            if last is not None and last[0] == stamp and last[2]:
                return last[1]
            before = last[1] if last is not None else {}
            found = self._read_installed(before)
            survey: Mapping[str, InstalledModel] = MappingProxyType(found)
            if last is not None and before == survey:
                survey = before  # the same models: the same mapping, for `is` checks
            trusted = stamp is None or time.time_ns() - stamp > _SETTLE_NS
            self._survey = (stamp, survey, trusted)
            return survey

    def _read_installed(self, before: Mapping[str, InstalledModel]) -> dict[str, InstalledModel]:
        """The models in ``pulled/``, reusing those of ``before`` whose folder is the same
        installation (a folder is never changed in place: a pull again is a new folder)."""
        known = {m.path.name: m for m in before.values()}
        found: dict[str, InstalledModel] = {}
        if not self.pulled.is_dir():
            return found
        for folder in sorted(self.pulled.iterdir()):
            seen = known.get(folder.name)
            same = seen is not None and seen.version == _version(folder) != (0, 0)
            model = seen if same else None
            model = model or _read_model(folder)
            if model is not None:
                found[model.id] = model
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
        self._survey = None
        return InstalledModel(model_id, target, manifest, _version(target))

    def remove(self, model_id: str) -> None:
        """Deactivate (one rename) then delete ``model_id``; NotFound when not installed."""
        target = self.pulled / safe_name(model_id)
        if not (target / MANIFEST).is_file():
            raise NotFound(f"{model_id} is not installed")
        trash = self.root / f".trash-{uuid.uuid4().hex[:12]}"
        os.replace(target, trash)
        self._survey = None
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


def _read_model(folder: Path) -> InstalledModel | None:
    """The model whose folder is ``folder``, or None when it holds none."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not a model folder
    if not isinstance(manifest, dict) or safe_name(str(manifest.get("id"))) != folder.name:
        return None
    return InstalledModel(manifest["id"], folder, manifest, _version(folder))


def _version(folder: Path) -> tuple[int, int]:
    try:
        return (folder.stat().st_ino, (folder / MANIFEST).stat().st_mtime_ns)
    except OSError:
        return (0, 0)


def file_identity(path: Path) -> tuple[int, int, int] | None:
    """Which file ``path`` names now (inode, mtime, size), None when there is none: a cache
    of what was loaded from it compares this to notice the file was replaced."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


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
