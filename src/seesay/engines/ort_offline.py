"""onnxruntime without its telemetry: the offline server must not call home.

onnxruntime's wheels start a telemetry client (1DS) when the module is first imported; a few
seconds later it connects to ``mobile.events.data.microsoft.com:443``, from native code that no
Python-level guard sees. The runtime reads ``ORT_DISABLE_TELEMETRY`` once, at that first import,
so every engine calls :func:`disable_ort_telemetry` right before importing onnxruntime or a
library that imports it (nudenet, RapidOCR, faster-whisper, Piper, hibari, kokoro-onnx).
"""

from __future__ import annotations

import os
from typing import Final

__all__ = ["ORT_TELEMETRY_VARIABLE", "disable_ort_telemetry"]

ORT_TELEMETRY_VARIABLE: Final = "ORT_DISABLE_TELEMETRY"


def disable_ort_telemetry() -> None:
    """Turn onnxruntime's telemetry off for this process and its children.

    Idempotent and cheap. Effective only before onnxruntime's first import in the process; it
    overrides an operator's setting on purpose, since nothing in SeeSay may leave the machine
    unless the operator configured a remote provider."""
    os.environ[ORT_TELEMETRY_VARIABLE] = "1"
