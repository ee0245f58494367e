"""Opening the backend a command asked for: local, or a server's through the SDK.

Kept apart from :mod:`.base` so the backends import the interface and this module imports the
backends, never both ways round.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from seesay.backends.base import Backend, LoadProgress, logged_loading

__all__ = ["open_backend"]


@contextmanager
def open_backend(
    server: str | None,
    key: str | None,
    config: Path | None = None,
    *,
    on_load: LoadProgress = logged_loading,
) -> Iterator[Backend]:
    """The remote backend when ``server`` is given (``key`` required), else the local one
    (``config``: a SeeSay TOML settings file for the engines; ``on_load`` wraps model loads)."""
    backend: Backend
    if server:
        from seesay.backends.remote import RemoteBackend

        if not key:
            raise ValueError("--server needs --key (or SEESAY_API_KEY)")
        backend = RemoteBackend.connect(server, key)
    else:
        from seesay.backends.local import LocalBackend

        backend = LocalBackend.open(config, on_load=on_load)
    try:
        yield backend
    finally:
        backend.close()
