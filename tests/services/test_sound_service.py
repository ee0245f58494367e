"""The sound-effect and music service: priced per started second from the one price table,
checked before charging, refunded when the engine refuses, deterministic with a seed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from seesay.accounts.plans import CREDIT
from seesay.accounts.service import Principal
from seesay.errors import InvalidRequest
from seesay.media.audio_decode import decode_audio
from seesay.platform import Platform
from seesay.services.sound import AudioRequest
from seesay.settings import load_settings
from support.accounts import make_key


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    tmp: Path = tmp_path_factory.mktemp("sound")
    built = Platform.build(load_settings(data_dir=tmp, prices={"music": 2000}))
    yield built
    built.close()


def _who(platform: Platform, credits: float = 100) -> Principal:
    return platform.accounts.authenticate(make_key(platform, credits=credits).key)


def _balance(platform: Platform, who: Principal) -> int:
    return platform.ledger.balances(who.account_id).total


def test_sound_effect_is_charged_per_started_second(platform: Platform) -> None:
    who = _who(platform)
    made = platform.sounds.sound_effect(who, AudioRequest("a bell", 2.2, "wav", seed=3))
    assert made.credits_used == 3 * CREDIT
    assert _balance(platform, who) == 97 * CREDIT
    audio = decode_audio(platform.storage.get(made.blob_id))
    assert audio.duration == pytest.approx(2.2, abs=0.05)
    assert made.details["understood"] == ["bell"]
    again = platform.sounds.sound_effect(who, AudioRequest("a bell", 2.2, "wav", seed=3))
    assert platform.storage.get(again.blob_id) == platform.storage.get(made.blob_id)


def test_music_price_comes_from_the_price_table(platform: Platform) -> None:
    who = _who(platform)
    made = platform.sounds.music(who, AudioRequest("slow sad piano", 3, "wav"))
    assert made.credits_used == 3 * 2000  # the operator's override applies
    assert made.details["engine"] == made.engine
    estimate = platform.vimmerse.estimate("text-to-music", "Lyria", duration=3)
    assert estimate.total_credits * CREDIT == made.credits_used


def test_refusals_cost_nothing(platform: Platform) -> None:
    who = _who(platform)
    refusals = [
        (AudioRequest("", 2), "prompt"),
        (AudioRequest("rain", 0.1), "duration"),
        (AudioRequest("rain", 31), "duration"),
        (AudioRequest("rain", 2, "ogg"), "format"),
        (AudioRequest("rain", 2, engine="nope"), "engine"),
        (AudioRequest("rain", 2, seed=-1), "seed"),
        (AudioRequest("grumble the fnord", 2), "prompt"),  # the engine understands none of it
    ]
    for req, param in refusals:
        with pytest.raises(InvalidRequest) as refused:
            platform.sounds.sound_effect(who, req)
        assert refused.value.param == param
    assert _balance(platform, who) == 100 * CREDIT
