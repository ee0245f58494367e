"""The small controls of a screen that carry no text of their own, and rows of tabs; the pixel
tests ``screens.read_screen`` uses for them (measured on screens drawn with random labels,
sizes and colours in light and dark themes, ``bench/quality``):

* a **checkbox** is a small square (a **radio button** a circle) about as tall as the text
  with a line starting just right of it on its row, its label; it is checked (selected) when
  its middle differs from the ground around it: a filled square with a tick, a ring with a dot;
* an **icon button** is a small square or circle with no line beside it whose inside holds a
  glyph: three bars are "Menu", a cross "Close", a plus "Add"; another glyph leaves it
  unnamed;
* **tabs** are two or more short lines on one row, outside any box, exactly one of them
  marked as selected: underlined by a bar in its own width, or (among three or more) set on a
  filled shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

import numpy as np

__all__ = ["TabRow", "icon_name", "is_marked", "label_right", "not_a_letter", "tab_rows"]

Box = tuple[int, int, int, int]

_MARKED: Final = 30  # a colour step this large inside a mark's middle checks it
_GLYPH: Final = 60  # a glyph's ink differs this much from its button's fill


def _ground(rgb: np.ndarray, box: Box, out: int) -> np.ndarray:
    """The median colour of a ring ``out`` pixels around ``box``."""
    x, y, w, h = box
    x0, y0 = max(0, x - out), max(0, y - out)
    x1, y1 = min(rgb.shape[1] - 1, x + w + out), min(rgb.shape[0] - 1, y + h + out)
    ring = np.concatenate([rgb[y0, x0:x1], rgb[y1, x0:x1], rgb[y0:y1, x0], rgb[y0:y1, x1]])
    found: np.ndarray = np.median(ring.astype(np.float64), axis=0)
    return found


def is_marked(rgb: np.ndarray, box: Box) -> bool:
    """Whether a checkbox is checked or a radio button selected: a good part of its middle
    differs from the ground around it (an empty one shows its inside, as the page's)."""
    x, y, w, h = box
    middle = rgb[y + h * 3 // 10 : y + h * 7 // 10, x + w * 3 // 10 : x + w * 7 // 10]
    if middle.size == 0:
        return False
    far = np.abs(middle.astype(np.float64) - _ground(rgb, box, 3)).max(axis=2)
    return bool((far > _MARKED).mean() >= 0.25)


def not_a_letter(rgb: np.ndarray, box: Box, lines: Sequence[Box], body: float) -> bool:
    """Whether ``box`` is no letter of a line (a bold "o" is a small circle too): it lies in no
    line's box, or at the left end of one with a gap after it wider than letters leave (the
    text reader's box of a label may take its checkbox in)."""
    x, y, w, h = box
    for lx, ly, lw, lh in lines:
        across = min(x + w, lx + lw) - max(x, lx)
        down = min(y + h, ly + lh) - max(y, ly)
        if across <= 0.5 * w or down <= 0.5 * h:
            continue
        if x - lx > 0.5 * body:
            return False
        gap = rgb[y + h // 5 : y + h - h // 5, x + w + 1 : x + w + 1 + max(2, int(0.3 * h))]
        ground = _ground(rgb, box, 2)
        if gap.size == 0 or (np.abs(gap.astype(np.float64) - ground).max(axis=2) > _MARKED).any():
            return False
    return True


def label_right(
    box: Box, lines: Sequence[Box], ends: Sequence[int], free: set[int], body: float
) -> int | None:
    """The free line that starts just right of ``box`` on its row (a checkbox's label); the
    text reader's box of it may take the box in (a tick read as a letter). ``ends`` is where
    each line's letters end: a label's run on past the box by half its height at least (one
    letter, "A", does), which the box itself read as a glyph does not."""
    cy = box[1] + box[3] / 2
    right = box[0] + box[2]
    near = [
        i
        for i in free
        if box[0] - body <= lines[i][0] <= right + 1.5 * body
        and ends[i] >= right + 0.5 * box[3]
        and abs(lines[i][1] + lines[i][3] / 2 - cy) < max(box[3], lines[i][3]) / 2
    ]
    return min(near, key=lambda i: abs(lines[i][0] - right)) if near else None


def icon_name(rgb: np.ndarray, box: Box) -> str | None:
    """ "Menu", "Close" or "Add" by the glyph inside ``box``; "" for another glyph; None when
    the box is empty (no glyph: no button)."""
    x, y, w, h = box
    inside = rgb[y + h // 6 : y + h - h // 6, x + w // 6 : x + w - w // 6].astype(np.float64)
    if inside.size == 0:
        return None
    fill = np.median(inside.reshape(-1, 3), axis=0)
    ink = np.abs(inside - fill).max(axis=2) > _GLYPH
    if ink.mean() < 0.03:
        return None
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    glyph = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    gh, gw = glyph.shape
    if gh < 4 or gw < 4:
        return ""
    across = glyph.mean(axis=1)
    bands = np.flatnonzero(np.diff(np.concatenate([[0], (across > 0.6).astype(int), [0]])) == 1)
    if len(bands) == 3 and (across < 0.2).sum() >= 2:
        return "Menu"
    mid_row, mid_col = across[gh // 2 - 1 : gh // 2 + 2].max(), glyph.mean(axis=0)
    corners = [glyph[: gh // 4, : gw // 4], glyph[: gh // 4, -gw // 4 :]]
    corners += [glyph[-gh // 4 :, : gw // 4], glyph[-gh // 4 :, -gw // 4 :]]
    corner_ink = float(np.mean([c.mean() for c in corners]))
    if mid_row > 0.7 and mid_col[gw // 2 - 1 : gw // 2 + 2].max() > 0.7 and corner_ink < 0.1:
        return "Add"
    steps = np.linspace(0.1, 0.9, 9)
    down = [glyph[int(s * (gh - 1)), int(s * (gw - 1))] for s in steps]
    up = [glyph[int(s * (gh - 1)), int((1 - s) * (gw - 1))] for s in steps]
    if np.mean(down) >= 0.7 and np.mean(up) >= 0.7 and corner_ink > 0.1:
        return "Close"
    return ""


def _underlined(rgb: np.ndarray, line: Box, ink: tuple[int, int], body: float) -> bool:
    """A bar under the letters of ``line`` about as wide as they are (a selected tab's)."""
    _, y, _, h = line
    x0, x1 = ink
    ground = _ground(rgb, line, 2)
    reach = int(body)
    top, bottom = y + h // 2, min(rgb.shape[0] - 1, y + h + int(0.8 * h))
    for r in range(top, bottom):
        row = rgb[r].astype(np.float64)
        under = np.abs(row[x0:x1] - ground).max(axis=1) > _MARKED
        if x1 - x0 < 4 or under.mean() < 0.9:
            continue
        beyond = [c for c in (x0 - reach, x1 + reach) if 0 <= c < rgb.shape[1]]
        if all(np.abs(row[c] - ground).max() <= _MARKED for c in beyond):
            return True
    return False


@dataclass(frozen=True, slots=True)
class TabRow:
    """A row of tabs: its lines left to right, the selected one, and the filled shape it sits
    on (None when it is underlined)."""

    lines: tuple[int, ...]
    selected: int
    pill: Box | None


def tab_rows(
    rgb: np.ndarray,
    lines: Sequence[Box],
    texts: Sequence[str],
    inks: Sequence[tuple[int, int]],
    holder: dict[int, tuple[Box, bool]],
    body: float,
) -> list[TabRow]:
    """The rows of tabs among ``lines``; ``holder`` maps a line to the box holding it and
    whether that box is filled (a line in an outlined box is a button or a field's text)."""
    short = [
        i
        for i in range(len(lines))
        if len(texts[i].split()) <= 3 and (i not in holder or holder[i][1])
    ]
    short.sort(key=lambda i: lines[i][1] + lines[i][3] / 2)
    rows: list[list[int]] = []
    for i in short:
        cy = lines[i][1] + lines[i][3] / 2
        last = rows[-1] if rows else None
        if last and abs(lines[last[0]][1] + lines[last[0]][3] / 2 - cy) < 0.4 * body:
            last.append(i)
        else:
            rows.append([i])
    found: list[TabRow] = []
    for row in rows:
        row.sort(key=lambda i: lines[i][0])
        if len(row) < 2:
            continue
        gaps = [lines[b][0] - (lines[a][0] + lines[a][2]) for a, b in pairwise(row)]
        if min(gaps) < 0.8 * body or max(gaps) > 8 * body:
            continue
        pills = [i for i in row if i in holder]
        lined = [i for i in row if i not in holder and _underlined(rgb, lines[i], inks[i], body)]
        if len(pills) == 1 and not lined and len(row) >= 3:
            found.append(TabRow(tuple(row), pills[0], holder[pills[0]][0]))
        elif len(lined) == 1 and not pills:
            found.append(TabRow(tuple(row), lined[0], None))
    return found
