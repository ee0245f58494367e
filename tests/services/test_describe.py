"""The describe and img2voice services without HTTP: language choice, credits, refunds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.img2voice.helpers import FakeVisionEngine, build_platform, photo_jpeg, vision_swapped
from seesay.accounts.service import Principal
from seesay.errors import ContentRejected, EngineError, InvalidImage, UnsupportedLanguage
from seesay.platform import Platform
from seesay.services.describe_contracts import DescribeRequest
from seesay.services.image_input import ImageInput
from seesay.services.img2voice import Img2VoiceRequest
from support.accounts import make_key

pytestmark = pytest.mark.slow

JPEG = photo_jpeg((320, 240))


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    built = build_platform(tmp_path_factory.mktemp("svc"))
    yield built
    built.close()


def caller(platform: Platform, credits: float = 5) -> tuple[Principal, str]:
    key = make_key(platform, credits=credits)
    return platform.accounts.authenticate(key.key), key.account_id


def test_auto_language_follows_a_prompt_and_defaults_to_english(platform: Platform) -> None:
    resolve = platform.describer.resolve_language
    assert resolve("auto") == "en"
    assert resolve("auto", "¿Qué animal aparece en esta fotografía?") == "es"
    assert resolve("auto", "Quel animal voit-on sur cette photo ?") == "en"  # cannot write fr
    assert resolve("pt_br") == "pt-BR"


def test_unsupported_language_names_what_works(platform: Platform) -> None:
    with pytest.raises(UnsupportedLanguage) as caught:
        platform.img2voice.validate(Img2VoiceRequest(ImageInput(data=JPEG), language="ko"))
    assert set(caught.value.details["supported"]) >= {"en", "es"}
    assert "ko" in caught.value.message


def test_one_credit_per_image_and_none_for_a_bad_image(platform: Platform) -> None:
    principal, account = caller(platform)
    out = platform.describer.describe(principal, DescribeRequest(ImageInput(data=JPEG)))
    assert out.credits_used == 1000
    assert platform.ledger.balances(account).total == 4000
    with pytest.raises(InvalidImage):
        platform.describer.describe(principal, DescribeRequest(ImageInput(data=JPEG[:300])))
    assert platform.ledger.balances(account).total == 4000


def test_engine_failure_and_harmful_content_refund(platform: Platform) -> None:
    failing, harmful = FakeVisionEngine(fail=True), FakeVisionEngine(harmful=True)
    principal, account = caller(platform, credits=2)
    with vision_swapped(platform, failing) as swapped, pytest.raises(EngineError):
        swapped.img2voice.speak(principal, Img2VoiceRequest(ImageInput(data=JPEG)))
    with vision_swapped(platform, harmful) as swapped, pytest.raises(ContentRejected):
        swapped.describer.describe(principal, DescribeRequest(ImageInput(data=JPEG)))
    assert (failing.calls, harmful.calls) == (1, 1)
    assert platform.ledger.balances(account).total == 2000


def test_a_stream_that_fails_midway_refunds_and_one_that_ends_settles(platform: Platform) -> None:
    principal, account = caller(platform, credits=2)
    with vision_swapped(platform, FakeVisionEngine()) as swapped:
        whole = swapped.img2voice.stream(principal, Img2VoiceRequest(ImageInput(data=JPEG)))
        assert whole.described.text == "A small test picture."
        assert len(b"".join(whole.chunks)) > 1000
        assert platform.ledger.balances(account).total == 1000
        cut = swapped.img2voice.stream(principal, Img2VoiceRequest(ImageInput(data=JPEG)))
        next(cut.chunks)
        cut.chunks.close()  # the client went away
    assert platform.ledger.balances(account).total == 1000
