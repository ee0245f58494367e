"""Test media for the client tests (SDK, CLI, MCP): a real photo, a corrupt one, and a
loopback HTTP server for image URLs."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image


@functools.cache
def photo_jpeg(size: tuple[int, int] = (480, 360)) -> bytes:
    """A real photo (scikit-image's cat) as JPEG bytes."""
    from skimage import data as skdata

    out = io.BytesIO()
    Image.fromarray(skdata.chelsea()).resize(size).save(out, "JPEG", quality=88)
    return out.getvalue()


def corrupt_jpeg() -> bytes:
    """The first third of a JPEG: a truncated, undecodable image."""
    data = photo_jpeg()
    return data[: len(data) // 3]


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
