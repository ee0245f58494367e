"""Receipts and price lists are read as lines of text, never as a chart with a "highest value":
rows built here, and a receipt rendered with Pillow read by the real offline describer."""

from __future__ import annotations

import pytest

from seesay.engines.tts.text import normalize
from seesay.engines.vision.receipts import ReceiptReading, read_receipt
from seesay.engines.vision.tables import is_price_list, read_table
from seesay.engines.vision.text_lines import TextLine, Word
from support.drawn import receipt_image, table_image


def line(text: str, x: int, y: int, w: int = 160) -> TextLine:
    return TextLine(text, 0.95, (x, y, w, 30), tuple(Word(t, 0.99) for t in text.split()))


def till(rows: list[tuple[str, str]]) -> list[TextLine]:
    out = [line("CORNER SHOP", 150, 20, 220), line("12/03/2025", 40, 70)]
    for i, (name, price) in enumerate(rows):
        out += [line(name, 40, 150 + 45 * i), line(price, 440, 150 + 45 * i, 70)]
    return out


ITEMS = [("BREAD", "2.50"), ("MILK", "1.20"), ("APPLES", "3.75"), ("CHEESE", "4.10")]


@pytest.mark.parametrize(
    ("rows", "priced"),
    [
        ([["BREAD", "2.50"], ["MILK", "1.20"], ["JAM", "3.75"]], True),  # a price list
        ([["Tea", "3"], ["Cake", "4"], ["Soup", "6"], ["Total", "13"]], True),  # a sum
        ([["Apples", "120"], ["Pears", "75"], ["Plums", "210"]], False),  # a table of values
        ([["North", "1.5"], ["South", "2.25"], ["East", "3"]], False),
        ([["BREAD", "2.50"], ["MILK", "1.20"]], False),  # too few rows to tell
    ],
)
def test_priced_rows_are_told_from_a_table_of_values(rows: list[list[str]], priced: bool) -> None:
    assert is_price_list(rows) is priced


def test_a_receipt_is_no_table_and_is_read_line_by_line_with_its_total() -> None:
    lines = till([*ITEMS, ("TOTAL", "11.55")])
    assert read_table(lines) is None  # before: a table whose highest value was TOTAL
    receipt = read_receipt(lines)
    assert receipt is not None
    reading = ReceiptReading(receipt)
    assert reading.kind == "document"
    assert reading.sentences("brief") == [
        'This is a receipt titled "CORNER SHOP".',
        'It lists 4 items; it ends "TOTAL 11.55".',
    ]
    said = " ".join(reading.sentences("standard"))
    assert (
        'It reads, line by line: "12/03/2025"; "BREAD 2.50"; "MILK 1.20"; "APPLES 3.75"; '
        '"CHEESE 4.10"; "TOTAL 11.55".' in said
    )
    assert "highest" not in said
    assert reading.answer("What is the total?") == 'The receipt says "TOTAL 11.55".'
    assert reading.used_lines() == frozenset(range(len(lines)))


def test_a_long_receipt_says_its_total_after_the_items_it_cuts() -> None:
    rows = [(f"ITEM {chr(65 + i)}", f"{i + 1}.25") for i in range(20)]
    reading = ReceiptReading(read_receipt(till([*rows, ("TOTAL", "230.00")])))  # type: ignore[arg-type]
    standard = " ".join(reading.sentences("standard"))
    assert '"ITEM O 15.25"; and 5 more items; "TOTAL 230.00".' in standard
    assert '"ITEM T 20.25"; "TOTAL 230.00"' in " ".join(reading.sentences("detailed"))


def test_a_table_of_values_is_no_receipt() -> None:
    lines = [line("Fruit harvest", 60, 20, 300)]
    for i, (a, b) in enumerate([("Fruit", "Tonnes"), ("Apples", "120"), ("Pears", "75")]):
        lines += [line(a, 75, 100 + 60 * i), line(b, 375, 100 + 60 * i, 90)]
    lines += [line("Plums", 75, 280), line("210", 375, 280, 60)]
    assert read_receipt(lines) is None
    assert read_table(lines) is not None


@pytest.mark.slow
def test_a_rendered_receipt_is_read_as_a_document_in_order(perception: object) -> None:
    pytest.importorskip("rapidocr")
    from seesay.engines.vision.perception import PerceptionEngine

    assert isinstance(perception, PerceptionEngine)
    result = perception.describe(receipt_image(), "standard", None, "en")
    assert result.findings["kind"] == "document"
    assert result.findings["charts"] == []
    assert result.text.startswith(
        'This is a receipt titled "CORNER SHOP". It reads, line by line: "12/03/2025"; '
        '"BREAD 2.50"; "MILK 1.20"; "APPLES 3.75"; "CHEESE 4.10"; "TOTAL 11.55".'
    ), result.text
    assert "highest" not in result.text
    assert "lowest" not in result.text
    spoken = normalize(result.text, "en")
    assert "TOTAL eleven point five five" in spoken
    # 12/03/2025 could be either way round: its numbers in order, never a "slash".
    assert '"twelve, three, twenty twenty five"; "BREAD two point five zero"' in spoken
    asked = perception.describe(receipt_image(), "brief", "What is the total?", "en")
    assert asked.text.startswith('The receipt says "TOTAL 11.55".')
    menu = perception.describe(receipt_image(total=None), "brief", None, "en")
    assert menu.text.startswith('This is a price list titled "CORNER SHOP". It lists 4 items.')
    # Control: a table of values is still a table with its highest value.
    table = perception.describe(table_image(), "brief", None, "en")
    assert table.findings["charts"][0]["kind"] == "table"
    assert "The highest is Plums at 210" in table.text


def standard(lines: list[TextLine]) -> str:
    receipt = read_receipt(lines)
    assert receipt is not None
    return " ".join(ReceiptReading(receipt).sentences("standard"))


SHORT = [("BREAD", "2.5"), ("MILK", "1.2"), ("APPLES", "3.75"), ("CHEESE", "4")]


def test_bare_prices_are_quoted_as_printed_and_their_one_currency_named_once() -> None:
    lines = till([*SHORT, ("TOTAL", "$11.45")])
    said = standard(lines)
    # What is read off the image is quoted as printed, never rewritten ("BREAD $2.50").
    assert '"BREAD 2.5"; "MILK 1.2"; "APPLES 3.75"; "CHEESE 4"; "TOTAL $11.45". ' in said
    assert said.endswith("Its prices are in dollars.")
    spoken = normalize(said, "en")
    assert "TOTAL eleven dollars and forty-five cents" in spoken
    # The date line is no sure date (the 12th of March, or December 3rd?): its numbers.
    assert 'line by line: "twelve, three, twenty twenty five"; "BREAD' in spoken
    assert ReceiptReading(read_receipt(lines)).read_out()[2] == "BREAD 2.5"  # type: ignore[arg-type]


def test_a_currency_shown_once_as_a_sign_after_the_amount_or_as_a_code_is_named() -> None:
    euros = standard(
        till([("BROT", "2,5"), ("MILCH", "1,20"), ("KÄSE", "4,10"), ("SUMME", "7,80 €")])
    )
    assert '"BROT 2,5"; "MILCH 1,20"' in euros
    assert euros.endswith("Its prices are in euros.")
    coded = [*till([*SHORT, ("TOTAL", "11.45")]), line("ALL PRICES IN GBP", 40, 400, 300)]
    assert standard(coded).endswith("Its prices are in pounds.")


def test_no_currency_is_invented() -> None:
    bare = standard(till([*SHORT, ("TOTAL", "11.45")]))
    assert "prices are in" not in bare
    mixed = standard(till([*SHORT, ("TOTAL", "$11.45"), ("PAID", "€12.00")]))
    assert "prices are in" not in mixed  # two currencies: neither is given to the items
    signed = standard(till([("Tea", "$3"), ("Cake", "$4"), ("Soup", "$6"), ("Total", "$13")]))
    assert "prices are in" not in signed  # every price says it already
