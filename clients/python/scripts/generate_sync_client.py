"""Generate the sync client (``_client.py``) from the async one (``_async_client.py``).

    python clients/python/scripts/generate_sync_client.py          # rewrite _client.py
    python clients/python/scripts/generate_sync_client.py --check  # exit 1 when _client.py is stale

The code is rewritten token by token by ``unasync`` (the ``async``/``await`` keywords go, the
names below are renamed), so a name inside a string or a longer identifier is left alone.
Docstrings and comments are prose, not tokens ``unasync`` renames; the few phrases that differ
there are rewritten by the regular expressions below. Anything else that differs between the
two clients (sleeping, writing a file) lives in ``seesay_sdk/_io.py``, written in both
flavours, so the rename stays mechanical.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from pathlib import Path

import unasync

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "seesay_sdk"
SOURCE = PACKAGE / "_async_client.py"
TARGET = PACKAGE / "_client.py"

#: Async name -> sync name, applied to whole NAME tokens (``httpx.AsyncClient`` is the two
#: tokens ``httpx`` and ``AsyncClient``). unasync itself adds ``__aenter__`` -> ``__enter__``,
#: ``AsyncIterator`` -> ``Iterator`` and friends.
NAMES = {
    "AsyncClient": "Client",
    "AsyncJobs": "Jobs",
    "AsyncKeys": "Keys",
    "AsyncFiles": "Files",
    "AsyncAudioStream": "AudioStream",
    "aclose": "close",
    "aread": "read",
    "aiter_bytes": "iter_bytes",
    "async_sleep": "sleep",
    "async_write_bytes": "write_bytes",
}

#: Prose in docstrings and comments (run after the token pass, when no code is async).
TEXT = [
    (re.compile(r"\basynchronous\b"), "synchronous"),
    (re.compile(r"\basync (with|for|def)\b"), r"\1"),
    (re.compile(r"\bawait "), ""),
    *((re.compile(rf"\b{a}\b"), s) for a, s in NAMES.items()),
    # The async client's ``timeout`` parameter needs ruff's leave; the sync one does not.
    (re.compile(r"  # noqa: ASYNC109[^\n]*"), ""),
]

HEADER = """\
# GENERATED from _async_client.py by clients/python/scripts/generate_sync_client.py: do not edit.
# Edit the async client, then run `python clients/python/scripts/generate_sync_client.py`.
"""


def generate() -> str:
    """The sync client's source, from the async client's."""
    rule = unasync.Rule("/_async_client.py", "/_client.py", additional_replacements=NAMES)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "_async_client.py"
        source.write_bytes(SOURCE.read_bytes())
        unasync.unasync_files([str(source)], [rule])
        code = (Path(tmp) / "_client.py").read_text(encoding="utf-8")
    for pattern, replacement in TEXT:
        code = pattern.sub(replacement, code)
    return HEADER + code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the sync client is out of date"
    )
    args = parser.parse_args(argv)
    code = generate()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if args.check:
        if current == code:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            code.splitlines(keepends=True),
            fromfile=f"{TARGET.name} (committed)",
            tofile=f"{TARGET.name} (generated)",
        )
        sys.stderr.writelines(diff)
        sys.stderr.write(
            f"\n{TARGET} is stale: run `python clients/python/scripts/generate_sync_client.py`\n"
        )
        return 1
    if current != code:
        TARGET.write_text(code, encoding="utf-8")
        print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
