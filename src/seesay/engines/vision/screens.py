"""An app's or web page's screen read as a screen reader would: its title, then its headings,
fields, buttons, switches and links in reading order.

No model: the text reader's line boxes and the rendered pixels are the evidence (measured on
screens drawn with random labels, sizes and colours in light and dark themes, ``bench/quality``):

* a *box* is a closed outline in the colour-edge map (a filled shape's border or a drawn
  frame) that is nearly its bounding rectangle (rounded corners allowed, a round knob not),
  or a small circle as wide as it is high (a radio button, a round icon button);
* a small square or circle is a checkbox, a radio button or an icon button (``screen_marks``),
  and two or more short lines on a row, one of them underlined or on a filled shape, tabs;
* a box holding one text line centred in it is a **button** (filled when its inside differs
  from what is around it: the first filled one is the screen's main button);
* a box holding one line set at its left with room to the right, or a wide empty box, is a
  **field**: its label is the line left of it on its row or just above it; text inside it in
  faint ink is its placeholder (the label when none is printed), in full ink its value;
* an empty pill about twice as wide as high is a **switch**, on when its knob is at the right,
  labelled by the line left of it on its row;
* a line in saturated blue ink outside any box is a **link**;
* a line at least ``_HEADING_RATIO`` taller than the median line is a **heading**; the
  **title** is the text of a coloured bar across the top, else the topmost heading near the top.

A screen with no control and no app bar is not read this way (``read_screen`` gives None) and
is said as lines of text, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import median
from typing import Final, Literal

import numpy as np

from seesay.engines.vision.layout import reading_order
from seesay.engines.vision.screen_marks import (
    icon_name,
    is_marked,
    label_right,
    not_a_letter,
    tab_rows,
)
from seesay.engines.vision.screen_pixels import (
    Box,
    Ink,
    centre,
    clipped,
    find_boxes,
    holds,
    in_top_bar,
    ink_of,
    is_filled,
    is_link_ink,
    scaled,
    switch_on,
    within,
)
from seesay.engines.vision.text_lines import TextLine

__all__ = ["CONTROLS", "Control", "Role", "Screen", "read_screen"]

Role = Literal["heading", "field", "button", "switch", "checkbox", "radio", "tab", "link", "text"]
CONTROLS: Final = frozenset({"field", "button", "switch", "checkbox", "radio", "tab"})

_HEADING_RATIO: Final = 1.2
_FAINT: Final = 0.6  # ink this share of the body text's contrast is placeholder grey
_MAX_SIDE: Final = 1600  # boxes are found on the screen at most this large
_GLYPHS: Final = re.compile(r"^[^\w(\"']+\s*")  # a tick or box read as the label's first letter


@dataclass(frozen=True, slots=True)
class Control:
    """One thing on the screen, in reading order. ``label`` what it is called ("" for an icon
    button whose glyph was not told); ``value`` the text a field holds; ``state`` a switch's
    "on" or "off", a checkbox's "checked" or "not checked", a radio button's "selected" or
    "not selected", the selected tab's "selected"; ``line`` the index of the text line that
    places it in reading order (its label or its text; -1 for an icon button, placed by its
    box)."""

    role: Role
    label: str
    value: str | None = None
    state: str | None = None
    filled: bool = False
    line: float = 0.0
    box: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Screen:
    """A screen's ``title`` and its ``items`` (headings, controls, other text) in reading
    order; ``used`` the indices of the text lines read; ``bar`` whether the title is on an app
    bar across the top."""

    title: str | None
    items: tuple[Control, ...]
    used: frozenset[int]
    bar: bool = False

    @property
    def controls(self) -> list[Control]:
        return [c for c in self.items if c.role in CONTROLS]

    @property
    def main_button(self) -> Control | None:
        buttons = [c for c in self.items if c.role == "button" and c.line >= 0]
        return next((b for b in buttons if b.filled), buttons[0] if buttons else None)


def _nearest_label(box: Box, lines: Sequence[Box], free: set[int], body: float) -> int | None:
    """The free line left of ``box`` on its row, else the one just above its left part."""
    cy = centre(box)[1]
    left = [
        i
        for i in free
        if lines[i][0] + lines[i][2] <= box[0] + 4
        and abs(centre(lines[i])[1] - cy) < max(box[3], lines[i][3]) / 2
    ]
    if left:
        return max(left, key=lambda i: lines[i][0] + lines[i][2])
    above = [
        i
        for i in free
        if box[1] - 2.5 * body <= lines[i][1] + lines[i][3] <= box[1] + 6
        and box[0] - 2 * body <= lines[i][0] <= box[0] + box[2] / 2
    ]
    return max(above, key=lambda i: lines[i][1]) if above else None


def read_screen(
    rgb: np.ndarray, lines: Sequence[TextLine], frame: tuple[int, int]
) -> Screen | None:
    """The screen in ``rgb`` (H x W x 3, uint8) whose text ``lines`` (in reading order, boxes
    in ``frame``'s pixels: a copy of the screen of that size) were read; None when no control
    and no app bar was found. Boxes found come back in ``frame``'s pixels."""
    if not lines:
        return None
    if max(rgb.shape[:2]) > _MAX_SIDE:
        import cv2

        shrink = _MAX_SIDE / max(rgb.shape[:2])
        size = (round(rgb.shape[1] * shrink), round(rgb.shape[0] * shrink))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    scale = rgb.shape[1] / max(1, frame[0])
    line_box = [scaled(line.box, scale) for line in lines]
    body = float(median(b[3] for b in line_box))
    inks = [ink_of(rgb, b) for b in line_box]
    # A heading's letters are no control's label: where the reader missed a field's thin
    # label, the section's heading above it would be taken for it.
    letters = float(median(k.size for k in inks))
    headings = {i for i, k in enumerate(inks) if k.size >= _HEADING_RATIO * letters}
    boxes, round_ = find_boxes(rgb, body)
    boxes.sort(key=lambda b: b[2] * b[3])
    holder: dict[int, tuple[Box, bool]] = {}  # a line and the one control's box holding it
    for box in boxes:
        inside = [i for i in range(len(lines)) if holds(box, line_box[i])]
        if len(inside) == 1 and box[3] <= 4 * body and inside[0] not in holder:
            holder[inside[0]] = (box, is_filled(rgb, box))
    free = set(range(len(lines)))
    found: list[Control] = []
    taken: list[Box] = []  # boxes said already: a selected tab's shape, marks
    texts = [line.text for line in lines]
    for row in tab_rows(rgb, line_box, texts, [(k.x0, k.x1) for k in inks], holder, body):
        for i in row.lines:
            state = "selected" if i == row.selected else None
            found.append(Control("tab", texts[i], state=state, line=i, box=line_box[i]))
            free.discard(i)
        taken += [row.pill] if row.pill else []
    for box in boxes:
        if box in taken or any(within(box, t) for t in taken):
            continue
        inside = [i for i in free if holds(box, line_box[i])]
        if len(inside) > 1 or box[3] > 4 * body:
            continue  # a panel, a card, a picture: not one control
        if not inside:
            ends = [k.x1 for k in inks]
            mark = _mark(rgb, box, box in round_, line_box, ends, free, body)
            if mark is not None:
                named = _GLYPHS.sub("", texts[int(mark.line)]) if mark.line >= 0 else mark.label
                found.append(replace(mark, label=named))
                free.discard(int(mark.line))
                taken.append(box)
                continue
            if box in round_:
                continue
            aspect = box[2] / box[3]
            if 1.4 <= aspect <= 2.8 and 0.4 * body <= box[3] <= 1.6 * body:
                role: Role = "switch"
            elif aspect >= 3 and 0.7 * body <= box[3]:
                role = "field"
            else:
                continue
            label = _nearest_label(box, line_box, free - headings, body)
            if label is None:
                continue
            free.discard(label)
            state = ("on" if switch_on(rgb, box) else "off") if role == "switch" else None
            found.append(Control(role, lines[label].text, state=state, line=label, box=box))
            continue
        (i,) = inside
        filled = is_filled(rgb, box)
        # A field's text starts near its left edge and leaves most of it empty; a button's
        # has margins on both sides (not always equal: an icon may sit on one side). The
        # letters are looked for inside the box: the reader's box of them may overhang it,
        # and clear of its rounded corners, whose ground would pass for ink at its edges.
        ink = ink_of(rgb, clipped(line_box[i], box, max(3, box[3] // 5)))
        before, after = ink.x0 - box[0], box[0] + box[2] - ink.x1
        free.discard(i)
        if box[2] >= 3 * box[3] and before < 0.6 * box[3] and after > 3 * max(before, 1):
            label = _nearest_label(box, line_box, free - headings, body)
            if label is not None:
                free.discard(label)
            contrasts = [inks[j].contrast for j in free] or [inks[i].contrast]
            faint = inks[i].contrast < _FAINT * median(contrasts)
            if label is None:
                found.append(Control("field", lines[i].text, line=i, box=box))
            else:
                value = None if faint else lines[i].text
                found.append(Control("field", lines[label].text, value, line=label, box=box))
        else:
            found.append(Control("button", lines[i].text, filled=filled, line=i, box=box))
        inks[i] = ink  # its letters, not the control's edges: they size the body text
    return _titled(rgb, lines, line_box, inks, free, found, scale)


def _mark(
    rgb: np.ndarray,
    box: Box,
    round_: bool,
    lines: list[Box],
    ends: list[int],
    free: set[int],
    body: float,
) -> Control | None:
    """A checkbox or radio button (its ``line`` its label's, the label left to the caller) or
    an icon button (``line`` -1) in the empty ``box``, or None. A glyph told ("Menu") makes
    a button at any size a mark may have; an untold one only as tall as a line of text (a
    smaller square with a glyph is more likely a checkbox whose label was not read)."""
    if not (0.8 <= box[2] / box[3] <= 1.25 and 0.45 * body <= box[3] <= 2.6 * body):
        return None
    if not not_a_letter(rgb, box, lines, body):
        return None
    name = icon_name(rgb, box)
    label = label_right(box, lines, ends, free, body) if box[3] <= 1.6 * body else None
    if label is not None and not name:
        on = is_marked(rgb, box)
        if round_:
            state = "selected" if on else "not selected"
            return Control("radio", "", state=state, line=label, box=box)
        state = "checked" if on else "not checked"
        return Control("checkbox", "", state=state, line=label, box=box)
    if name is None or (not name and box[3] < 0.8 * body):
        return None
    return Control("button", name, line=-1, box=box)


def _titled(
    rgb: np.ndarray,
    lines: Sequence[TextLine],
    line_box: list[Box],
    inks: list[Ink],
    free: set[int],
    found: list[Control],
    scale: float,
) -> Screen | None:
    """The screen of the controls ``found``, its title and the ``free`` lines placed: headings,
    links and other text; None when there is no control and no app bar."""
    height = rgb.shape[0]
    in_bar = [i for i in free if in_top_bar(rgb, line_box[i])]
    if not found and not in_bar:
        return None
    title: int | None = None
    # The body size is that of the controls' text and labels: on a short screen the title and
    # headings are too large a share of the lines for the median of all to be the body's.
    body_lines = [i for i in range(len(lines)) if i not in free] or list(range(len(lines)))
    letters = float(median(inks[i].size for i in body_lines))
    tall = [i for i in free if inks[i].size >= _HEADING_RATIO * letters]
    if in_bar:
        title = max(in_bar, key=lambda i: line_box[i][3])
    elif tall and min(line_box[i][1] for i in tall) < 0.4 * height:
        title = min(tall, key=lambda i: line_box[i][1])
    for i in sorted(free):
        if i == title:
            continue
        if i in tall:
            found.append(Control("heading", lines[i].text, line=i))
        elif is_link_ink(inks[i].colour) and len(lines[i].text.split()) <= 6:
            found.append(Control("link", lines[i].text, line=i))
        else:
            found.append(Control("text", lines[i].text, line=i))
    back = [replace(c, box=scaled(c.box, 1 / scale)) for c in _in_order(found, line_box)]
    title_text = lines[title].text if title is not None else None
    return Screen(title_text, tuple(back), frozenset(range(len(lines))), bar=bool(in_bar))


def _in_order(found: list[Control], line_box: list[Box]) -> list[Control]:
    """``found`` in reading order, each control placed by its box and its label together:
    the page is cut into columns by them, not by its text alone (a button's label centred in
    a wide button would otherwise make a column of its own)."""
    anchors: list[TextLine] = []
    for k, c in enumerate(found):
        box = c.box if c.box[2] else line_box[int(c.line)]
        text = line_box[int(c.line)] if c.line >= 0 else box
        x0, y0 = min(box[0], text[0]), min(box[1], text[1])
        x1 = max(box[0] + box[2], text[0] + text[2])
        y1 = max(box[1] + box[3], text[1] + text[3])
        anchors.append(TextLine(str(k), 1.0, (x0, y0, x1 - x0, y1 - y0)))
    return [found[int(a.text)] for a in reading_order(anchors)]
