"""The cloning service with the real offline cloner: consent, sample checks, charges and
refunds, privacy between accounts, speech jobs priced per UTF-8 byte, usage counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from seesay.accounts.plans import CREDIT
from seesay.accounts.service import Principal
from seesay.db.models import ClonedVoice
from seesay.errors import InsufficientCredits, InvalidAudio, InvalidRequest, NotFound
from seesay.platform import Platform
from seesay.services.clone import CloneRequest
from seesay.services.clone_speech import CloneSpeechRequest
from seesay.services.clone_voices import CONSENT_STATEMENT
from seesay.settings import load_settings
from support.accounts import make_key
from support.clone_samples import CLONE_ENGINES, noise_wav, sample_bytes, spoken


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    tmp: Path = tmp_path_factory.mktemp("clone")
    built = Platform.build(load_settings(data_dir=tmp, engines=CLONE_ENGINES))
    built.start(consume=True)
    yield built
    built.close()


@pytest.fixture(scope="module")
def mp3(platform: Platform) -> bytes:
    return sample_bytes(spoken(platform), "mp3")


def _who(platform: Platform, credits: float = 5000) -> Principal:
    return platform.accounts.authenticate(make_key(platform, credits=credits).key)


def _balance(platform: Platform, who: Principal) -> int:
    return platform.ledger.balances(who.account_id, who.mode).total


def test_clone_charges_1000_credits_and_records_consent(platform: Platform, mp3: bytes) -> None:
    who = _who(platform)
    voice = platform.cloning.clone(
        who, CloneRequest(mp3, title="Mine", tags=("a",), consent=True), consent_required=True
    )
    assert voice.status == "COMPLETED"
    assert voice.type == "USER"
    assert voice.duration > 3
    assert voice.profile
    assert voice.profile["engine"] == voice.engine
    assert "not neural" in voice.method  # the voice says plainly what it is
    assert _balance(platform, who) == 4000 * CREDIT
    with platform.db.read() as s:
        row = s.scalar(select(ClonedVoice).where(ClonedVoice.id == voice.id))
    assert row is not None
    assert row.consent_source == "explicit"
    assert row.consent_text == CONSENT_STATEMENT
    assert row.consent_at is not None


def test_consent_rules(platform: Platform, mp3: bytes) -> None:
    who = _who(platform)
    with pytest.raises(InvalidRequest) as refused:
        platform.cloning.clone(who, CloneRequest(mp3, consent=False), consent_required=False)
    assert refused.value.param == "consent"
    with pytest.raises(InvalidRequest):
        platform.cloning.clone(who, CloneRequest(mp3), consent_required=True)
    assert _balance(platform, who) == 5000 * CREDIT  # nothing charged for either
    implied = platform.cloning.clone(who, CloneRequest(mp3), consent_required=False)
    assert implied.consent["how"] == "implied"
    assert implied.title.startswith("Voice ")  # auto-generated when not given


@pytest.mark.parametrize("fmt", ["wav", "webm"])
def test_wav_and_webm_samples_clone(platform: Platform, fmt: str) -> None:
    who = _who(platform)
    data = sample_bytes(spoken(platform, "One two three four five six seven eight."), fmt)
    voice = platform.cloning.clone(who, CloneRequest(data, consent=True), consent_required=True)
    assert voice.status == "COMPLETED"


def test_bad_samples_are_refused_before_any_charge(platform: Platform, mp3: bytes) -> None:
    who = _who(platform)
    cases: list[tuple[bytes, type[InvalidRequest], str]] = [
        (b"%PDF-1.7 not audio", InvalidRequest, "Invalid file type"),
        (b"\x00" * (20 * 1024 * 1024 + 1), InvalidRequest, "File size exceeds 20MB limit"),
        (b"RIFF\x00\x00\x00\x00WAVEgarbage", InvalidAudio, ""),
        (sample_bytes(spoken(platform, "Hi."), "wav")[:2000], InvalidAudio, "at least"),
    ]
    for data, error, words in cases:
        with pytest.raises(error) as raised:
            platform.cloning.clone(who, CloneRequest(data, consent=True), consent_required=True)
        assert words in raised.value.message
        assert raised.value.param == "voice"
    assert _balance(platform, who) == 5000 * CREDIT
    assert platform.voice_library.clones(who) == []


def test_a_sample_without_speech_is_refunded(platform: Platform) -> None:
    who = _who(platform)
    with pytest.raises(InvalidAudio):
        platform.cloning.clone(who, CloneRequest(noise_wav(), consent=True), consent_required=True)
    assert _balance(platform, who) == 5000 * CREDIT
    assert platform.voice_library.clones(who) == []


def test_too_few_credits(platform: Platform, mp3: bytes) -> None:
    who = _who(platform, credits=500)
    with pytest.raises(InsufficientCredits) as short:
        platform.cloning.clone(who, CloneRequest(mp3, consent=True), consent_required=True)
    assert (short.value.needed, short.value.available) == (1000 * CREDIT, 500 * CREDIT)


def test_clones_are_private_to_their_account(platform: Platform, mp3: bytes) -> None:
    owner, stranger = _who(platform), _who(platform)
    voice = platform.cloning.clone(owner, CloneRequest(mp3, consent=True), consent_required=True)
    with pytest.raises(NotFound):
        platform.voice_library.voice(stranger, voice.id)
    with pytest.raises(NotFound):
        platform.clone_speech.submit_speech(stranger, CloneSpeechRequest("Hello.", voice.id))
    assert voice.id not in {v.id for v in platform.voice_library.clones(stranger)}
    page = platform.voice_library.list_voices(stranger, type_="USER")
    assert page.total == 0


def test_speech_in_a_clone_is_priced_per_utf8_byte_and_counts_use(
    platform: Platform, mp3: bytes
) -> None:
    who = _who(platform)
    voice = platform.cloning.clone(who, CloneRequest(mp3, consent=True), consent_required=True)
    before = _balance(platform, who)
    text = "Hello, this is a test speech."
    task = platform.clone_speech.submit_speech(who, CloneSpeechRequest(text, voice.id, "wav"))
    assert task.status == "PROCESSING"
    assert task.credits_used == 29
    assert _balance(platform, who) == before - 29 * CREDIT
    job = platform.jobs.wait(who, task.id, 60)
    assert job.status == "succeeded", job.error
    done = platform.clone_speech.speech_task(who, task.id)
    assert done.status == "COMPLETED"
    assert done.blob_id
    assert done.duration
    assert done.duration > 0.5
    assert platform.storage.get(done.blob_id)[:4] == b"RIFF"
    assert platform.voice_library.voice(who, voice.id).usage_count == 1
    assert _balance(platform, who) == before - 29 * CREDIT  # settled, nothing returned


def test_cjk_text_costs_three_credits_a_character(platform: Platform) -> None:
    who = _who(platform)
    text = "你好世界"  # 4 characters, 12 UTF-8 bytes
    task = platform.clone_speech.submit_speech(who, CloneSpeechRequest(text, "en_US-joe-medium"))
    assert task.credits_used == 12
    assert _balance(platform, who) == (5000 - 12) * CREDIT
    platform.jobs.wait(who, task.id, 60)


def test_text_over_5000_bytes_is_refused_uncharged(platform: Platform) -> None:
    who = _who(platform)
    too_long = CloneSpeechRequest("é" * 2501, "en_US-joe-medium")  # 5002 bytes
    with pytest.raises(InvalidRequest) as refused:
        platform.clone_speech.submit_speech(who, too_long)
    assert refused.value.message == "Text exceeds maximum length of 5000 bytes"
    assert _balance(platform, who) == 5000 * CREDIT
    task = platform.clone_speech.submit_speech(
        who, CloneSpeechRequest("a" * 5000, "en_US-joe-medium")
    )
    assert task.credits_used == 5000
    platform.jobs.cancel(who, task.id)


def test_a_failed_speech_job_is_refunded(platform: Platform, mp3: bytes) -> None:
    who = _who(platform)
    voice = platform.cloning.clone(who, CloneRequest(mp3, consent=True), consent_required=True)
    before = _balance(platform, who)
    # Japanese: detected as ja, which the only configured base voice (English) cannot speak.
    task = platform.clone_speech.submit_speech(
        who, CloneSpeechRequest("こんにちは、今日はいい天気ですね。", voice.id)
    )
    assert _balance(platform, who) == before - task.credits_used * CREDIT
    job = platform.jobs.wait(who, task.id, 60)
    assert job.status == "failed"
    failed = platform.clone_speech.speech_task(who, task.id)
    assert failed.status == "FAILED"
    assert failed.error
    assert failed.error["message"]
    assert _balance(platform, who) == before
    assert platform.voice_library.voice(who, voice.id).usage_count == 0


def test_native_clone_job_completes_the_voice(platform: Platform, mp3: bytes) -> None:
    who = _who(platform)
    voice, job = platform.cloning.submit_clone(who, CloneRequest(mp3, title="Job", consent=True))
    assert voice.status == "PROCESSING"
    assert job.kind == "voice_clone"
    done = platform.jobs.wait(who, job.id, 60)
    assert done.status == "succeeded"
    assert done.result
    assert done.result["voice"]["id"] == voice.id
    assert platform.voice_library.voice(who, voice.id).status == "COMPLETED"


def test_a_failed_clone_job_marks_the_voice_failed_and_refunds(platform: Platform) -> None:
    who = _who(platform)
    voice, job = platform.cloning.submit_clone(who, CloneRequest(noise_wav(), consent=True))
    assert platform.jobs.wait(who, job.id, 60).status == "failed"
    assert platform.voice_library.voice(who, voice.id).status == "FAILED"
    assert _balance(platform, who) == 5000 * CREDIT
    with pytest.raises(NotFound):  # a FAILED voice cannot speak
        platform.clone_speech.submit_speech(who, CloneSpeechRequest("Hello.", voice.id))


def test_listing_sorts_filters_and_pages(platform: Platform, mp3: bytes) -> None:
    who = _who(platform)
    for title in ("b voice", "a voice", "c voice"):
        platform.cloning.clone(who, CloneRequest(mp3, title=title), consent_required=False)
    mine = platform.voice_library.list_voices(who, type_="USER", sort_by="title", sort_order="asc")
    assert [v.title for v in mine.voices] == ["a voice", "b voice", "c voice"]
    newest = platform.voice_library.list_voices(who, limit=2)
    assert newest.voices[0].title == "c voice"  # clones come before undated system voices
    assert newest.total == 3 + len(platform.speech.catalogue.voices())
    systems = platform.voice_library.list_voices(who, type_="SYSTEM", limit=100)
    assert systems.voices
    assert all(v.type == "SYSTEM" and v.is_public for v in systems.voices)
    assert platform.voice_library.list_voices(who, status="FAILED", type_="USER").total == 0
