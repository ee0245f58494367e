"""Fuzz the parsers of untrusted input and the HTTP API for longer than CI does; print the counts.

Parsers: ``image`` (``decode_image``), ``audio`` (``decode_audio``), ``url`` (the fetch guard's
``check_url`` with a stub resolver: nothing is resolved or connected). Each runs in a child
process for ``--seconds``; see ``tests/security/parser_fuzz.py`` for the mutations and outcomes.
A finding replays with ``make_input(target, seeds, SEED, INDEX)``.

API: schemathesis against ``/openapi.json`` of a ``seesay serve`` whose outbound connections are
trapped (``tests/security/api_fuzz.py``), for ``--api-seconds`` (0 skips it).

Run: ``python -m bench.fuzz [--seconds 120] [--api-seconds 300] [--seed N]
[--targets image,audio,url]`` or ``make fuzz``. Exits non-zero when anything but a clean
refusal was found.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from security.api_fuzz import ApiFuzzResult, fuzz_api
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


def api_table(r: ApiFuzzResult, seconds: int) -> str:
    leaving = [a for a in r.attempts if a["kind"] != "getaddrinfo"]
    rows = [
        f"schemathesis, {seconds} s (seed {r.seed or '?'})",
        f"  operations tested        {r.tested} of {r.total} ({r.total - r.selected} excluded)",
        f"  test cases generated     {r.generated}",
        f"  operations failing       {len(r.failed_operations)}",
        f"  outbound attempts        {len(leaving)} connects, "
        f"{len(r.attempts) - len(leaving)} name lookups refused, {len(r.proxied)} via proxy, "
        f"{len(r.native)} native sockets",
    ]
    rows += [f"    failing: {name}" for name in r.failed_operations]
    failures = r.output.find("= FAILURES =")
    if failures >= 0:  # schemathesis's own account: response, curl to reproduce
        rows.append(r.output[failures : r.output.find("= WARNINGS =", failures)].rstrip("= \n"))
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="per target")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--api-seconds", type=int, default=300, help="schemathesis; 0 skips")
    args = parser.parse_args()
    results = []
    api = None
    with tempfile.TemporaryDirectory(prefix="seesay-fuzz-") as workdir:
        for target in filter(None, args.targets.split(",")):
            results.append(fuzz(target, args.seconds, seed=args.seed, workdir=Path(workdir)))
        if args.api_seconds > 0:
            api = fuzz_api(Path(workdir), seconds=args.api_seconds, max_examples=30)
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
    if api is not None:
        print()
        print(api_table(api, args.api_seconds))
        leaving = [a for a in api.attempts if a["kind"] != "getaddrinfo"]
        bad |= bool(api.failed_operations or leaving or api.proxied or api.native)
        bad |= api.tested == 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
