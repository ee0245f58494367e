"""Screenshots read as a screen reader reads them: the title, then headings, fields, buttons,
switches and links in reading order. Screens drawn with Pillow, read by the real describer."""

from __future__ import annotations

import numpy as np
import pytest

from seesay.engines.vision.screens import read_screen
from seesay.engines.vision.text_lines import TextLine, Word
from support import images
from support.drawn import login_screen, settings_screen


def line(text: str, box: tuple[int, int, int, int]) -> TextLine:
    return TextLine(text, 0.95, box, tuple(Word(t, 0.99) for t in text.split()))


def test_a_box_holding_one_centred_line_is_a_button_and_a_wide_empty_box_a_field() -> None:
    # Boxes as the text reader gives them on login_screen(): a little larger than the letters.
    image = login_screen()
    lines = [
        line("Sign in", (44, 146, 228, 92)),
        line("Welcome back to Harbor", (52, 256, 352, 46)),
        line("Email", (48, 354, 98, 50)),
        line("you@example.com", (70, 430, 282, 48)),
        line("Password", (48, 526, 156, 48)),
        line("Sign in", (304, 784, 114, 50)),
        line("Forgot password?", (232, 898, 258, 46)),
    ]
    screen = read_screen(np.asarray(image), lines, image.size)
    assert screen is not None
    assert screen.title == "Sign in"
    said = [(c.role, c.label, c.value) for c in screen.items]
    assert said == [
        ("text", "Welcome back to Harbor", None),
        ("field", "Email", None),  # the grey "you@example.com" is a placeholder, not a value
        ("field", "Password", None),
        ("button", "Sign in", None),
        ("link", "Forgot password?", None),
    ]
    assert screen.main_button is not None
    assert screen.main_button.label == "Sign in"


def test_a_tight_rounded_button_whose_read_box_overhangs_it_is_still_a_button() -> None:
    # The text reader pads its box of a line: on a button hugging its label the box comes out
    # a little wider than the button, and reaches into its rounded corners.
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (720, 1400), (253, 253, 253))
    draw = ImageDraw.Draw(image)
    draw.text((45, 45), "Sun", fill=(20, 20, 20), font=ImageFont.load_default(size=46))
    draw.text(
        (45, 132),
        "Should yet doctor child.",
        fill=(20, 20, 20),
        font=ImageFont.load_default(size=24),
    )
    draw.rounded_rectangle((45, 193, 276, 245), 6, fill=(24, 165, 74))
    draw.text((68, 205), "Down question", fill="white", font=ImageFont.load_default(size=24))
    lines = [
        line("Sun", (34, 40, 120, 62)),
        line("Should yet doctor child.", (36, 124, 310, 44)),
        line("Down question", (44, 193, 246, 53)),  # wider than the 232-pixel button
    ]
    screen = read_screen(np.asarray(image), lines, image.size)
    assert screen is not None
    assert screen.title == "Sun"
    assert [(c.role, c.label) for c in screen.items] == [
        ("text", "Should yet doctor child."),
        ("button", "Down question"),
    ]
    assert screen.main_button is not None
    assert screen.main_button.filled


def test_a_heading_over_a_field_whose_thin_label_was_not_read_stays_a_heading() -> None:
    # Thin light labels on a dark page: the text reader missed the label "Hill" between the
    # heading and its field, so the nearest line above the field is the heading.
    from PIL import Image, ImageDraw, ImageFont

    def face(size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.load_default(size=size)

    ink, hint, ground = (236, 236, 236), (120, 120, 120), (32, 34, 38)
    image = Image.new("RGB", (720, 1000), (18, 20, 24))
    draw = ImageDraw.Draw(image)
    draw.text((45, 40), "From year", fill=ink, font=face(48))
    draw.text((45, 150), "Stone", fill=ink, font=face(22))
    draw.rounded_rectangle((45, 186, 485, 230), 6, fill=ground, outline=hint, width=2)
    draw.text((45, 270), "Enough", fill=ink, font=face(32))
    draw.text((45, 330), "Hill", fill=ink, font=face(22))
    draw.rounded_rectangle((45, 366, 331, 422), 6, fill=ground, outline=hint, width=2)
    draw.text((60, 381), "watch can show", fill=hint, font=face(22))
    draw.text((45, 470), "Can gold", fill=ink, font=face(22))
    draw.rounded_rectangle((45, 506, 397, 550), 6, fill=ground, outline=hint, width=2)
    lines = [
        line("From year", (38, 34, 240, 64)),
        line("Stone", (38, 146, 76, 32)),
        line("Enough", (38, 264, 130, 46)),
        line("watch can show", (54, 376, 180, 34)),
        line("Can gold", (38, 466, 110, 32)),
    ]
    screen = read_screen(np.asarray(image), lines, image.size)
    assert screen is not None
    said = [(c.role, c.label) for c in screen.items]
    assert ("heading", "Enough") in said, said
    assert ("field", "Enough") not in said, said
    assert ("field", "Stone") in said, said
    assert ("field", "Can gold") in said, said


def test_plain_text_without_controls_is_no_screen() -> None:
    image = images.page()
    lines = [
        line("Garden Rules", (70, 70, 330, 70)),
        line(images.PAGE_LINES[0], (70, 190, 700, 50)),
    ]
    assert read_screen(np.asarray(image), lines, image.size) is None


@pytest.mark.slow
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_login_screen_is_said_by_its_title_fields_button_and_link(
    perception: object, dark: bool
) -> None:
    pytest.importorskip("rapidocr")
    from seesay.engines.vision.perception import PerceptionEngine

    assert isinstance(perception, PerceptionEngine)
    image = login_screen(dark=dark)
    standard = perception.describe(image, "standard", None, "en")
    assert standard.findings["kind"] == "screenshot"
    assert standard.text.startswith(
        'This is a screen titled "Sign in". It has the fields "Email" and "Password", '
        'the button "Sign in" and the link "Forgot password". '
        'Other text reads "Welcome back to Harbor".'
    ), standard.text
    brief = perception.describe(image, "brief", None, "en")
    assert brief.text == (
        'This is a screen titled "Sign in". '
        'It asks for "Email" and "Password"; its main button is "Sign in".'
    ), brief.text
    detailed = perception.describe(image, "detailed", None, "en")
    assert detailed.text.startswith(
        'This is a screen titled "Sign in". It has the text "Welcome back to Harbor", '
        'the fields "Email" and "Password", the button "Sign in" and the link "Forgot password".'
    ), detailed.text
    asked = perception.describe(image, "brief", "What buttons are there?", "en")
    assert asked.text.startswith('It has the button "Sign in".'), asked.text


@pytest.mark.slow
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_a_settings_page_is_said_section_by_section_with_switch_states(
    perception: object, dark: bool
) -> None:
    pytest.importorskip("rapidocr")
    from seesay.engines.vision.perception import PerceptionEngine

    assert isinstance(perception, PerceptionEngine)
    result = perception.describe(settings_screen(dark=dark), "standard", None, "en")
    assert result.text.startswith(
        'This is a screen titled "Settings". '
        'Under the heading "Network", the switches "Wi-Fi" (on) and "Bluetooth" (off). '
        'Under the heading "Account", the field "Display name" (filled in with "Ann Lee") '
        'and the buttons "Save" and "Cancel". '
        'Other text reads "Your name is shown to people you share with".'
    ), result.text
    items = result.findings["screen"]["items"]
    assert [i["label"] for i in items if i["main"]] == ["Save"]


@pytest.mark.slow
def test_the_app_screenshot_names_its_fields_and_buttons(perception: object) -> None:
    pytest.importorskip("rapidocr")
    from seesay.engines.vision.perception import PerceptionEngine

    assert isinstance(perception, PerceptionEngine)
    result = perception.describe(images.screenshot(), "standard", None, "en")
    assert result.text.startswith(
        'This is a screen titled "Settings". It has the fields "Display name", '
        '"Email address" and "Phone number" and the buttons "Save" and "Cancel".'
    ), result.text
