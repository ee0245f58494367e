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
from seesay.engines.vision.text_lines import TextLine

__all__ = ["CONTROLS", "Control", "Role", "Screen", "read_screen"]

Role = Literal["heading", "field", "button", "switch", "checkbox", "radio", "tab", "link", "text"]
CONTROLS: Final = frozenset({"field", "button", "switch", "checkbox", "radio", "tab"})

_EDGE: Final = 14  # a colour step this large (0-255, any channel) is an edge
_RECTANGULAR: Final = 0.8  # a box's outline encloses this share of its bounding rectangle
_HEADING_RATIO: Final = 1.2
_FAINT: Final = 0.6  # ink this share of the body text's contrast is placeholder grey
_FILLED: Final = 30  # a button's inside differs this much from its surroundings
_MAX_SIDE: Final = 1600  # boxes are found on the screen at most this large
_GLYPHS: Final = re.compile(r"^[^\w(\"']+\s*")  # a tick or box read as the label's first letter
_ROUND: Final = 0.7  # a circle fills pi/4 of its bounding square


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


Box = tuple[int, int, int, int]


def _boxes(rgb: np.ndarray, body: float) -> tuple[list[Box], frozenset[Box]]:
    """Closed, nearly rectangular outlines in ``rgb``, outermost of each nested pair kept, and
    which of them are small circles (``body`` the text's line height says what is small)."""
    import cv2

    def most(diff: np.ndarray) -> np.ndarray:  # the largest channel difference per pixel
        c = cv2.split(diff)
        return np.asarray(cv2.max(cv2.max(c[0], c[1]), c[2]))

    # cv2 on uint8, not numpy on int16: the same edges a twentieth of the time (a page's
    # 2 MP took 0.1 s, on the request's critical path).
    edge = np.zeros(rgb.shape[:2], np.uint8)
    edge[:, :-1] = most(cv2.absdiff(rgb[:, 1:], rgb[:, :-1])) > _EDGE
    edge[:-1, :] |= most(cv2.absdiff(rgb[1:], rgb[:-1])) > _EDGE
    contours, _ = cv2.findContours(edge, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    height, width = int(rgb.shape[0]), int(rgb.shape[1])
    found: list[Box] = []
    round_: set[Box] = set()
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if w < 12 or h < 8 or x <= 0 or y <= 0 or x + w >= width or y + h >= height:
            continue  # specks, and bars or panels running off the screen's edge
        share = cv2.contourArea(contour) / (w * h)
        if share < _RECTANGULAR:
            if not (share >= _ROUND and 0.8 <= w / h <= 1.25 and h <= 3 * body):
                continue
            round_.add((x, y, w, h))
        found.append((x, y, w, h))
    found.sort(key=lambda b: -b[2] * b[3])
    kept: list[Box] = []
    for b in found:
        slack = max(4, round(0.12 * b[3]))
        if not any(_inside(b, k, slack) and k[3] - b[3] <= 2 * slack for k in kept):
            kept.append(b)
    return kept, frozenset(round_)


def _inside(inner: Box, outer: Box, slack: int = 0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[0] + inner[2] <= outer[0] + outer[2] + slack
        and inner[1] + inner[3] <= outer[1] + outer[3] + slack
    )


def _centre(b: Box) -> tuple[float, float]:
    return b[0] + b[2] / 2, b[1] + b[3] / 2


def _holds(box: Box, line: Box) -> bool:
    """Whether ``line`` is written inside ``box``. The reader's box of a line may overhang a
    tight button a little (its detector pads the letters), so up to a tenth wider counts."""
    cx, cy = _centre(line)
    inside = box[0] < cx < box[0] + box[2] and box[1] < cy < box[1] + box[3]
    return inside and line[2] < 1.1 * box[2]


def _colour(rgb: np.ndarray, box: Box, inset: int) -> np.ndarray:
    """The median colour of a one-pixel ring ``inset`` pixels inside ``box`` (outside when
    negative)."""
    x, y, w, h = box
    x0, y0 = max(0, x + inset), max(0, y + inset)
    x1, y1 = min(rgb.shape[1] - 1, x + w - 1 - inset), min(rgb.shape[0] - 1, y + h - 1 - inset)
    if x1 <= x0 or y1 <= y0:
        ring = rgb[min(y0, rgb.shape[0] - 1), min(x0, rgb.shape[1] - 1)][None, :]
    else:
        ring = np.concatenate([rgb[y0, x0:x1], rgb[y1, x0:x1], rgb[y0:y1, x0], rgb[y0:y1, x1]])
    out: np.ndarray = np.median(ring.astype(np.float64), axis=0)
    return out


@dataclass(frozen=True, slots=True)
class _Ink:
    """A line's letters: their colour, their contrast with the ground around them, where they
    are (x0, x1) and how tall from the top of the tallest letter to the baseline (descenders,
    being sparse, left out, so "Privacy" is no taller than "Account")."""

    colour: np.ndarray
    contrast: float
    x0: int
    x1: int
    size: int


def _ink(rgb: np.ndarray, box: Box) -> _Ink:
    x, y, w, h = box
    x, y = max(0, x), max(0, y)
    crop = rgb[y : y + h, x : x + w]
    if crop.size == 0:
        return _Ink(np.zeros(3), 0.0, x, x + w, h)
    # uint8 arithmetic: every line of a page is looked at, on the request's critical path.
    ground = np.full_like(crop, np.round(_colour(rgb, box, 1)).astype(np.uint8))
    far = np.abs(crop.astype(np.int16) - ground).max(axis=2).astype(np.float64)
    top = float(np.percentile(far, 99))
    letters = far >= 0.5 * top if top > 0 else np.ones(far.shape, bool)
    # A box's border caught in the line's box is no letter: rules across it are left out.
    letters[letters.mean(axis=1) > 0.8, :] = False
    letters[:, letters.mean(axis=0) > 0.8] = False
    rows, cols = letters.sum(axis=1), np.flatnonzero(letters.any(axis=0))
    inked = np.flatnonzero(rows >= 2)
    solid = np.flatnonzero(rows >= 0.35 * rows.max())
    if not len(inked) or not len(cols):
        return _Ink(np.zeros(3), 0.0, x, x + w, h)
    colour = (crop[far >= 0.7 * top] if top > 0 else crop.reshape(-1, 3)).mean(axis=0)
    size = int(solid[-1] - inked[0] + 1)
    return _Ink(colour, top, x + int(cols[0]), x + int(cols[-1]) + 1, size)


def _is_link_ink(colour: np.ndarray) -> bool:
    import colorsys

    hue, sat, val = colorsys.rgb_to_hsv(*(colour / 255.0))
    return sat > 0.35 and val > 0.3 and 0.5 <= hue <= 0.75  # blue, the colour of links


def _switch_on(rgb: np.ndarray, box: Box) -> bool:
    """Whether a switch's knob (the end that differs from the track's middle) is at its right."""
    x, y, w, h = box
    row = rgb[y + h // 2].astype(np.float64)
    mid, left, right = row[x + w // 2], row[x + w // 5], row[x + 4 * w // 5]
    return bool(np.abs(mid - left).max() < np.abs(mid - right).max())


def _nearest_label(box: Box, lines: Sequence[Box], free: set[int], body: float) -> int | None:
    """The free line left of ``box`` on its row, else the one just above its left part."""
    cy = _centre(box)[1]
    left = [
        i
        for i in free
        if lines[i][0] + lines[i][2] <= box[0] + 4
        and abs(_centre(lines[i])[1] - cy) < max(box[3], lines[i][3]) / 2
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
    line_box = [_scaled(line.box, scale) for line in lines]
    body = float(median(b[3] for b in line_box))
    inks = [_ink(rgb, b) for b in line_box]
    # A heading's letters are no control's label: where the reader missed a field's thin
    # label, the section's heading above it would be taken for it.
    letters = float(median(k.size for k in inks))
    headings = {i for i, k in enumerate(inks) if k.size >= _HEADING_RATIO * letters}
    boxes, round_ = _boxes(rgb, body)
    boxes.sort(key=lambda b: b[2] * b[3])
    holder: dict[int, tuple[Box, bool]] = {}  # a line and the one control's box holding it
    for box in boxes:
        inside = [i for i in range(len(lines)) if _holds(box, line_box[i])]
        if len(inside) == 1 and box[3] <= 4 * body and inside[0] not in holder:
            holder[inside[0]] = (box, _filled(rgb, box))
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
        if box in taken or any(_inside(box, t) for t in taken):
            continue
        inside = [i for i in free if _holds(box, line_box[i])]
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
            state = ("on" if _switch_on(rgb, box) else "off") if role == "switch" else None
            found.append(Control(role, lines[label].text, state=state, line=label, box=box))
            continue
        (i,) = inside
        filled = _filled(rgb, box)
        # A field's text starts near its left edge and leaves most of it empty; a button's
        # has margins on both sides (not always equal: an icon may sit on one side). The
        # letters are looked for inside the box: the reader's box of them may overhang it,
        # and clear of its rounded corners, whose ground would pass for ink at its edges.
        ink = _ink(rgb, _clipped(line_box[i], box, max(3, box[3] // 5)))
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


def _clipped(line: Box, box: Box, inset: int) -> Box:
    """``line`` cut to ``box`` less ``inset`` pixels on each side."""
    x0, y0 = max(line[0], box[0] + inset), max(line[1], box[1] + inset)
    x1 = min(line[0] + line[2], box[0] + box[2] - inset)
    y1 = min(line[1] + line[3], box[1] + box[3] - inset)
    return (x0, y0, max(1, x1 - x0), max(1, y1 - y0))


def _filled(rgb: np.ndarray, box: Box) -> bool:
    """Whether the inside of ``box`` differs from what is around it (a filled button)."""
    inner, outer = _colour(rgb, box, 3), _colour(rgb, box, -3)
    return float(np.abs(inner - outer).max()) > _FILLED


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
    inks: list[_Ink],
    free: set[int],
    found: list[Control],
    scale: float,
) -> Screen | None:
    """The screen of the controls ``found``, its title and the ``free`` lines placed: headings,
    links and other text; None when there is no control and no app bar."""
    height = rgb.shape[0]
    in_bar = [i for i in free if _in_top_bar(rgb, line_box[i])]
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
        elif _is_link_ink(inks[i].colour) and len(lines[i].text.split()) <= 6:
            found.append(Control("link", lines[i].text, line=i))
        else:
            found.append(Control("text", lines[i].text, line=i))
    back = [replace(c, box=_scaled(c.box, 1 / scale)) for c in _in_order(found, line_box)]
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


def _scaled(box: Box, factor: float) -> Box:
    x, y, w, h = (round(v * factor) for v in box)
    return (x, y, w, h)


def _in_top_bar(rgb: np.ndarray, box: Box) -> bool:
    """A line on a coloured band across the top of the screen (an app bar)."""
    height, width = rgb.shape[:2]
    cy = int(_centre(box)[1])
    if cy > 0.2 * height:
        return False
    ground = _colour(rgb, box, -2)
    page = np.median(rgb[int(0.5 * height) :: 7, ::7].reshape(-1, 3), axis=0)
    ends = rgb[cy, [1, width - 2]].astype(np.float64)
    return bool(
        np.abs(ground - page).max() > _FILLED and (np.abs(ends - ground).max(axis=1) < 20).all()
    )
