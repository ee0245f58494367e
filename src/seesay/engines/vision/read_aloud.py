"""How text read from an image is said, by detail level.

Short text (a sign, a label, a caption) is always said whole, in capitals as written: it is
what the listener most needs and cutting it would change its meaning. A document is said by
its blocks (:func:`seesay.engines.vision.layout.blocks`):

* ``brief``: its title and its first lines;
* ``standard``: the main text (headings, paragraphs, lists and tables, leaving out small print
  such as footers), up to ``_STANDARD_WORDS`` words, then a note that it goes on;
* ``detailed``: all of it, with headings, lists and tables said as such ("A list of 3 items").

Read text is quoted, so a listener (and a translator) can tell the image's words from ours. A
word the reader is unsure of is said as "(possibly ...)": never dropped, never presented as
certain.
"""

from __future__ import annotations

from typing import Final

from seesay.engines.base import Detail
from seesay.engines.vision.layout import Block, blocks
from seesay.engines.vision.text_lines import TextLine

__all__ = ["is_document", "line_text", "plain_text", "say_blocks_by_line", "say_text"]

_SHORT_WORDS: Final = 30  # up to this many words (a sign, a label) the text is said whole
_BRIEF_WORDS: Final = 25
_STANDARD_WORDS: Final = 250
_SMALL_PRINT: Final = 0.7  # lines this much smaller than the body are small print


def line_text(line: TextLine) -> str:
    """The line as said: runs of unsure words wrapped as "(possibly ...)"."""
    if not line.words or not line.unsure:
        return line.text
    out: list[str] = []
    run: list[str] = []
    for word in line.words:
        if word.unsure:
            run.append(word.text)
            continue
        if run:
            out.append(f"(possibly {' '.join(run)})")
            run = []
        out.append(word.text)
    if run:
        out.append(f"(possibly {' '.join(run)})")
    return " ".join(out)


def plain_text(lines: list[TextLine]) -> str:
    """All the text in reading order, as read (no markers)."""
    return " ".join(line.text for line in lines)


def _words(lines: list[TextLine]) -> int:
    return sum(len(line.text.split()) for line in lines)


def is_document(lines: list[TextLine]) -> bool:
    """More text than a sign or a label: said by blocks and cut by detail level."""
    return _words(lines) > _SHORT_WORDS


def _quote(text: str) -> str:
    # Sentence-final punctuation inside the quote would read as the end of our sentence.
    return '"' + text.strip().rstrip(".!?;:,") + '"'


def _block_text(block: Block) -> str:
    return " ".join(line_text(line) for line in block.lines)


def _first_words(text: str, n: int) -> tuple[str, bool]:
    words = text.split()
    return " ".join(words[:n]), len(words) > n


def _say_block(block: Block, *, structured: bool) -> str:
    """One block as a sentence; ``structured`` names headings, lists and tables as such."""
    if block.kind == "list":
        items = _list_items(block)
        if not structured:
            return _quote("; ".join(items)) + "."
        said = "; ".join(_quote(item) for item in items)
        return f"A list of {_count(len(items), 'item')}: {said}."
    if block.kind == "table":
        rows = [", ".join(_quote(line_text(cell)) for cell in row) for row in block.rows]
        if not structured:
            return "; ".join(rows) + "."
        cols = max(len(row) for row in block.rows)
        head = f"A table of {_count(len(rows), 'row')} and {_count(cols, 'column')}."
        return " ".join([head, *(f"Row {i}: {row}." for i, row in enumerate(rows, 1))])
    if structured and block.kind in ("title", "heading"):
        return f"{block.kind.capitalize()}: {_quote(_block_text(block))}."
    return _quote(_block_text(block)) + "."


def _list_items(block: Block) -> list[str]:
    """A list's items, bullets dropped; a line without a bullet continues the item above."""
    from seesay.engines.vision.layout import is_bulleted, strip_bullet

    items: list[str] = []
    for line in block.lines:
        said = line_text(line)
        if is_bulleted(line) or not items:
            items.append(strip_bullet(said))
        else:
            items[-1] += " " + said
    return items


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def say_text(lines: list[TextLine], detail: Detail) -> str:
    """What is said about the text in the image at ``detail``; ``lines`` in reading order."""
    if not lines:
        return ""
    if not is_document(lines):
        return f"The text reads {_quote(' '.join(line_text(t) for t in lines))}."
    found = blocks(lines)
    title = found[0] if found[0].kind in ("title", "heading") else None
    body = found[1:] if title is not None else found
    out: list[str] = []
    if detail == "brief":
        if title is not None:
            out.append(f"It is titled {_quote(_block_text(title))}.")
        start, more = _first_words(" ".join(_block_text(b) for b in body), _BRIEF_WORDS)
        if start:
            out.append(f"It begins {_quote(start + ('...' if more else ''))}.")
        return " ".join(out)
    if detail == "standard":
        if title is not None:
            out.append(f"It is titled {_quote(_block_text(title))}.")
        size = sorted(line.box[3] for line in lines)[len(lines) // 2]
        budget = _STANDARD_WORDS
        for block in body:
            if max(line.box[3] for line in block.lines) < _SMALL_PRINT * size:
                continue  # small print: a footer, a page number, a caption's credit
            said = _say_block(block, structured=False)
            words = len(said.split())
            if words > budget:
                cut, _ = _first_words(said, budget)
                out.append(cut.rstrip(".") + '..." The text goes on.')
                break
            out.append(said)
            budget -= words
        return " ".join(out)
    return " ".join(_say_block(b, structured=True) for b in found)


def say_blocks_by_line(lines: list[TextLine]) -> str:
    """A document's text for ``detailed``, every line its own quote (as the composer says
    text) with the blocks named: '"Garden Party" (the title); "Please come ...", "Bring a
    hat"; the heading "What to bring"; a list of 3 items: "bread", "lemonade", "a blanket"'."""
    said: list[str] = []
    for block in blocks(lines):
        if block.kind == "list":
            items = _list_items(block)
            quoted = ", ".join(_quote(item) for item in items)
            said.append(f"a list of {_count(len(items), 'item')}: {quoted}")
        elif block.kind == "table":
            rows = "; ".join(", ".join(_quote(line_text(c)) for c in row) for row in block.rows)
            said.append(f"a table of {_count(len(block.rows), 'row')}: {rows}")
        elif block.kind == "title":
            said.append(f"{_quote(_block_text(block))} (the title)")
        elif block.kind == "heading":
            said.append(f"the heading {_quote(_block_text(block))}")
        else:
            said.append(", ".join(_quote(line_text(line)) for line in block.lines))
    return "; ".join(said)
