"""A pulled Piper voice says who speaks it where that is known, and nothing where it is not."""

from __future__ import annotations

import pytest

from seesay.engines.tts import piper_speakers
from seesay.engines.tts.piper_speakers import piper_speaker
from seesay.models.catalogue import load_catalogue


@pytest.mark.parametrize(
    ("key", "name", "gender"),
    [
        ("en_US-lessac-medium", "Lessac (English (United States), female, Piper)", "female"),
        ("de_DE-thorsten-high", "Thorsten (German (Germany), male, Piper)", "male"),
        ("en_US-libritts_r-medium", "Libritts R (English (United States), Piper)", "neutral"),
    ],
)
def test_gender_where_the_dataset_says_it(key: str, name: str, gender: str) -> None:
    assert piper_speaker(key) == (name, gender)


def test_every_speaker_in_the_table_is_a_voice_of_the_catalogue() -> None:
    # A misspelt dataset name would silently leave its voice without a gender.
    datasets = {
        entry.id.split(":", 1)[1].split("-")[1]
        for entry in load_catalogue()
        if entry.id.startswith("piper:")
    }
    listed = piper_speakers._FEMALE | piper_speakers._MALE
    assert listed <= datasets, sorted(listed - datasets)
    assert not piper_speakers._FEMALE & piper_speakers._MALE
