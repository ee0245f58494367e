"""A loopback stand-in for the Hugging Face Hub's file API, enough for ``huggingface_hub``:

- ``HEAD``/``GET /{owner}/{repo}/resolve/{revision}/{path}`` with ``X-Repo-Commit``, ``ETag``
  (the git blob sha1 of a small file; for an "LFS" file ``X-Linked-Etag`` with its sha256 and
  ``X-Linked-Size``), and ``Range: bytes=N-`` answered with 206;
- ``GET /api/models/{owner}/{repo}/tree/{revision}`` listing the files (with ``lfs.oid``).

Test controls: ``tamper`` serves other bytes behind the true checksums; ``cut`` drops the
connection after N bytes of a file's first full GET and then answers 503 for that file until
``heal()``; ``requests`` records (method, path, Range header).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Final
from urllib.parse import unquote, urlsplit

COMMIT: Final = "0123456789abcdef0123456789abcdef01234567"
LFS_THRESHOLD: Final = 10 * 1024  # the Hub keeps bigger files in LFS


@dataclass
class HubState:
    repos: dict[str, dict[str, bytes]] = field(default_factory=dict)
    tamper: dict[tuple[str, str], bytes] = field(default_factory=dict)
    cut: dict[tuple[str, str], int] = field(default_factory=dict)
    broken: set[tuple[str, str]] = field(default_factory=set)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    # cdn: answer an LFS file's resolve URL with a redirect to another origin
    # (http://localhost:PORT/cdn/...), as the Hub does; authorization: (path, header) seen.
    cdn: bool = False
    authorization: list[tuple[str, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, repo: str, path: str, data: bytes) -> None:
        self.repos.setdefault(repo, {})[path] = data

    def heal(self) -> None:
        self.broken.clear()


def _etag_headers(data: bytes) -> dict[str, str]:
    if len(data) >= LFS_THRESHOLD:
        sha = hashlib.sha256(data).hexdigest()
        return {"ETag": f'"{sha}"', "X-Linked-Etag": f'"{sha}"', "X-Linked-Size": str(len(data))}
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    return {"ETag": f'"{blob}"'}


class _Handler(BaseHTTPRequestHandler):
    state: HubState

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        if self.path.startswith("/api/models/"):
            self._tree()
        else:
            self._serve(body=True)

    def _find(self) -> tuple[str, str] | None:
        parts = unquote(urlsplit(self.path).path).lstrip("/").split("/")
        if parts[0] == "cdn" and len(parts) > 3:
            repo, path = "/".join(parts[1:3]), "/".join(parts[3:])
        elif len(parts) >= 5 and parts[2] == "resolve":
            repo, path = "/".join(parts[:2]), "/".join(parts[4:])
        else:
            return None
        if path not in self.state.repos.get(repo, {}):
            return None
        return repo, path

    def _serve(self, *, body: bool) -> None:
        rng = self.headers.get("Range")
        with self.state.lock:
            self.state.requests.append((self.command, urlsplit(self.path).path, rng))
            self.state.authorization.append((self.path, self.headers.get("Authorization")))
        found = self._find()
        if found is None:
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found in self.state.broken:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        true = self.state.repos[found[0]][found[1]]
        data = self.state.tamper.get(found, true)
        on_cdn = self.path.startswith("/cdn/")
        if self.state.cdn and not on_cdn and len(true) >= LFS_THRESHOLD:
            self.send_response(302)
            self.send_header("X-Repo-Commit", COMMIT)
            for name, value in _etag_headers(true).items():
                self.send_header(name, value)
            port = self.server.server_address[1]
            self.send_header("Location", f"http://localhost:{port}/cdn/{found[0]}/{found[1]}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = int(rng.removeprefix("bytes=").split("-")[0]) if rng else 0
        self.send_response(206 if start else 200)
        self.send_header("X-Repo-Commit", COMMIT)
        for name, value in _etag_headers(true).items():
            self.send_header(name, value)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(data) - start))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if not body:
            return
        cut = self.state.cut.pop(found, None) if not start else None
        if cut is not None:
            self.wfile.write(data[:cut])
            self.wfile.flush()
            self.state.broken.add(found)
            self.close_connection = True
            return
        self.wfile.write(data[start:])

    def _tree(self) -> None:
        parts = urlsplit(self.path).path.split("/")  # /api/models/owner/name/tree/rev
        repo = "/".join(parts[3:5])
        files = self.state.repos.get(repo)
        if files is None or parts[5] != "tree":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        items = []
        for path, data in sorted(files.items()):
            item: dict[str, object] = {
                "type": "file",
                "path": path,
                "size": len(data),
                "oid": hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest(),
            }
            if len(data) >= LFS_THRESHOLD:
                sha = hashlib.sha256(data).hexdigest()
                item["lfs"] = {"oid": sha, "size": len(data), "pointerSize": 134}
            items.append(item)
        body = json.dumps(items).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def hub_standin() -> Iterator[tuple[str, HubState]]:
    """(endpoint URL, state) of a running stand-in on 127.0.0.1."""
    state = HubState()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
