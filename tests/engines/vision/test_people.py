"""Face finding and the safety verdict on the real NudeNet model and OpenCV cascade."""

from __future__ import annotations

import pytest
from PIL import Image

cv2 = pytest.importorskip("cv2")
pytest.importorskip("nudenet")
skdata = pytest.importorskip("skimage.data")

from seesay.engines.vision.people import PeopleDetector  # noqa: E402

pytestmark = pytest.mark.slow


def astronaut() -> Image.Image:
    image = Image.fromarray(skdata.astronaut())
    image.thumbnail((640, 640))
    return image


def test_both_finders_see_the_astronaut_once() -> None:
    detector = PeopleDetector()
    assert detector.finders == ("nudenet", "haar")
    found = detector.detect(astronaut())
    assert found.people == 1
    assert found.faces[0].source == "both"
    assert found.safety.rating == "safe"


def test_a_cv2_without_cascades_leaves_nudenet_finding_faces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # OpenCV 5 dropped the cascade classifier; a describe must still count faces.
    monkeypatch.delattr(cv2, "CascadeClassifier")
    detector = PeopleDetector()
    assert detector.finders == ("nudenet",)
    found = detector.detect(astronaut())
    assert found.people == 1
    assert found.faces[0].source == "nudenet"
    x, y, w, h = found.faces[0].box
    assert 100 < x + w / 2 < 300  # left of centre, near the top, in the 512 px image
    assert 50 < y + h / 2 < 250
