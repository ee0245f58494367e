"""Who speaks each of Piper's published single-speaker voices (``rhasspy/piper-voices``
v1.0.0), by dataset name, and the display name of a pulled voice.

Piper's voice list says nothing of gender, and a listener choosing a voice asks for one. The
table lists only the speakers whose gender their dataset states or whose name leaves no doubt;
multi-speaker datasets (arctic, libritts, vctk, mls...) and every speaker not listed are
``neutral``: SeeSay does not say what it does not know.
"""

from __future__ import annotations

from typing import Final

from seesay.engines import languages
from seesay.engines.base import Gender

__all__ = ["piper_speaker"]

_FEMALE: Final = frozenset(
    (
        *("alba", "amy", "anna", "berta", "eva_k", "gosia", "hfc_female", "huayan", "irina"),
        *("jenny_dioco", "kathleen", "kerstin", "lada", "lessac", "lili", "marylux", "natia"),
        *("nathalie", "ramona", "rapunzelina", "raya", "salka", "siwis"),
        *("southern_english_female", "ugla", "upc_ona"),
    )
)
_MALE: Final = frozenset(
    (
        *("alan", "amir", "artur", "bui", "carlfm", "danny", "davefx", "denis", "dmitri"),
        *("edresson", "fahrettin", "fettah", "gilles", "harri", "hfc_male", "imre", "jirka"),
        *("joe", "kareem", "karlsson", "kusal", "mihai", "northern_english_male", "pavoque"),
        *("riccardo", "ruslan", "ryan", "steinn", "thorsten", "thorsten_emotional", "tom"),
        *("upc_pau",),
    )
)


def piper_speaker(key: str) -> tuple[str, Gender]:
    """The display name and gender of the Piper voice ``key`` (``en_US-lessac-medium`` ->
    ("Lessac (English (United States), female, Piper)", "female"))."""
    locale, _, rest = key.partition("-")
    dataset = rest.rsplit("-", 1)[0] if "-" in rest else rest
    gender: Gender = "female" if dataset in _FEMALE else "male" if dataset in _MALE else "neutral"
    title = dataset.replace("_", " ").title()
    language = languages.display_name(locale.replace("_", "-"))
    said = f"{language}, {gender}" if gender != "neutral" else language
    return f"{title} ({said}, Piper)", gender
