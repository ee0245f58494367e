"""A screen read (``screens.read_screen``) said as a screen reader says it, and the rule for
when an image is taken for a screen at all (``with_screen``).

Each control is said by its name and, where it has one, its state: 'the switch "Wi-Fi" (on)',
'the checkbox "Remember me" (checked)', 'the radio buttons "Small" (not selected) and "Large"
(selected)', 'the tabs "Home" (selected) and "Settings"'; an icon button by what its glyph
shows ("Menu", "Close", "Add") or as a button with no label.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
from PIL import Image

from seesay.engines.base import Detail
from seesay.engines.vision.findings import Findings
from seesay.engines.vision.kind import BIG_TEXT, FLAT, image_kind
from seesay.engines.vision.layout import blocks
from seesay.engines.vision.screens import Control, Screen, read_screen
from seesay.engines.vision.text_lines import TextLine

__all__ = ["ScreenReading", "screen_findings", "screen_sentences", "with_screen"]

log = logging.getLogger(__name__)

_FEW_LINES: Final = 5


def _quote(text: str) -> str:
    return '"' + text.strip().rstrip(".!?;:,") + '"'


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_NOUNS: Final[dict[str, tuple[str, str]]] = {
    "field": ("the field", "the fields"),
    "button": ("the button", "the buttons"),
    "switch": ("the switch", "the switches"),
    "checkbox": ("the checkbox", "the checkboxes"),
    "radio": ("the radio button", "the radio buttons"),
    "tab": ("the tab", "the tabs"),
    "link": ("the link", "the links"),
    "text": ("the text", "the text"),
}


def _said(c: Control, detail: Detail) -> str:
    if not c.label:
        return "one with no label"  # an icon button whose glyph was not told
    if c.state:
        return f"{_quote(c.label)} ({c.state})"
    if c.role == "field" and c.value and detail != "brief":
        return f"{_quote(c.label)} (filled in with {_quote(c.value)})"
    return _quote(c.label)


def _runs(items: list[Control], detail: Detail) -> str:
    """Items in order, each run of one role said together: 'the fields "A" and "B", the
    button "C"'."""
    runs: list[tuple[str, list[str]]] = []
    for c in items:
        if runs and runs[-1][0] == c.role:
            runs[-1][1].append(_said(c, detail))
        else:
            runs.append((c.role, [_said(c, detail)]))
    phrases = [
        f"{_NOUNS[role][len(said) > 1]} {_join(said) if role != 'text' else ', '.join(said)}"
        for role, said in runs
    ]
    return _join(phrases)


def screen_sentences(screen: Screen, detail: Detail) -> list[str]:
    """What is said of ``screen`` at ``detail`` (see ``ScreenReading``)."""
    lead = (
        f"This is a screen titled {_quote(screen.title)}." if screen.title else "This is a screen."
    )
    if detail == "brief":
        fields = [_quote(c.label) for c in screen.items if c.role == "field"]
        main = screen.main_button
        parts = []
        if fields:
            parts.append(
                f"It asks for {_join(fields)}"
                if len(fields) <= 3
                else f"It has {len(fields)} fields"
            )
        if main is not None:
            parts.append(f"its main button is {_quote(main.label)}")
        if not parts:
            rest = [c for c in screen.items if c.role != "text"][:3]
            parts.append(f"It has {_runs(rest, 'standard')}" if rest else "It shows only text")
        gist = "; ".join(parts)
        return [lead, gist[0].upper() + gist[1:] + "."]
    shown = [c for c in screen.items if detail == "detailed" or c.role != "text"]
    sections: list[tuple[Control | None, list[Control]]] = [(None, [])]
    for c in shown:
        if c.role == "heading":
            sections.append((c, []))
        else:
            sections[-1][1].append(c)
    said = [lead]
    for heading, items in sections:
        if heading is None:
            if items:
                said.append(f"It has {_runs(items, detail)}.")
        elif items:
            said.append(f"Under the heading {_quote(heading.label)}, {_runs(items, detail)}.")
        else:
            said.append(f"The heading {_quote(heading.label)}.")
    rest = [c for c in screen.items if c.role == "text"]
    if detail == "standard" and rest:
        from seesay.engines.vision.sentences import quote_lines

        texts = [TextLine(c.label, 1.0, c.box) for c in rest]
        said.append(f"Other text reads {quote_lines(texts, detail)}.")
    return said


_ASKS: Final = re.compile(
    r"(?i)\b(checkbox(es)?|check boxes|radio|tabs?|buttons?|fields?|switch(es)?|toggles?|links?)\b"
)
_ASKED_ROLE: Final = {"toggle": "switch", "switche": "switch", "checkboxe": "checkbox"}


@dataclass(frozen=True, slots=True)
class ScreenReading:
    """A screenshot read by its title, headings and controls. ``brief``: the title, the fields
    asked for and the main button; ``standard``: the title, then headings, tabs, fields,
    buttons, switches, checkboxes, radio buttons and links in reading order, the other text
    after them; ``detailed``: everything in reading order, the other text in its place."""

    screen: Screen

    topic = "text"
    kind = "screenshot"

    def sentences(self, detail: Detail) -> list[str]:
        return screen_sentences(self.screen, detail)

    def answer(self, prompt: str) -> str | None:
        asked = _ASKS.search(prompt)
        if asked is None:
            return None
        word = asked.group(1).lower().replace("check boxe", "checkbox").rstrip("s")
        role = _ASKED_ROLE.get(word, word)
        items = [c for c in self.screen.items if c.role == role]
        if not items:
            return f"I found no {_NOUNS[role][1].removeprefix('the ')} on this screen."
        return f"It has {_runs(items, 'standard')}."

    def read_out(self) -> list[str]:
        out = [self.screen.title] if self.screen.title else []
        return out + [c.label for c in self.screen.items]

    def used_lines(self) -> frozenset[int]:
        return self.screen.used


def screen_findings(readings: Sequence[object], scale: float) -> dict[str, object] | None:
    """The screen read, JSON-ready (boxes times ``scale``), or None when none was read."""
    for reading in readings:
        if isinstance(reading, ScreenReading):
            s = reading.screen
            return {
                "title": s.title,
                "items": [
                    {
                        "role": c.role,
                        "label": c.label,
                        "value": c.value,
                        "state": c.state,
                        "main": c is s.main_button,
                        "box": [round(v * scale) for v in c.box] if c.box[2] else None,
                    }
                    for c in s.items
                ],
            }
    return None


def with_screen(f: Findings, image: Image.Image) -> Findings:
    """``f`` with a ``ScreenReading`` when the image is a screen (read from the image as sent:
    thin outlines blur away in the work copy). The rule:

    * a screenshot (short lines on exact flat colours, ``kind``) is a screen when a control
      was found in it;
    * a rendered image of few lines (a dialog with its message and "OK", a title over one
      button; ``kind`` names it a graphic or a sign) is a screen when a control or an app bar
      was found and its controls' text is not sign-sized, or is smaller than a title above
      it (a flat poster's big words in a rounded badge are no button);
    * a rendered "page" of short prose is a screen when a marked control (a filled button, a
      switch, a checkbox, a radio button, tabs) is among two or more controls (a form, a
      settings page), or is there at all on a page of at most ``_FEW_LINES`` lines (a title,
      a message and one button: a page of prose has more lines); one with a table is left a
      page.
    """
    kind = image_kind(f)
    look = f.look
    if not f.text or kind not in ("screenshot", "document", "graphic", "sign"):
        return f
    flat = look is not None and look.flat_share > FLAT
    if kind != "screenshot" and not flat:
        return f
    if kind == "document" and any(b.kind == "table" for b in blocks(f.text)):
        return f
    try:
        screen = read_screen(np.asarray(image), f.text, f.box_frame)
    except Exception as exc:  # the screen is then said as lines of text, as before
        log.warning("reading a screen's controls failed", exc_info=exc)
        return f
    if screen is None:
        return f
    controls = screen.controls
    marked = [c for c in controls if c.role not in ("field", "button") or c.filled]
    if kind == "document" and not (
        (len(controls) >= 2 and marked) or (len(f.text) <= _FEW_LINES and marked)
    ):
        return f
    elif kind != "screenshot":
        height = max(1, f.box_frame[1])
        tallest = max(line.box[3] for line in f.text)
        sized = [f.text[int(c.line)].box[3] for c in controls if c.line >= 0]
        small = all(s < BIG_TEXT * height or 1.2 * s <= tallest for s in sized)
        if not (small and (controls or screen.bar)):
            return f
    return replace(f, readings=(*f.readings, ScreenReading(screen)))
