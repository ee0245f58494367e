"""The runnable examples of the documentation (README.md and docs/): fenced ``sh`` and
``python`` blocks that follow an ``<!-- example -->`` line, and how one runs against a live
server.

Pages address the server as ``http://127.0.0.1:8000`` and read the key from ``SEESAY_API_KEY``, as
a reader's shell would; the runner points the address at the test server's port and puts a
``curl`` first on ``PATH`` that adds ``--fail-with-body``, so an example whose request gets an
error status fails instead of printing the error and exiting 0.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MARKER = "<!-- example -->"
DOCUMENTED_ORIGIN = "http://127.0.0.1:8000"
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,})(?P<info>[^`\n]*)$")


@dataclass(frozen=True)
class Example:
    """One runnable block: its page, the line of its opening fence, language and code."""

    page: str  # relative to the repository root
    line: int
    language: str
    code: str

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def blocks(text: str) -> Iterator[tuple[int, str, str, bool]]:
    """Every fenced block of a Markdown text: (its opening fence's line number, info string,
    code, marked), ``marked`` when the last non-blank line before the fence is the marker."""
    lines = text.splitlines()
    i = 0
    previous = ""
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                previous = lines[i].strip()
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        start = i + 1
        j = start
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        code = "\n".join(line[indent:] for line in lines[start:j]) + "\n"
        yield i + 1, match["info"].strip(), code, previous == MARKER
        previous = ""
        i = j + 1


def page_examples(path: Path, root: Path = ROOT) -> list[Example]:
    """The marked blocks of one page, in order. A marked block in another language than
    ``sh`` or ``python`` is an error: it would silently never run."""
    page = path.relative_to(root).as_posix()
    found = []
    for line, info, code, marked in blocks(path.read_text(encoding="utf-8")):
        if not marked:
            continue
        language = info.split()[0] if info else ""
        if language not in ("sh", "python"):
            raise ValueError(f"{page}:{line}: an example must be sh or python, not {info!r}")
        found.append(Example(page, line, language, code))
    return found


def all_examples(root: Path = ROOT) -> dict[str, list[Example]]:
    """README.md and the pages of docs/ that have examples -> their examples."""
    pages = {}
    for path in [root / "README.md", *sorted((root / "docs").rglob("*.md"))]:
        examples = page_examples(path, root)
        if examples:
            pages[path.relative_to(root).as_posix()] = examples
    return pages


def curl_shim(folder: Path, real_curl: str) -> Path:
    """A ``curl`` that fails on an HTTP error status (and still prints the body)."""
    folder.mkdir(parents=True, exist_ok=True)
    shim = folder / "curl"
    shim.write_text(f'#!/bin/sh\nexec "{real_curl}" --fail-with-body "$@"\n')
    shim.chmod(0o755)
    return folder


def run_example(
    example: Example, *, origin: str, cwd: Path, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run one example in ``cwd`` with the documented origin replaced by ``origin``."""
    code = example.code.replace(DOCUMENTED_ORIGIN, origin)
    if example.language == "sh":
        argv = ["bash", "-euo", "pipefail", "-c", code]
    else:
        argv = [sys.executable, "-c", code]
    return subprocess.run(
        argv,
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
