"""Reading text: words separated, reading order over columns, the document mode by detail
level, unsure words said as unsure. Images are rendered here and read by the real bundled OCR;
the layout rules are also checked on hand-placed lines (no model)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

pytest.importorskip("rapidocr")

from seesay.engines.base import EngineContext
from seesay.engines.vision.layout import blocks, reading_order
from seesay.engines.vision.perception import PerceptionEngine
from seesay.engines.vision.read_aloud import line_text, say_text
from seesay.engines.vision.text_lines import TextLine, Word
from seesay.engines.vision.text_reader import TextReader

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
WORDS = [
    "apple",
    "river",
    "stone",
    "garden",
    "window",
    "market",
    "forest",
    "thunder",
    "kitchen",
    "mountain",
    "parking",
    "winter",
    "silver",
    "orange",
    "valley",
    "bridge",
    "ocean",
    "island",
    "coffee",
    "letter",
    "summer",
    "travel",
    "yellow",
    "station",
]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def render_sign() -> Image.Image:
    image = Image.new("RGB", (1200, 700), (190, 20, 30))
    draw = ImageDraw.Draw(image)
    draw.text((150, 180), "ROAD CLOSED", fill="white", font=ImageFont.truetype(BOLD, 130))
    draw.text((150, 400), "Use Mill Lane", fill="white", font=ImageFont.truetype(BOLD, 110))
    return image


def render_columns(seed: int) -> tuple[Image.Image, str, list[str], list[str]]:
    """An A4 page at 150 dpi: a title across it, two columns of 20-pixel print with aligned
    baselines (the case that read row by row across the gutter)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    draw.text((100, 90), "Harbour News", fill="black", font=ImageFont.truetype(BOLD, 52))
    face = ImageFont.truetype(SANS, 22)
    columns: list[list[str]] = [[], []]
    for col, x in enumerate((100, 660)):
        for row in range(14):
            line = [rng.choice(WORDS) for _ in range(5)]
            draw.text((x, 220 + row * 34), " ".join(line), fill="black", font=face)
            columns[col] += line
    return image, "Harbour News", columns[0], columns[1]


def render_document() -> Image.Image:
    """A title, a paragraph, a heading, a three-item list and two more paragraphs."""
    image = Image.new("RGB", (1240, 1400), "white")
    draw = ImageDraw.Draw(image)
    body = ImageFont.truetype(SANS, 26)
    draw.text((100, 80), "Garden Party", fill="black", font=ImageFont.truetype(BOLD, 56))
    y = 200
    for line in ("Please come to the garden on Sunday at noon.", "Bring a friend and a hat."):
        draw.text((100, y), line, fill="black", font=body)
        y += 38
    draw.text((100, y + 40), "What to bring", fill="black", font=ImageFont.truetype(BOLD, 34))
    y += 120
    for item in ("fresh bread", "cold lemonade", "a blanket"):
        draw.text((110, y), "\u2022", fill="black", font=body)
        draw.text((150, y), item, fill="black", font=body)
        y += 40
    y += 50
    for line in (
        "Music starts at one and the band plays until four o'clock.",
        "There is a table for cakes next to the old apple tree.",
        "Children can play on the lawn behind the greenhouse.",
    ):
        draw.text((100, y), line, fill="black", font=body)
        y += 38
    draw.text((100, y + 50), "The party ends at six in the evening.", fill="black", font=body)
    return image


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> PerceptionEngine:
    built = PerceptionEngine(EngineContext(cache_dir=tmp_path_factory.mktemp("c"), threads=2))
    built.load()
    return built


@pytest.mark.slow
def test_a_sign_is_read_whole_with_words_separated_in_capitals(engine: PerceptionEngine) -> None:
    result = engine.describe(render_sign(), "brief", None, "en")
    assert result.findings["text"]["full"] == "ROAD CLOSED Use Mill Lane"
    assert '"ROAD CLOSED", "Use Mill Lane"' in result.text, result.text


@pytest.mark.slow
def test_two_columns_are_read_one_after_the_other(engine: PerceptionEngine) -> None:
    image, title, left, right = render_columns(seed=3)
    result = engine.describe(image, "detailed", None, "en")
    read = words(result.findings["text"]["full"])
    expected = words(title) + left + right
    assert read == expected, (read[:20], expected[:20])
    # Control: the same words row by row across the gutter (the old order) would not pass.
    interleaved = words(title) + [
        w for i in range(14) for w in left[5 * i : 5 * i + 5] + right[5 * i : 5 * i + 5]
    ]
    assert interleaved != expected


@pytest.fixture(scope="module")
def reader() -> TextReader:
    return TextReader(threads=1)


@pytest.mark.slow
def test_document_mode_by_detail_level(reader: TextReader) -> None:
    lines = reader.read(render_document())
    brief, detailed = say_text(lines, "brief"), say_text(lines, "detailed")
    assert 'titled "Garden Party"' in brief, brief
    assert "Please come to the garden" in brief
    assert "party ends at six" not in brief  # brief is the title and the first lines
    assert 'Title: "Garden Party"' in detailed, detailed
    assert 'Heading: "What to bring"' in detailed
    assert 'A list of 3 items: "fresh bread"; "cold lemonade"; "a blanket"' in detailed
    assert "The party ends at six in the evening" in detailed


@pytest.mark.slow
def test_thin_small_print_under_bold_headings_on_a_tall_screen_is_all_read(
    reader: TextReader,
) -> None:
    # A phone-shaped dark screen: bold headings, which the detector finds at its first small
    # scale, over thin items, which vanish there (the old reader lost "Hill" and "Form").
    inter = Path("/usr/share/fonts/opentype/inter")  # scripts/ensure-system-packages.sh --test
    bold = ImageFont.truetype(str(inter / "Inter-BoldItalic.otf"), 44)
    heading = ImageFont.truetype(str(inter / "Inter-BoldItalic.otf"), 30)
    thin = ImageFont.truetype(str(inter / "Inter-ThinItalic.otf"), 18)
    image = Image.new("RGB", (720, 1400), (18, 19, 23))
    draw = ImageDraw.Draw(image)
    draw.text((45, 50), "From year", fill=(235, 235, 240), font=bold)
    y, said = 150, ["From year"]
    for head, items in (
        ("Space", ["Hold short", "Stone"]),
        ("Enough", ["Hill", "Song row", "Form", "Can gold"]),
    ):
        draw.text((45, y), head, fill=(235, 235, 240), font=heading)
        y += 60
        for item in items:
            draw.text((45, y), item, fill=(170, 172, 178), font=thin)
            y += 60
        said += [head, *items]
    assert [ln.text for ln in reader.read(image)] == said


def line(text: str, x: int, y: int, w: int, h: int = 30, unsure: tuple[str, ...] = ()) -> TextLine:
    return TextLine(
        text, 0.9, (x, y, w, h), tuple(Word(t, 0.2 if t in unsure else 0.99) for t in text.split())
    )


def test_unsure_words_are_said_as_possibly_and_kept_in_the_reading() -> None:
    sign = [line("EXIT 42", 100, 100, 300), line("Mian Street", 100, 200, 400, unsure=("Mian",))]
    assert line_text(sign[1]) == "(possibly Mian) Street"
    assert say_text(sign, "brief") == 'The text reads "EXIT 42 (possibly Mian) Street".'


def test_aligned_columns_are_not_read_across_and_a_receipt_is_read_by_rows() -> None:
    title = line("Big Title Across", 100, 40, 900, 60)
    left = [line(f"left line number {i} of prose", 100, 150 + 40 * i, 450) for i in range(6)]
    right = [line(f"right line number {i} of prose", 620, 150 + 40 * i, 450) for i in range(6)]
    ordered = [t.text for t in reading_order([*right, *left, title])]
    assert ordered == [title.text] + [t.text for t in left] + [t.text for t in right]
    names = [line(f"ITEM {i}", 40, 100 + 40 * i, 120) for i in range(5)]
    prices = [line(f"{i}.50", 440, 100 + 40 * i, 60) for i in range(5)]
    rows = [t.text for t in reading_order([*prices, *names])]
    assert rows == [x for i in range(5) for x in (f"ITEM {i}", f"{i}.50")]
    assert [b.kind for b in blocks([*prices, *names])] == ["table"]


def test_a_receipt_under_a_wide_centred_name_is_still_read_by_rows() -> None:
    # Boxes as read off a rendered receipt: the shop's name, centred, narrows the gap before
    # the prices until both sides look like columns of prose of even widths.
    head = [line("SHORT BIRD", 178, 40, 177, 34), line("01/11/2025", 36, 85, 175, 34)]
    names = ["BED YEAR", "SLEEP", "US", "BAG FIRST", "TOTAL"]
    left = [
        line(n, 35, y, w, 34)
        for n, y, w in zip(names, (172, 217, 261, 304, 371), (144, 94, 44, 163, 89), strict=True)
    ]
    prices = ["29.96", "42.64", "1.26", "40.41", "114.27"]
    right = [
        line(p, x, y, w, 33)
        for p, x, y, w in zip(
            prices,
            (406, 406, 422, 405, 390),
            (173, 217, 260, 304, 370),
            (93, 93, 79, 94, 110),
            strict=True,
        )
    ]
    rows = [t.text for t in reading_order([*right, *left, *head])]
    assert rows == [
        "SHORT BIRD",
        "01/11/2025",
        *(x for pair in zip(names, prices, strict=True) for x in pair),
    ]


@pytest.mark.slow
def test_a_detailed_page_names_its_headings_and_lists(engine: PerceptionEngine) -> None:
    result = engine.describe(render_document(), "detailed", None, "en")
    assert result.findings["kind"] == "document"
    assert 'It reads "Garden Party" (the title); "Please come to the garden' in result.text
    assert 'the heading "What to bring"' in result.text, result.text
    assert 'a list of 3 items: "fresh bread", "cold lemonade", "a blanket"' in result.text
    standard = engine.describe(render_document(), "standard", None, "en").text
    assert "a list of" not in standard  # standard is the text, not its structure
