"""Job rows written before the calls were typed still validate: a queued job survives an upgrade."""

from __future__ import annotations

from seesay.services.clone import CLONE_JOB
from seesay.services.clone_speech import CLONE_SPEECH_JOB
from seesay.services.img2voice_batch import BATCH_JOB
from seesay.services.sound import GenerationInput
from seesay.services.speech import SPEECH_JOB


def test_an_old_img2voice_batch_row_keeps_its_images_and_options() -> None:
    # As submit_batch wrote it before: the call payload's keys spread in, image_blob None.
    old = {
        "images": [
            {"url": "https://example.org/a.jpg", "param": "images[0]"},
            {"blob": "b1", "mime_type": "image/png", "param": "images[1]"},
        ],
        "voice_asked": "eve",
        "image_blob": None,
        "mime_type": None,
        "detail": "brief",
        "prompt": None,
        "language": "de",
        "voice": "af_heart",
        "format": "wav",
        "speed": 1.25,
    }
    batch = BATCH_JOB.payload(old)
    assert [i.url for i in batch.images] == ["https://example.org/a.jpg", None]
    assert batch.images[1].blob == "b1"
    assert batch.images[1].param == "images[1]"
    assert (batch.voice_asked, batch.voice, batch.language, batch.speed) == (
        "eve",
        "af_heart",
        "de",
        1.25,
    )


def test_old_clone_and_speech_rows_validate() -> None:
    clone = CLONE_JOB.payload(
        {"voice_id": "clv_1", "title": "Me", "blob_id": "s.wav", "engine": "conversion"}
    )
    assert (clone.voice_id, clone.title, clone.blob_id) == ("clv_1", "Me", "s.wav")
    speech = CLONE_SPEECH_JOB.payload(
        {
            "text": "Hallo",
            "format": "mp3",
            "language": "de",
            "credits": 5,
            "voice": {
                "id": "clv_1",
                "title": "Me",
                "coverImage": None,
                "type": "USER",
                "engine": "conversion",
                "profile": {"method": "x"},
            },
        }
    )
    assert speech.speed == 1.0
    assert speech.voice.public() == {
        "id": "clv_1",
        "title": "Me",
        "coverImage": None,
        "type": "USER",
    }
    plain = SPEECH_JOB.payload(
        {"text": "hi", "voice": None, "language": "en", "speed": 1.0, "format": "mp3"}
    )
    assert plain.text == "hi"
    assert plain.voice is None


def test_a_sound_payload_round_trips_through_its_json() -> None:
    spec = GenerationInput(prompt="rain", duration=2.5, format="wav", seed=3)
    assert GenerationInput.model_validate(spec.model_dump(mode="json")) == spec
