"""A bounded fuzz run of the parsers that read untrusted input (``security.parser_fuzz``): every
mutated image, audio file and URL is accepted or refused with the project's own error; nothing
else escapes, nothing crashes or hangs, and memory stays under the cap.

``python -m bench.fuzz`` runs the same targets longer and prints the counts.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from security.parser_fuzz import MEMORY_CAP_MB, TARGETS, control_target_loader, fuzz
from seesay.errors import InvalidRequest

pytestmark = pytest.mark.slow

SECONDS_PER_TARGET = 20.0


@pytest.mark.parametrize("target", TARGETS)
def test_parser_refuses_mutated_input_cleanly(target: str, tmp_path: Path) -> None:
    result = fuzz(target, SECONDS_PER_TARGET, workdir=tmp_path)
    report = f"seed {result.seed}: " + "; ".join(
        f"input {f.index} {f.kind} {f.summary} at {f.where}" for f in result.findings
    )
    assert result.inputs > 50, report  # the run really ran
    assert result.accepted > 0, report  # the seeds are valid input: the parser is exercised
    assert result.rejected > 0, report
    assert (result.unexpected, result.crashes, result.hangs) == (0, 0, 0), report
    assert result.peak_rss_mb < MEMORY_CAP_MB, report


def test_the_runner_counts_each_outcome_and_survives_crashes_and_hangs(tmp_path: Path) -> None:
    """Control: a parser that aborts the process or never returns is counted, not missed."""
    result = fuzz(
        "control", 12.0, seed=1, workdir=tmp_path, loader=control_target_loader, hang_seconds=2
    )
    kinds = {(f.index, f.kind) for f in result.findings}
    assert {(1, "exception"), (2, "crash"), (3, "hang")} <= kinds, result.findings
    # Mutants can reproduce a seed (a splice at offset 0), so more than one of each may occur.
    assert result.crashes == sum(f.kind == "crash" for f in result.findings)
    assert result.hangs == sum(f.kind == "hang" for f in result.findings)
    assert result.accepted >= 1
    assert result.rejected > 0  # after the hang, the run went on with the next inputs
    assert result.unexpected >= 1


@pytest.mark.parametrize(
    ("target", "seed", "index"),
    [
        ("image", 7, 112),  # GIF: IndexError in the frame walk
        ("image", 7, 51570),  # GIF: struct.error, a header cut short
        ("image", 7, 4183),  # TIFF: TypeError, "Missing dimensions"
        ("audio", 7, 78),  # WAV whose codec has no decoder context
    ],
)
def test_inputs_the_fuzzer_found_are_refused_cleanly(target: str, seed: int, index: int) -> None:
    """Each replays an input that once raised past the parsers' own errors (a 500)."""
    from security.parser_fuzz import load_target, make_input

    seeds, parse = load_target(target)
    data = make_input(target, seeds, seed, index)
    with contextlib.suppress(InvalidRequest):  # refused in its own terms: the surfaces say 400
        parse(data)
