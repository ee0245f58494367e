"""A model made active in a models folder straight from bytes, as ``seesay models pull``
leaves it (files checked into a staging folder, then the manifest), without any download."""

from __future__ import annotations

import hashlib
from pathlib import Path

from seesay.models.store import InstalledModel, ModelStore, new_manifest

__all__ = ["install"]


def install(models: Path, model_id: str, files: dict[str, bytes]) -> InstalledModel:
    """Activate ``model_id`` in the ``models`` folder with ``files`` (repository path ->
    bytes), through a store of its own, as another process would."""
    store = ModelStore(models)
    folder = store.staging_dir()
    listed = []
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
        listed.append({"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return store.activate(folder, new_manifest(model_id, {"kind": "hf"}, listed))
