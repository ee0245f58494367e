"""Kind detection and what is said, through the real engine on images made in the test."""

from __future__ import annotations

import re

import pytest
from PIL import Image

pytest.importorskip("rapidocr")
pytest.importorskip("nudenet")
pytest.importorskip("skimage")

from seesay.engines.vision.perception import PerceptionEngine
from support import images

pytestmark = pytest.mark.slow

JARGON = re.compile(r"classifier|confidence|pixels?\b|%|\d+\.\d+|detector", re.I)


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("a photographed sign", lambda: images.sign_photo(("ROAD", "CLOSED")), "sign"),
        ("another sign", lambda: images.sign_photo(("NO", "PARKING", "8AM-6PM"), seed=3), "sign"),
        ("a printed page", images.page, "document"),
        ("a page of headings and lists", images.structured_page, "document"),
        ("a page mostly of lists", images.list_page, "document"),
        ("an app screenshot", images.screenshot, "screenshot"),
        ("a scanned page (a small crop)", lambda: images.skimage_photo("page"), "document"),
        ("a cat photo", lambda: images.skimage_photo("chelsea"), "photo"),
        ("a grey photograph: the moon", lambda: images.skimage_photo("moon"), "photo"),
        ("a grey photograph: a clock", lambda: images.skimage_photo("clock"), "photo"),
        ("coins read as '@@'", lambda: images.skimage_photo("coins"), "photo"),
        ("two people", images.people_photo, "photo"),
    ],
)
def test_kind_is_told_from_the_findings(
    perception: PerceptionEngine, name: str, make: object, kind: str
) -> None:
    image = make()  # type: ignore[operator]
    assert isinstance(image, Image.Image)
    result = perception.describe(image, "standard", None, "en")
    assert result.findings["kind"] == kind, (name, result.text)
    # Quoted text is the image's own words (the scanned page is about pixels): not ours.
    assert not JARGON.search(re.sub(r'"[^"]*"', "", result.text)), result.text
    if kind != "screenshot":
        assert "screenshot" not in result.text


def test_a_photographed_sign_is_read_whole_line_by_line(perception: PerceptionEngine) -> None:
    result = perception.describe(images.sign_photo(("ROAD", "CLOSED")), "brief", None, "en")
    assert result.text == 'This is a sign. It reads "ROAD", "CLOSED".'
    assert result.findings["read_out"] == ["ROAD", "CLOSED"]


def test_a_page_brief_reads_the_title_and_first_lines_detailed_all(
    perception: PerceptionEngine,
) -> None:
    page = images.page()
    brief = perception.describe(page, "brief", None, "en").text
    detailed = perception.describe(page, "detailed", None, "en").text
    assert brief.startswith('This is a page of text. It reads "Garden Rules"'), brief
    assert images.PAGE_LINES[-1] not in brief
    for line in images.PAGE_LINES:
        assert f'"{line}"' in detailed


def test_people_are_counted_and_placed_then_colors_and_light(
    perception: PerceptionEngine,
) -> None:
    result = perception.describe(images.people_photo(), "standard", None, "en")
    assert result.text.startswith(
        "This photo shows two people: one on the left and one on the right."
    ), result.text
    assert re.search(r"Mostly [a-z ,]+, in (even|dim|bright) light\.$", result.text)
    asked = perception.describe(images.people_photo(), "brief", "How many people?", "en")
    assert asked.text.startswith("I can see two people: one on the left and one on the right.")


def test_a_barcodes_printed_digits_do_not_make_a_photo_a_sign(
    perception: PerceptionEngine,
) -> None:
    # A label with a barcode and its digits printed large under it, small in a night photo:
    # the digits are the code's, not a sign's.
    from PIL import ImageDraw, ImageFont
    from skimage import data as skdata

    from support.drawn import ean13_image

    photo = Image.fromarray(skdata.rocket()).resize((1160, 840))
    label = Image.new("RGB", (560, 360), "white")
    bars = ean13_image("2998430011421").crop((0, 0, 523, 190)).resize((360, 160))
    label.paste(bars, (80, 25))
    draw = ImageDraw.Draw(label)
    draw.text((100, 240), "2998430011421", "black", ImageFont.load_default(size=50))
    photo.paste(label, (230, 80))
    result = perception.describe(photo, "standard", None, "en")
    assert "product number" in result.text
    assert result.findings["kind"] != "sign"
    assert "This is a sign" not in result.text
