"""What a listener hears, from findings built by hand (no models): hedges, contradictions,
people's places, the safety note, prompts, and the seam where reading parts plug in."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from seesay.engines.base import Detail
from seesay.engines.vision.appearance import Appearance
from seesay.engines.vision.compose import compose
from seesay.engines.vision.efficientnet import Label
from seesay.engines.vision.findings import Findings, Reading
from seesay.engines.vision.kind import image_kind
from seesay.engines.vision.people import Face, PeopleFindings, SafetyVerdict
from seesay.engines.vision.subject import find_subject
from seesay.engines.vision.text_reader import TextLine

JARGON = re.compile(r"classifier|confidence|pixels?\b|%|\d+\.\d+|detector|\bOCR\b", re.I)
LOOK = Appearance(640, 480, "landscape", "normal", 0.5, (("green", 0.6), ("white", 0.3)), 0.1, 0.1)
SAFE = SafetyVerdict("safe")


def face(x: int, y: int = 100, side: int = 60) -> Face:
    return Face((x, y, side, side), 0.9, "both", "female")


def findings(
    labels: list[Label] | None = None,
    text: list[TextLine] | None = None,
    faces: tuple[Face, ...] = (),
    safety: SafetyVerdict = SAFE,
    readings: tuple[Reading, ...] = (),
    looked: frozenset[str] = frozenset(),
    look: Appearance = LOOK,
) -> Findings:
    labels = labels if labels is not None else []
    people = PeopleFindings(faces, safety)
    return Findings(
        labels, find_subject(labels), text if text is not None else [], people, look, (640, 480),
        readings=readings, looked=looked,
    )  # fmt: skip


def said(f: Findings, detail: Detail = "standard", prompt: str | None = None) -> str:
    text = compose(f, detail, prompt).text
    assert not JARGON.search(text), text  # every test also checks no jargon reaches the ear
    return text


MODEM = [Label(662, "modem", 0.89), Label(527, "desktop computer", 0.04)]
CATS = [Label(285, "Egyptian cat", 0.79), Label(282, "tiger cat", 0.09), Label(281, "tabby", 0.07)]


@pytest.mark.parametrize("detail", ["brief", "standard", "detailed"])
def test_a_confident_guess_is_still_hedged_and_never_a_number(detail: Detail) -> None:
    text = said(findings(MODEM), detail)
    assert text.startswith("This photo probably shows a modem."), text
    assert "89" not in text


def test_a_group_the_top_guesses_agree_on_is_said_plainly() -> None:
    assert said(findings(CATS), "brief") == "This photo shows a cat, probably an Egyptian cat."
    detailed = said(findings(CATS), "detailed")
    assert "It could also be a tiger cat or a tabby." in detailed  # content, not scores


def test_a_possible_guess_is_possible() -> None:
    weak = [Label(812, "space shuttle", 0.3), Label(744, "projectile", 0.1)]
    assert said(findings(weak), "brief") == "This photo possibly shows a space shuttle."


def test_contradicting_findings_say_less() -> None:
    # Two unrelated guesses of the same weight: neither is named.
    torn = [Label(450, "bobsleigh", 0.3), Label(812, "space shuttle", 0.28)]
    text = said(findings(torn), "detailed")
    assert "bobsleigh" not in text
    assert "space shuttle" not in text
    assert text.startswith("I cannot tell what this photo shows.")
    # A person and an unrelated weak guess: the person is said, the guess is not.
    text = said(findings([Label(450, "bobsleigh", 0.29)], faces=(face(290),)), "detailed")
    assert "bobsleigh" not in text
    assert text.startswith("This photo shows one person, in the middle")
    # Lines of small text make a page; a guess of an animal on a page is not said.
    page = [TextLine(f"line {i} of the page text here", 0.95, (40, 40 + 30 * i, 400, 20))
            for i in range(6)]  # fmt: skip
    white = Appearance(640, 480, "landscape", "bright", 0.9, (("white", 0.9),), 0.9, 0.9)
    text = said(findings([Label(285, "Egyptian cat", 0.4)], text=page, look=white), "detailed")
    assert text.startswith("This is a page of text. It reads")
    assert "cat" not in text


def test_a_thing_made_of_text_is_not_said_where_no_text_was_read() -> None:
    web = [Label(916, "website", 0.6), Label(664, "computer monitor", 0.1)]
    assert "website" not in said(findings(web), "detailed")
    lines = [TextLine("Welcome to our shop", 0.95, (40, 40, 400, 20))]
    assert said(findings(web, text=lines), "brief").startswith(
        "This photo probably shows a website."
    )


def test_is_there_a_thing_is_answered_as_surely_as_the_subject() -> None:
    lead = "This photo shows a cat, probably an Egyptian cat."
    assert said(findings(CATS), "brief", "Is there a cat in the picture?") == f"Yes. {lead}"
    assert said(findings(MODEM), "brief", "Is this a modem?").startswith(
        "Probably. This photo probably shows a modem."
    )
    no = said(findings(CATS), "brief", "Is there a dog?")
    assert no == f"I cannot tell whether there is a dog. {lead}"


def test_people_are_counted_and_placed() -> None:
    two = findings(faces=(face(20), face(560)))
    assert (
        said(two, "brief") == "This photo shows two people: one on the left and one on the right."
    )
    three = findings(CATS, faces=(face(20), face(60), face(290)))
    text = said(three, "standard")
    assert "There are three people: two on the left and one in the middle." in text
    # Colors and light come after, in one short sentence.
    assert text.endswith("Mostly green and white, in even light.")
    # Detailed adds where they are in height and how close.
    near = findings(faces=(face(290, y=10, side=200),))
    assert "in the middle, near the top, close up" in said(near, "detailed")


def test_a_face_only_the_weaker_finder_saw_is_a_maybe() -> None:
    moon = Face((500, 200, 50, 50), 0.5, "haar")
    assert said(findings(faces=(moon,)), "brief") == "This photo may show one person, on the right."
    asked = said(findings(faces=(moon,)), "brief", "How many people?")
    assert asked.startswith("I may see one person, on the right.")
    both = findings(faces=(moon, face(20)))  # one sure face: the count is said plainly
    assert said(both, "brief").startswith("This photo shows two people")


def test_the_safety_note_only_when_something_unsafe_was_found() -> None:
    for detail in ("brief", "standard", "detailed"):
        assert "unsafe" not in said(findings(CATS), detail)  # type: ignore[arg-type]
        assert "explicit" not in said(findings(CATS), detail)  # type: ignore[arg-type]
    racy = findings(CATS, safety=SafetyVerdict("suggestive", (("BELLY_EXPOSED", 0.7),)))
    assert "exposed skin" in said(racy, "standard")


def test_detailed_adds_content_not_metadata() -> None:
    lines = [TextLine(f"Line number {n}", 0.9, (10, 10 + 40 * n, 300, 30)) for n in range(12)]
    f = findings(text=lines)
    standard, detailed = said(f, "standard"), said(f, "detailed")
    assert "Line number 11" in detailed
    assert "Line number 11" not in standard
    assert "and more text" in standard
    assert not re.search(r"landscape|by \d+", detailed)


def test_unclear_text_is_marked_not_dropped() -> None:
    sign = [
        TextLine("OPEN", 0.98, (100, 100, 300, 120)),
        TextLine("24H", 0.66, (100, 240, 200, 90)),
    ]
    text = said(findings(text=sign), "brief")
    assert text == 'This is a sign. It reads "OPEN", "24H" (unclear).'


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        (
            "How many people are there?",
            "I can see two people: one on the left and one on the right.",
        ),
        ("Are there any people?", "I can see two people"),
        ("What colours are in it?", "The main colors are green and white."),
        ("What does the sign say?", 'The sign reads "EXIT 42", "Main Street".'),
        ("Is it dark?", "It is evenly lit."),
        ("Is there a QR code?", "I could not look for codes: the code reader is unavailable."),
        ("Is the man happy?", "I cannot answer that from what I can see."),
        ("Is there a dog?", "I cannot tell whether there is a dog."),
    ],
)
def test_prompts_are_answered_first(prompt: str, first: str) -> None:
    sign = [
        TextLine("EXIT 42", 0.99, (100, 100, 300, 80)),
        TextLine("Main Street", 0.99, (100, 200, 400, 80)),
    ]
    f = findings(text=sign, faces=(face(20), face(560)))
    text = said(f, "standard", prompt)
    assert text.startswith(first), text
    assert len(text) > len(first)  # then the description follows


@dataclass(frozen=True)
class QrReading:
    """A reading part as the codes part would add one (test-only)."""

    content: str

    @property
    def topic(self) -> str:
        return "codes"

    @property
    def kind(self) -> str | None:
        return "code"

    def sentences(self, detail: Detail) -> list[str]:
        return [f"It is a QR code with the web address {self.content}."]

    def answer(self, prompt: str) -> str | None:
        if "qr" in prompt.lower():
            return f"Yes: a QR code with the web address {self.content}."
        return None

    def read_out(self) -> list[str]:
        return [self.content]

    def used_lines(self) -> frozenset[int]:
        return frozenset()


def test_a_reading_part_plugs_in_its_kind_sentences_and_answers() -> None:
    qr = QrReading("https://example.org/menu")
    assert isinstance(qr, Reading)
    f = findings(MODEM, readings=(qr,), looked=frozenset({"codes"}))
    assert image_kind(f) == "code"
    done = compose(f, "standard", None)
    assert done.text.startswith("It is a QR code with the web address https://example.org/menu.")
    assert done.read_out == ["https://example.org/menu"]
    asked = compose(f, "brief", "Is there a QR code? What does it say?")
    assert asked.text.startswith("Yes: a QR code with the web address https://example.org/menu.")
    assert asked.answered
    # The codes part looked and found nothing: now "none" is true, and said.
    empty = said(findings(CATS, looked=frozenset({"codes"})), "brief", "Is there a QR code?")
    assert empty.startswith("I found no QR code or barcode in this image.")
