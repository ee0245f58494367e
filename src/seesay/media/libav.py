"""PyAV, imported with a cap on the size of any one allocation inside FFmpeg.

Contract: :func:`load_av` returns the ``av`` module; the first call also sets libavutil's
``av_max_alloc`` to :data:`MAX_ALLOCATION_BYTES` for the whole process. Every use of PyAV in
SeeSay goes through it.

Why: FFmpeg trusts the sizes a container declares before it reads what they describe. A
348-byte WAV whose ``LIST`` chunk claims two gigabytes makes the RIFF demuxer zero-fill a
two-gigabyte buffer for its metadata before it finds the file is short (found by
``tests/security/parser_fuzz.py``). FFmpeg's own guard is that cap, 2 GiB by default. SeeSay
never needs a single buffer anywhere near it: uploads are capped well below it, and the
encoders are fed in chunks (``media.audio_encode``), so the largest legitimate allocation is a
packet or an attached cover picture. Over the cap, FFmpeg fails the allocation and PyAV raises
its ``MemoryError``, which the decoders already turn into ``InvalidAudio``.

PyAV does not expose ``av_max_alloc``, so it is called through ``ctypes`` on the very
libavutil PyAV loaded (found in the process's memory map, or beside the ``av`` package).
Where neither finds it, the cap is not set and :func:`allocation_cap` says so.
"""

from __future__ import annotations

import ctypes
import logging
import threading
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import numpy as np
import numpy.typing as npt

__all__ = ["FRAME_SAMPLES", "MAX_ALLOCATION_BYTES", "allocation_cap", "load_av", "run_resampler"]

MAX_ALLOCATION_BYTES: Final = 64 * 1024 * 1024
FRAME_SAMPLES: Final = 1 << 16
"""The most samples SeeSay hands FFmpeg in one frame (256 KiB of float32)."""

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_cap: int | None = None
_loaded = False


def load_av() -> ModuleType:
    """The ``av`` module, with FFmpeg's allocation cap set (once per process)."""
    global _loaded, _cap
    import av

    if not _loaded:
        with _lock:
            if not _loaded:
                _cap = _set_cap(av, MAX_ALLOCATION_BYTES)
                _loaded = True
    return av


def allocation_cap() -> int | None:
    """The cap :func:`load_av` set, in bytes; ``None`` before it ran or where it could not."""
    return _cap


def _set_cap(av: ModuleType, limit: int) -> int | None:
    library = _libavutil_path(av)
    if library is None:
        _log.warning("libavutil not found beside PyAV; FFmpeg allocations are not capped")
        return None
    try:
        avutil = ctypes.CDLL(str(library))
        avutil.av_max_alloc.argtypes = [ctypes.c_size_t]
        avutil.av_max_alloc.restype = None
        avutil.av_max_alloc(limit)
    except (OSError, AttributeError) as exc:
        _log.warning("could not cap FFmpeg allocations (%s): %s", library, exc)
        return None
    return limit


def _libavutil_path(av: ModuleType) -> Path | None:
    """The libavutil PyAV's own wheel ships, as this process has mapped it; else as found
    beside the package. Other wheels (OpenCV's) may map a libavutil of their own: only the one
    in PyAV's folders counts."""
    package = Path(av.__file__ or "").parent
    folders = (package.parent / "av.libs", package / ".dylibs", package)
    maps = Path("/proc/self/maps")
    if maps.exists():
        for line in maps.read_text().splitlines():
            fields = line.split(maxsplit=5)
            path = Path(fields[5]) if len(fields) == 6 else None
            if path and path.name.startswith("libavutil") and path.parent in folders:
                return path
    for folder in folders:
        found = sorted(folder.glob("libavutil*")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


def run_resampler(
    resampler: Any, samples: npt.NDArray[np.float32] | None, rate: int
) -> npt.NDArray[np.float32]:
    """Mono float32 ``samples`` at ``rate`` through a PyAV ``AudioResampler`` (format
    ``flt``, layout ``mono``), in frames of at most :data:`FRAME_SAMPLES`; ``None`` flushes
    what the resampler holds. Returns what came out (possibly nothing)."""
    av = load_av()
    if samples is None:
        frames: list[Any] = list(resampler.resample(None))
    else:
        frames = []
        for start in range(0, len(samples), FRAME_SAMPLES):
            chunk = np.ascontiguousarray(samples[start : start + FRAME_SAMPLES], np.float32)
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="flt", layout="mono")
            frame.sample_rate = rate
            frames.extend(resampler.resample(frame))
    parts = [f.to_ndarray().reshape(-1) for f in frames]
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
