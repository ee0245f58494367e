"""How codes and charts are spoken, from findings built here (no models)."""

from __future__ import annotations

from seesay.engines.vision.charts import Chart, ChartPair
from seesay.engines.vision.codes import Code
from seesay.engines.vision.readouts import chart_answer, chart_sentence, code_sentence


def chart(pairs: list[ChartPair], **extra: object) -> Chart:
    fields: dict = {
        "kind": "bar chart",
        "title": "Rainfall",
        "pairs": tuple(pairs),
        "x_label": "Month",
        "y_label": None,
        "orientation": "vertical",
        "used": frozenset(),
        "box": (0, 0, 10, 10),
    }
    fields.update(extra)
    return Chart(**fields)  # type: ignore[arg-type]


MONTHS = [
    ChartPair("January", 25.0, "25"),
    ChartPair("May", 58.0, "58"),
    ChartPair("June", 80.0, "80"),
]


def test_each_level_says_more_content_never_less() -> None:
    c = chart(MONTHS)
    brief = chart_sentence(c, "brief")
    standard = chart_sentence(c, "standard")
    detailed = chart_sentence(c, "detailed")
    assert brief == (
        'This is a bar chart titled "Rainfall". '
        "The highest is June at 80 and the lowest January at 25."
    )
    assert "January: 25, May: 58, June: 80." in standard
    assert "From January to June the values rise overall." in standard
    assert "The horizontal axis is Month." in detailed
    assert len(brief) < len(standard) < len(detailed)


def test_values_are_said_as_printed_and_estimates_as_about() -> None:
    pairs = [ChartPair("Q1", 1200.0, "1,200"), ChartPair("Q2", 950.0, "950", estimated=True)]
    said = chart_sentence(chart(pairs, unlabelled=1), "standard")
    assert "Q1: 1,200, Q2: about 950." in said
    assert "One more bar has no readable label." in said
    assert "The highest is Q1 at 1,200 and the lowest Q2 at about 950." in said


def test_unordered_categories_get_no_trend_and_unread_values_are_said() -> None:
    pairs = [
        ChartPair("Oslo", 5.0, "5"),
        ChartPair("Lima", None, None),
        ChartPair("Cairo", 9.0, "9"),
    ]
    said = chart_sentence(chart(pairs), "standard")
    assert "Lima: not read" in said
    assert "trend" not in said
    assert "rise" not in said


def test_abbreviated_months_are_said_in_full_and_heard_as_values_not_dates() -> None:
    from seesay.engines.tts.text import normalize

    pairs = [ChartPair("Jan", 25.0, "25"), ChartPair("Mar", 58.0, "58"), ChartPair("Apr", 9.0, "9")]
    said = chart_sentence(chart(pairs), "standard")
    assert "January: 25, March: 58, April: 9." in said
    assert "The highest is March at 58 and the lowest April at 9." in said
    assert "From January to April" in said
    spoken = normalize(said, "en")
    assert "January: twenty-five, March: fifty-eight, April: nine." in spoken
    assert not any(day in spoken for day in ("fifth", "eighth", "ninth"))


def test_a_wide_table_names_each_cell_by_its_column() -> None:
    t = chart(
        [ChartPair("Apples", 10.0, "10", more=("120",))],
        kind="table",
        columns=("Fruit", "Tonnes", "Price"),
    )
    assert "Apples: Tonnes 120, Price 10." in chart_sentence(t, "standard")


def test_a_question_about_the_lowest_value_is_answered() -> None:
    assert chart_answer("Which is the lowest?", [chart(MONTHS)], "brief") == (
        "The lowest is January at 25.",
        True,
    )
    assert chart_answer("Which is the lowest?", [], "brief") is None


def code(content: str, meaning: str, kind: str = "QR code", box=(0, 0, 50, 50)) -> Code:
    return Code(kind, "QR Code", content, meaning, box)


def test_codes_are_said_by_what_they_hold() -> None:
    size = (300, 300)
    wifi = code("WIFI:S:Cafe;T:WPA;P:latte42;;", "wifi")
    assert code_sentence([wifi], "brief", size) == (
        'There is a QR code for the Wi-Fi network "Cafe" with the password "latte42".'
    )
    isbn = code("9780306406157", "isbn", "barcode", (200, 200, 90, 40))
    url = code("http://example.com/", "url")
    both = code_sentence([url, isbn], "detailed", size)
    assert both == (
        "There are two codes: a QR code with the web address example.com, at the top left; "
        "a barcode with the ISBN 9780306406157, at the bottom right."
    )
    assert code_sentence([], "brief", size) is None
