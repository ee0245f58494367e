"""The description as ``data.content`` markdown: plain text that renders as itself.

Every SeeSay describer writes plain text (it is also spoken), and that text can quote what was
read off the image, so it is the image's author who chose those characters. Rendered by the
client's markdown (and often HTML) renderer unescaped, ``<script>`` text on a sign would become
markup. HTML's ``& < >`` become entities, which every markdown flavour and HTML show as the
characters; the characters that start inline markdown (emphasis, code, links, images, tables,
strike-through) are backslash-escaped; a line that would start a heading, quote, list or rule
has its marker escaped, and indentation (a code block) is dropped.

``describer_markdown`` is what the Image Describer returns: the description as a paragraph and
the text read off the image as a list, one item per line read, in the paragraph where the
description quotes it ('It reads "ROAD", "CLOSED".' becomes 'It reads:' and a list of two
items); when the quotes cannot be found (a translator changed them) the list follows the
paragraph. Nothing in it is a heading.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["describer_markdown", "plain_text_markdown"]

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


# One quoted line as the composer says it: "TEXT", optionally marked "(unclear)"; a run of them
# may end in a phrase such as "and more text".
_QUOTED: Final = r'"[^"\n]*"(?: \([^)\n]*\))?'
_QUOTE_RUN: Final = re.compile(
    rf"\s*(?P<run>{_QUOTED}(?:,\s*{_QUOTED})*)(?:,\s*(?P<tail>[^,.\n\"]+))?\."
)
_ITEM: Final = re.compile(r'"(?P<text>[^"\n]*)"(?P<mark> \([^)\n]*\))?')


def describer_markdown(text: str, read_out: list[str]) -> str:
    """``text`` as an escaped paragraph, the lines it quotes from ``read_out`` (the strings
    read off the image) as an escaped list in their place; without such quotes, the whole of
    ``read_out`` is listed after the paragraph."""
    items = {" ".join(line.split()).rstrip(".!?") for line in read_out if line.strip()}
    if not items:
        return plain_text_markdown(text)
    for run in _QUOTE_RUN.finditer(text):
        quoted = list(_ITEM.finditer(run.group("run")))
        if not all(q.group("text").rstrip(".!?") in items for q in quoted):
            continue
        listed = [q.group("text") + (q.group("mark") or "") for q in quoted]
        if run.group("tail"):
            listed.append(run.group("tail").strip())
        parts = [plain_text_markdown(text[: run.start()].rstrip() + ":")]
        parts.append("\n".join(f"- {plain_text_markdown(item)}" for item in listed))
        if after := text[run.end() :].strip():
            parts.append(plain_text_markdown(after))
        return "\n\n".join(parts)
    # What the paragraph already says (a web address said without its scheme, a chart's
    # values said in a sentence) is not listed again: a listener would hear it twice.
    spoken = _words(text)
    listed_all = [
        " ".join(line.split()) for line in read_out if line.strip() and not _words(line) <= spoken
    ]
    if not listed_all:
        return plain_text_markdown(text)
    tail = "\n".join(f"- {plain_text_markdown(item)}" for item in listed_all)
    return plain_text_markdown(text) + "\n\n" + tail


def _words(text: str) -> set[str]:
    """The words and numbers of ``text``, lower-cased; a URL's scheme does not count."""
    found = re.findall(r"[\w.]+", re.sub(r"(?i)\bhttps?://", "", text).lower())
    return {word.strip(".") for word in found} - {""}
