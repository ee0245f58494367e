"""All engine benchmarks in one table: ``.venv/bin/python -m bench.engines`` (repo root).

Imports every ``bench/engines/<task>.py`` present (vision, tts, stt, translate,
clone_sound_music) and runs its
``run() -> list[BenchRow]``; a module that is missing or fails is skipped with a note, so
one broken engine does not hide the others. Tasks run in this process one after the other,
so peak RSS accumulates down the table. ``python -m bench.engines stt translate`` runs some.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback

from bench.engines.common import BenchRow, print_table

TASKS = ("vision", "tts", "stt", "translate", "clone_sound_music")


def main(argv: list[str]) -> int:
    tasks = [t for t in argv if t in TASKS] or list(TASKS)
    rows: list[BenchRow] = []
    notes: list[str] = []
    for task in tasks:
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.engines.{task}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.engines.{task}":
                notes.append(f"{task}: no bench/engines/{task}.py, skipped")
            else:
                notes.append(f"{task}: import failed ({exc}), skipped")
            continue
        except Exception as exc:  # a broken bench module must not hide the others
            notes.append(f"{task}: import failed ({type(exc).__name__}: {exc}), skipped")
            continue
        try:
            rows += module.run()
        except Exception as exc:
            traceback.print_exc()
            notes.append(f"{task}: run failed ({type(exc).__name__}: {exc}), skipped")
            continue
        print(f"[{task}: {time.perf_counter() - t0:.1f} s]", file=sys.stderr, flush=True)
    print_table(rows)
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
