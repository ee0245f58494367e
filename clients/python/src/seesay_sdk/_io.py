"""The two blocking operations the clients need, in both flavours.

The sync client is generated from the async one by renaming names
(``scripts/generate_sync_client.py``), so whatever else differs lives here, written twice on
purpose: each ``async_*`` function becomes the sync one below it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import anyio

__all__ = ["async_sleep", "async_write_bytes", "sleep", "write_bytes"]


async def async_sleep(seconds: float) -> None:
    await anyio.sleep(seconds)


def sleep(seconds: float) -> None:
    time.sleep(seconds)


async def async_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` without blocking the event loop."""
    await anyio.Path(path).write_bytes(data)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    Path(path).write_bytes(data)
