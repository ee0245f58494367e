"""What a blind listener hears, through the HTTP surfaces and the real offline describer, on
images made in the test: ``/v1/describe``, img2voice and the Image Describer, in English and in
Portuguese (translated, its facts kept)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt

from api.img2voice.helpers import build_platform, decoded_seconds
from seesay.api import create_app
from seesay.platform import Platform
from support import images
from support.accounts import make_key

pytestmark = pytest.mark.slow

# Words a listener should never hear: the machinery's, not the image's (English, Portuguese).
JARGON = re.compile(
    r"classifi|confiden|confian|pixel|%|\d\.\d|detector|imagenet|ocr\b|\bscore", re.IGNORECASE
)
SIGN = images.as_jpeg(images.sign_photo(("ROAD", "CLOSED")))
PAGE = images.as_png(images.page())
PEOPLE = images.as_jpeg(images.people_photo())
DESCRIBER = "/compat/imagedescriber/api/openapi-v2/describe-image"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    built = build_platform(tmp_path_factory.mktemp("listener"))
    yield built
    built.close()


@pytest.fixture(scope="module")
def client(platform: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform.settings, platform=platform)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def key(platform: Platform) -> str:
    return str(make_key(platform, credits=40).key)


def heard(text: str) -> str:
    assert not JARGON.search(text), text
    return text


def describe(client: TestClient, key: str, image: bytes, **fields: Any) -> dict[str, Any]:
    body = {"image": "data:image/jpeg;base64," + base64.b64encode(image).decode(), **fields}
    r = client.post("/v1/describe", headers={"X-API-Key": key}, json=body)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_describe_a_sign_in_english_and_portuguese(client: TestClient, key: str) -> None:
    english = describe(client, key, SIGN)
    assert heard(english["description"]).startswith('This is a sign. It reads "ROAD", "CLOSED".')
    assert "screenshot" not in english["description"]
    portuguese = describe(client, key, SIGN, language="pt")
    assert portuguese["translated"] is True
    assert '"ROAD", "CLOSED"' in heard(portuguese["description"])  # read text keeps its value
    assert "This is" not in portuguese["description"]


def test_describe_answers_a_question_first_in_both_languages(client: TestClient, key: str) -> None:
    english = describe(client, key, PEOPLE, prompt="How many people are there?")
    first = "I can see two people: one on the left and one on the right."
    assert heard(english["description"]).startswith(first), english["description"]
    assert english["findings"]["prompt_answered"] is True
    portuguese = describe(client, key, PEOPLE, prompt="How many people are there?", language="pt")
    said = heard(portuguese["description"]).split(".")[0].lower()
    for word in ("duas pessoas", "esquerda", "direita"):
        assert word in said, portuguese["description"]
    unknown = describe(client, key, PEOPLE, prompt="Are they happy?")
    assert heard(unknown["description"]).startswith("I cannot answer that from what I can see. ")
    assert "two people" in unknown["description"]  # then it describes


def test_img2voice_reads_a_page_and_speaks_it(client: TestClient, key: str) -> None:
    r = client.post(
        "/v1/img2voice",
        headers={"Authorization": f"Bearer {key}"},
        files={"image": ("page.png", PAGE, "image/png")},
        data={"detail": "detailed", "format": "wav"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    text = heard(body["description"])
    assert text.startswith('This is a page of text. It reads "Garden Rules"'), text
    for line in images.PAGE_LINES:
        assert f'"{line}"' in text
    audio = client.get(body["audio_url"])
    assert audio.status_code == 200
    assert decoded_seconds(audio.content) > 10  # every line is spoken, not only written


def test_img2voice_compat_speaks_portuguese_with_the_text_as_read(
    client: TestClient, key: str
) -> None:
    r = client.post(
        "/compat/img2voice/v1",
        headers={"Authorization": f"Bearer {key}"},
        json={"image_base64": base64.b64encode(SIGN).decode(), "language": "pt"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["translated"] is True
    assert '"ROAD", "CLOSED"' in heard(body["description"])


def describer(client: TestClient, key: str, image: bytes, prompt: str, lang: str = "en") -> str:
    files: dict[str, Any] = {"image": ("image.jpg", image, "image/jpeg"), "prompt": (None, prompt)}
    if lang != "en":
        files["lang"] = (None, lang)
    r = client.post(DESCRIBER, headers={"Authorization": f"Bearer {key}"}, files=files)
    assert r.status_code == 200, r.text
    return str(r.json()["data"]["content"])


def rendered(markdown: str) -> tuple[str, set[str]]:
    html = MarkdownIt("commonmark").render(markdown)
    return html, set(re.findall(r"<([a-z0-9]+)[ >]", html))


def test_image_describer_answers_in_markdown_with_the_text_as_a_list(
    client: TestClient, key: str
) -> None:
    content = describer(client, key, SIGN, "What does the sign say?")
    assert content.startswith("The sign reads:\n\n- ROAD\n- CLOSED\n\n"), content
    html, tags = rendered(heard(content))
    assert tags <= {"p", "ul", "li"}, tags  # a paragraph and a list, no heading
    assert re.findall(r"<li>(.*?)</li>", html) == ["ROAD", "CLOSED"]
    portuguese = describer(client, key, SIGN, "What does the sign say?", lang="pt")
    assert "\n\n- ROAD\n- CLOSED" in heard(portuguese), portuguese
    assert "The sign" not in portuguese


def test_image_describer_prompt_chooses_how_much_is_said(client: TestClient, key: str) -> None:
    brief = describer(client, key, PAGE, "Briefly describe the content of the image")
    detailed = describer(client, key, PAGE, "Describe the image in great detail")
    assert images.PAGE_LINES[-1] not in brief
    assert images.PAGE_LINES[-1] in detailed
    assert len(detailed) > len(brief)
    people = describer(client, key, PEOPLE, "How many people are in this photo?")
    assert heard(people).startswith("I can see two people")


def test_chat_with_the_vision_model_answers_the_question_first(
    client: TestClient, key: str
) -> None:
    image = "data:image/jpeg;base64," + base64.b64encode(SIGN).decode()
    message = {
        "role": "user",
        "content": [
            {"type": "text", "text": "What does the sign say?"},
            {"type": "image_url", "image_url": {"url": image}},
        ],
    }
    r = client.post(
        "/v1/chat/completions",
        headers={"Authorization": f"Bearer {key}"},
        json={"model": "seesay-vision", "messages": [message]},
    )
    assert r.status_code == 200, r.text
    answer = r.json()["choices"][0]["message"]["content"]
    assert heard(answer).startswith('The sign reads "ROAD", "CLOSED".'), answer


def test_a_question_asked_in_portuguese_is_answered_first(client: TestClient, key: str) -> None:
    content = describer(client, key, PEOPLE, "Quantas pessoas há nesta foto?", lang="pt")
    first = heard(content).split(".")[0].lower()
    for word in ("duas pessoas", "esquerda", "direita"):
        assert word in first, content
    sign = describer(client, key, SIGN, "O que diz a placa?", lang="pt")
    assert "\n\n- ROAD\n- CLOSED" in sign, sign
    assert sign.index("ROAD") < 80  # the answer comes first, not after the description
