"""Checkboxes, radio buttons, tabs and icon buttons said in reading order with their state,
and sparse screens (one control, a dialog) said as screens, not as pages or signs; and when a
code is the image's main thing. Screens drawn here with Pillow, read by the real describer."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from seesay.engines.base import Description, Detail
from support.drawn import qr_image

pytestmark = pytest.mark.slow

INK, HINT, PAGE, ACCENT = (25, 28, 33), (150, 154, 160), (246, 247, 250), (37, 99, 235)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _describe(perception: object, image: Image.Image, detail: Detail = "standard") -> Description:
    pytest.importorskip("rapidocr")
    from seesay.engines.vision.perception import PerceptionEngine

    assert isinstance(perception, PerceptionEngine)
    return perception.describe(image, detail, None, "en")


def preferences_screen() -> Image.Image:
    """A desktop page: a top bar with a menu button (three bars) and the title "Preferences",
    tabs "General" (selected, underlined) and "Privacy", a checked "Remember me" and an
    unchecked "Send reports" checkbox, radio buttons "Small" and "Large" (selected)."""
    image = Image.new("RGB", (1280, 900), PAGE)
    draw = ImageDraw.Draw(image)
    body = _font(26)
    draw.rectangle((0, 0, 1280, 80), fill=(30, 41, 59))
    draw.rounded_rectangle((20, 14, 72, 66), 10, fill=(80, 91, 109))
    for y in (28, 40, 52):
        draw.line([(34, y), (58, y)], fill="white", width=4)
    draw.text((100, 22), "Preferences", fill="white", font=_font(34))
    draw.text((80, 130), "General", fill=ACCENT, font=body)
    width = draw.textlength("General", font=body)
    draw.rectangle((76, 172, 84 + width, 176), fill=ACCENT)
    draw.text((300, 130), "Privacy", fill=INK, font=body)
    draw.rounded_rectangle((80, 250, 108, 278), 4, fill=ACCENT)
    draw.line([(86, 264), (92, 271), (103, 256)], fill="white", width=4)
    draw.text((124, 250), "Remember me", fill=INK, font=body)
    draw.rounded_rectangle((80, 320, 108, 348), 4, fill="white", outline=HINT, width=2)
    draw.text((124, 320), "Send reports", fill=INK, font=body)
    for i, (name, on) in enumerate((("Small", False), ("Large", True))):
        y = 420 + 64 * i
        draw.ellipse((80, y, 108, y + 28), fill="white", outline=ACCENT if on else HINT, width=2)
        if on:
            draw.ellipse((88, y + 8, 100, y + 20), fill=ACCENT)
        draw.text((124, y), name, fill=INK, font=body)
    return image


def test_checkboxes_radio_buttons_tabs_and_an_icon_button_are_said_with_their_state(
    perception: object,
) -> None:
    result = _describe(perception, preferences_screen())
    assert result.findings["kind"] == "screenshot"
    assert result.text.startswith(
        'This is a screen titled "Preferences". It has the button "Menu", '
        'the tabs "General" (selected) and "Privacy", '
        'the checkboxes "Remember me" (checked) and "Send reports" (not checked) '
        'and the radio buttons "Small" (not selected) and "Large" (selected).'
    ), result.text


def test_a_settings_screen_with_a_title_and_one_button_is_a_screen(perception: object) -> None:
    image = Image.new("RGB", (720, 1280), PAGE)
    draw = ImageDraw.Draw(image)
    draw.text((60, 80), "Backup", fill=INK, font=_font(60))
    draw.text((60, 200), "Your photos are not backed up.", fill=INK, font=_font(28))
    draw.rounded_rectangle((60, 290, 340, 360), 12, fill=ACCENT)
    draw.text((112, 308), "Back up now", fill="white", font=_font(28))
    result = _describe(perception, image, "brief")
    assert result.findings["kind"] == "screenshot"
    assert result.text == ('This is a screen titled "Backup". Its main button is "Back up now".'), (
        result.text
    )


def test_a_dialog_is_said_with_its_close_button_message_and_ok(perception: object) -> None:
    image = Image.new("RGB", (1280, 900), (110, 112, 118))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((390, 250, 890, 520), 16, fill="white")
    draw.text((430, 285), "Delete file?", fill=INK, font=_font(38))
    draw.ellipse((820, 280, 864, 324), fill=(225, 226, 230))  # a close button: a cross
    draw.line([(832, 292), (852, 312)], fill=INK, width=4)
    draw.line([(832, 312), (852, 292)], fill=INK, width=4)
    draw.text((430, 360), "This cannot be undone.", fill=INK, font=_font(26))
    draw.rounded_rectangle((740, 440, 850, 495), 8, fill=(220, 38, 38))
    draw.text((776, 453), "OK", fill="white", font=_font(26))
    result = _describe(perception, image)
    assert result.findings["kind"] == "screenshot"
    assert result.text.startswith(
        'This is a screen titled "Delete file". It has the buttons "Close" and "OK". '
        'Other text reads "This cannot be undone".'
    ), result.text


def test_a_code_on_a_plain_ground_is_a_code_and_a_small_one_in_a_photo_leaves_it_a_photo(
    perception: object,
) -> None:
    from skimage import data as skdata

    plain = _describe(perception, qr_image("https://example.com/menu", size=1200), "brief")
    assert plain.findings["kind"] == "code"
    assert "web address example.com/menu" in plain.text
    photo = Image.fromarray(skdata.chelsea()).convert("RGB").resize((1200, 900))
    photo.paste(qr_image("https://example.com/menu", size=360), (820, 520))
    small = _describe(perception, photo)
    assert small.findings["kind"] == "photo"
    assert "web address example.com/menu" in small.text


def test_a_checkbox_labelled_with_one_letter_is_a_checkbox(perception: object) -> None:
    # The reader takes the box in with its label and reads it as a blank before "A": the
    # letter is sure, the line as a whole is not, and "A" is no wider than the box is tall.
    image = Image.new("RGB", (720, 1400), (240, 240, 242))
    draw = ImageDraw.Draw(image)
    draw.text((42, 48), "Drink", fill=INK, font=_font(60))
    draw.text((42, 156), "Who than right plan form.", fill=INK, font=_font(26))
    draw.rounded_rectangle((42, 222, 70, 250), 0, fill=(220, 38, 38))
    draw.line([(48, 237), (54, 243), (64, 230)], fill="white", width=3)
    draw.text((84, 224), "A", fill=INK, font=_font(26))
    result = _describe(perception, image)
    assert result.findings["kind"] == "screenshot"
    assert 'the checkbox "A" (checked)' in result.text, result.text


def test_a_small_menu_button_on_a_tall_app_bar_is_said(perception: object) -> None:
    # A menu button smaller than the reader's padded boxes of the buttons' labels.
    image = Image.new("RGB", (1280, 1000), (28, 29, 33))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1280, 56), fill=ACCENT)
    draw.rounded_rectangle((22, 13, 52, 43), 6, fill=(87, 149, 255))
    for y in (21, 28, 35):
        draw.line([(30, y), (44, y)], fill="white", width=3)
    draw.text((82, 14), "Large up after", fill="white", font=_font(28))
    draw.text((42, 104), "Thunder", fill=(230, 230, 230), font=_font(32))
    for x0, x1, name in ((42, 200, "By miss"), (224, 408, "New bring")):
        draw.rounded_rectangle((x0, 162, x1, 214), 20, fill=ACCENT)
        draw.text((x0 + 36, 175), name, fill="white", font=_font(24))
    result = _describe(perception, image)
    assert result.findings["kind"] == "screenshot"
    assert result.text.startswith(
        'This is a screen titled "Large up after". It has the button "Menu". '
        'Under the heading "Thunder", the buttons "By miss" and "New bring".'
    ), result.text
