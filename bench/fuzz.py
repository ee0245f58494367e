"""Fuzz the parsers of untrusted input for longer than CI does, and print the counts.

Targets: ``image`` (``decode_image``), ``audio`` (``decode_audio``), ``url`` (the fetch guard's
``check_url`` with a stub resolver: nothing is resolved or connected). Each runs in a child
process for ``--seconds``; see ``tests/security/parser_fuzz.py`` for the mutations and outcomes.
A finding replays with ``make_input(target, seeds, SEED, INDEX)``.

Run: ``python -m bench.fuzz [--seconds 120] [--seed N] [--targets image,audio,url]`` or
``make fuzz``. Exits non-zero when anything but a clean refusal was found.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from security.parser_fuzz import MEMORY_CAP_MB, TARGETS, FuzzResult, fuzz


def table(results: list[FuzzResult]) -> str:
    head = (
        f"{'target':<7} {'seconds':>7} {'inputs':>8} {'accepted':>9} {'rejected':>9} "
        f"{'unexpected':>10} {'crashes':>7} {'hangs':>5} {'peak MB':>8}  seed"
    )
    rows = [head, "-" * len(head)]
    for r in results:
        rows.append(
            f"{r.target:<7} {r.seconds:>7.0f} {r.inputs:>8} {r.accepted:>9} {r.rejected:>9} "
            f"{r.unexpected:>10} {r.crashes:>7} {r.hangs:>5} {r.peak_rss_mb:>8.0f}  {r.seed}"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="per target")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--targets", default=",".join(TARGETS))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="seesay-fuzz-") as workdir:
        for target in args.targets.split(","):
            results.append(fuzz(target, args.seconds, seed=args.seed, workdir=Path(workdir)))
    print(table(results))
    print(f"\nmemory cap: {MEMORY_CAP_MB} MB peak per fuzzing process")
    bad = False
    for r in results:
        distinct: dict[tuple[str, str, str], list[int]] = {}
        for f in r.findings:
            distinct.setdefault((f.kind, f.summary.split(":")[0], f.where), []).append(f.index)
        for (kind, summary, where), indexes in distinct.items():
            shown = ", ".join(map(str, indexes[:5]))
            print(f"{r.target}: {kind} {summary} at {where or '?'} (inputs {shown})")
        bad |= bool(r.unexpected or r.crashes or r.hangs or r.peak_rss_mb >= MEMORY_CAP_MB)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
