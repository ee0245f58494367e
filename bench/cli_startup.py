"""Cold time of the local CLI: ``seesay speak`` as a user runs it, a fresh process each time
(interpreter start, imports, the private platform over a temporary SQLite database, the
speech engine's first load, synthesis), beside the same process doing nothing but importing
the CLI.

Rows: the median, fastest and slowest wall seconds of ``--runs`` runs. The machine's other
work shows in the spread; compare rows of one run.

Run: ``python -m bench.cli_startup [--runs N] [--voice rex]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXT = "Hello there, this is a test."


def _wall(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--voice", default="rex")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cli = [sys.executable, "-m", "seesay.cli.main"]
        rows = {
            "import the CLI": [sys.executable, "-c", "import seesay.cli.main"],
            "seesay speak (cold)": [
                *cli,
                *("speak", TEXT, "--voice", opts.voice, "-o", str(Path(folder) / "a.mp3")),
            ],
        }
        print(f"| {'what':<22} | median s | fastest s | slowest s |")
        print(f"| {'-' * 22} | -------: | --------: | --------: |")
        for name, args in rows.items():
            times = [_wall(args) for _ in range(opts.runs)]
            print(
                f"| {name:<22} | {statistics.median(times):8.2f} | {min(times):9.2f} "
                f"| {max(times):9.2f} |"
            )


if __name__ == "__main__":
    main()
