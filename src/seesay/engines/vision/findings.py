"""What the perception stack saw in one image, and the seam where reading parts plug in.

``Findings`` holds the evidence of the built-in parts (classifier labels, text lines, people,
appearance). Parts that *read* something whole (QR codes and barcodes, charts, a document's
layout) add a ``Reading`` each: an object that knows how to say what it read in plain words,
how to answer a prompt about it, and which kind of image it makes this one. The composer asks
each reading in turn and never needs to know its type, so a new reading part only has to
implement the protocol and be added to ``Findings.readings`` by the perception engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from seesay.engines.base import Detail
from seesay.engines.vision.appearance import Appearance
from seesay.engines.vision.charts import Chart
from seesay.engines.vision.codes import Code
from seesay.engines.vision.efficientnet import Label
from seesay.engines.vision.people import PeopleFindings
from seesay.engines.vision.subject import Subject
from seesay.engines.vision.text_reader import TextLine

__all__ = ["Findings", "Reading"]


@runtime_checkable
class Reading(Protocol):
    """Something a reading part read off the image, ready to be said.

    ``topic`` names it ("codes", "chart", "document"); a reading whose topic is ``"text"``
    replaces the composer's own reading of the text lines (a layout-aware document reader).
    Every sentence is plain English for a listener: no scores, pixel sizes or model names.
    """

    @property
    def topic(self) -> str: ...

    @property
    def kind(self) -> str | None:
        """The kind of image this reading makes it ("code", "chart", "document"...), or None
        when it was found in passing (a small QR code on a poster)."""
        ...

    def sentences(self, detail: Detail) -> list[str]:
        """What is said at ``detail``: ``brief`` the gist, ``detailed`` all of it."""
        ...

    def answer(self, prompt: str) -> str | None:
        """One or two sentences answering ``prompt`` from this reading, or None."""
        ...

    def read_out(self) -> list[str]:
        """The exact strings read (lines, a code's content), for lists in markdown."""
        ...

    def used_lines(self) -> frozenset[int]:
        """Indices of the text lines this reading already says (a chart's labels and values,
        the digits printed under a barcode): the plain text reading leaves them out."""
        ...


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything the perception stack saw in one image. ``None`` means that part did not look
    (it is unavailable), which is not the same as an empty result.

    ``readings`` are what reading parts read; ``looked`` names the reading parts that ran on
    this image (a ``"codes"`` part that looked and found nothing makes "no QR code" true).
    ``size`` is the image's size; ``frame`` the size of the image that text and face boxes are
    measured in (the perception work image), defaulting to ``size``.
    """

    labels: list[Label] | None
    subject: Subject | None
    text: list[TextLine] | None
    people: PeopleFindings | None
    look: Appearance | None
    size: tuple[int, int]
    frame: tuple[int, int] | None = None
    readings: tuple[Reading, ...] = ()
    looked: frozenset[str] = frozenset()  # reading parts that ran: "codes", "charts"...
    codes: list[Code] | None = None  # what the codes part decoded; None: it did not look
    charts: list[Chart] | None = None  # what the charts part read; None: it did not look

    @property
    def unavailable(self) -> tuple[str, ...]:
        """The parts that did not look: ``labels``, ``text``, ``people``, ``appearance``,
        ``codes``, ``charts``."""
        parts = (
            ("labels", self.labels),
            ("text", self.text),
            ("people", self.people),
            ("appearance", self.look),
            ("codes", self.codes),
            ("charts", self.charts),
        )
        return tuple(name for name, found in parts if found is None)

    @property
    def box_frame(self) -> tuple[int, int]:
        return self.frame or self.size
