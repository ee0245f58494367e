"""``data.content`` is markdown that renders as the plain description: text read off an image
cannot become HTML or markdown in the client's renderer."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from seesay.api.imagedescriber.markdown import describer_markdown, plain_text_markdown

# CommonMark with raw HTML allowed, tables and strike-through: the most permissive renderer.
RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

HOSTILE = [
    'The text reads "<script>alert(1)</script>".',
    'The text reads "<img src=x onerror=alert(1)>".',
    "The text reads [click here](javascript:alert(1)) and ![x](http://127.0.0.1/t.png).",
    "The text reads **bold** _it_ `code` ~~gone~~ a|b|c & AT&T &lt;b&gt;.",
    "# Heading\n- item\n+ item\n* item\n1. one\n2) two\n> quote\n---\n===\n    code\n```\nfence",
    "Prices: 5 < 6 > 4, 50% off (today) \\o/",
]


def rendered_text(markdown: str) -> tuple[str, set[str]]:
    """What a reader of the rendered HTML sees, and the tags the HTML holds."""
    out = RENDERER.render(markdown)
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", out))
    return html.unescape(re.sub(r"<[^>]+>", "", out)), tags


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_itself_and_adds_no_markup(text: str) -> None:
    shown, tags = rendered_text(plain_text_markdown(text))
    assert tags <= {"p"}, tags
    assert words(shown) == words(text)


def test_script_tags_become_entities_every_markdown_flavour_shows_as_text() -> None:
    out = plain_text_markdown('The text reads "<script>alert(1)</script>".')
    assert out == 'The text reads "&lt;script&gt;alert(1)&lt;/script&gt;".'


def test_plain_sentences_stay_readable() -> None:
    text = (
        "This photo shows a cat, most likely a tabby cat. The classifier is 85% sure of its "
        "first guess; other candidates are tiger cat (10%), Egyptian cat (3%)."
    )
    assert plain_text_markdown(text) == text


def test_read_out_text_is_a_list_in_place_of_its_quotes() -> None:
    text = 'This is a sign. It reads "ROAD", "CLOSED" (unclear). Mostly red, in even light.'
    out = describer_markdown(text, ["ROAD", "CLOSED"])
    html_out = RENDERER.render(out)
    assert re.findall(r"<li>(.*?)</li>", html_out) == ["ROAD", "CLOSED (unclear)"]
    shown, tags = rendered_text(out)
    assert tags <= {"p", "ul", "li"}, tags  # a paragraph and a list: no heading
    assert (
        words(shown) == "This is a sign. It reads: ROAD CLOSED (unclear) Mostly red, in even light."
    )


def test_hostile_read_out_lines_stay_text_inside_the_list() -> None:
    lines = ["# Heading", "<script>alert(1)</script>", "[x](javascript:alert(1))", "1. one"]
    quoted = ", ".join(f'"{line}"' for line in lines)
    out = describer_markdown(f"This is a page of text. It reads {quoted}.", lines)
    shown, tags = rendered_text(out)
    assert tags <= {"p", "ul", "li"}, tags
    for line in lines:
        assert line in shown
    # Quotes a translator changed: the paragraph as said, then the lines it does not say
    # as a list (a line it still says, in other quotes, is not heard twice).
    moved = describer_markdown("Esta é uma placa. Ela diz «ROAD».", ["ROAD", "CLOSED"])
    assert moved.endswith("\n\n- CLOSED")
    assert moved.count("ROAD") == 1


@pytest.mark.parametrize(
    ("text", "read_out"),
    [
        ("There is a QR code with the web address example.com/a.", ["https://example.com/a"]),
        (
            'This is a bar chart titled "Sales". Jan 25, Feb 40. The highest is Feb at 40.',
            ["Jan: 25", "Feb: 40"],
        ),
    ],
)
def test_what_the_paragraph_already_says_is_not_listed_again(
    text: str, read_out: list[str]
) -> None:
    assert describer_markdown(text, read_out) == plain_text_markdown(text)


def test_strings_the_paragraph_does_not_say_are_listed_after_it() -> None:
    out = describer_markdown("This is a sign.", ["EXIT 42", "Main Street"])
    assert out.endswith("- EXIT 42\n- Main Street")


@pytest.mark.parametrize(
    ("prompt", "detail"),
    [
        ("Which bar is the shortest?", "standard"),
        ("What does the summary say?", "standard"),
        ("Is everything safe?", "standard"),
        ("Briefly describe this image.", "brief"),
        ("Describe it in one sentence.", "brief"),
        ("Describe this image in great detail.", "detailed"),
        ("Describe everything you see.", "detailed"),
    ],
)
def test_only_words_about_length_set_the_detail(prompt: str, detail: str) -> None:
    from seesay.services.describe_contracts import detail_asked

    assert detail_asked(prompt) == detail
