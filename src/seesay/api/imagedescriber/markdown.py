"""The description as ``data.content`` markdown: plain text that renders as itself.

Every SeeSay describer writes plain text (it is also spoken), and that text can quote what was
read off the image, so it is the image's author who chose those characters. Rendered by the
client's markdown (and often HTML) renderer unescaped, ``<script>`` text on a sign would become
markup. HTML's ``& < >`` become entities, which every markdown flavour and HTML show as the
characters; the characters that start inline markdown (emphasis, code, links, images, tables,
strike-through) are backslash-escaped; a line that would start a heading, quote, list or rule
has its marker escaped, and indentation (a code block) is dropped.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["plain_text_markdown"]

_ENTITIES: Final = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_INLINE: Final = re.compile(r"([\\`*_\[\]|~!])")
_INDENT: Final = re.compile(r"^[ \t]+", re.MULTILINE)
_LINE_START: Final = re.compile(r"^([#+=-]|\d+(?=[.)]))", re.MULTILINE)


def plain_text_markdown(text: str) -> str:
    """``text`` escaped so that a markdown renderer shows ``text`` (its indentation aside)."""
    out = "".join(_ENTITIES.get(ch, ch) for ch in _INDENT.sub("", text))
    out = _INLINE.sub(r"\\\1", out)
    return _LINE_START.sub(_escape_marker, out)


def _escape_marker(match: re.Match[str]) -> str:
    marker = match.group(1)
    if marker.isdigit():  # "1." / "1)" starts an ordered list: escape the delimiter after it
        return f"{marker}\\"
    return f"\\{marker}"
