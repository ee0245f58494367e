"""BCP-47 normalisation, matching, names and text language detection (real lingua models)."""

from __future__ import annotations

import threading

import pytest

from seesay.engines import languages
from seesay.errors import UnsupportedLanguage


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en_us", "en-US"),
        ("pt-br", "pt-BR"),
        ("zh-hans", "zh-Hans"),
        ("iw", "he"),
        ("eng", "en"),
        ("cmn", "zh"),
        (" ja ", "ja"),
    ],
)
def test_normalize_canonical_forms(raw: str, canonical: str) -> None:
    assert languages.normalize(raw) == canonical


@pytest.mark.parametrize("bad", ["", "   ", "english", "en--US", "xx", "12", "und", "a" * 100])
def test_normalize_refuses_invalid_tags(bad: str) -> None:
    with pytest.raises(UnsupportedLanguage) as info:
        languages.normalize(bad)
    assert info.value.param == "language"


def test_is_auto() -> None:
    assert languages.is_auto(None)
    assert languages.is_auto("AUTO")
    assert languages.is_auto("")
    assert not languages.is_auto("en")


@pytest.mark.parametrize(
    ("requested", "offered", "expected"),
    [
        ("en-US", "en", True),
        ("en", "en-US", True),
        ("pt", "pt-BR", True),
        ("pt-BR", "pt", True),
        ("pt-PT", "pt-BR", False),
        ("en", "pt", False),
        ("zh-CN", "zh-Hans", True),
        ("zh-TW", "zh-Hans", False),
        ("zh-Hant", "zh-CN", False),
        ("iw", "he", True),
    ],
)
def test_matches(requested: str, offered: str, expected: bool) -> None:
    assert languages.matches(requested, offered) is expected


def test_best_match_prefers_closest_then_earliest() -> None:
    assert languages.best_match("pt", ["pt-PT", "pt-BR", "pt"]) == "pt"
    assert languages.best_match("pt-BR", ["pt", "pt-BR"]) == "pt-BR"
    assert languages.best_match("en-GB", ["en-US", "en"]) == "en"
    assert languages.best_match("de", ["en", "pt"]) is None


def test_primary_and_display_name() -> None:
    assert languages.primary("pt-BR") == "pt"
    assert languages.display_name("pt-BR") == "Portuguese (Brazil)"
    assert languages.display_name("ja", in_language="ja") == "日本語"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The photo shows a cat sleeping on a red chair.", "en"),
        ("O gato está dormindo na cadeira vermelha perto da janela.", "pt"),
        ("Das Foto zeigt eine Katze, die auf einem roten Stuhl schläft.", "de"),
        ("写真には赤い椅子の上で寝ている猫が写っています。", "ja"),
    ],
)
def test_detect_real_models(text: str, expected: str) -> None:
    detector = languages.text_detector(["en", "pt", "de", "ja", "fr", "es"])
    assert detector.detect(text) == expected


def test_detect_without_letters_is_none() -> None:
    assert languages.detect("12345 !!!", ["en", "pt"]) is None


def test_text_detector_is_shared_and_built_once_under_concurrency() -> None:
    detector = languages.text_detector(["en", "pt"])
    assert languages.text_detector(["pt", "en"]) is detector
    results: list[str | None] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        results.append(detector.detect("Where is the nearest train station?"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["en"] * 4


def test_detector_needs_two_known_candidates() -> None:
    with pytest.raises(ValueError, match="two candidate"):
        languages.TextLanguageDetector(["en"]).detect("hello there")


# -- detect_confident: every lingua language a candidate, as the speech services use it -------


@pytest.mark.parametrize(
    "text",
    [
        "Open the door",  # Dutch at 0.22
        "Format test.",  # Romanian at 0.07
        "Bearer test.",  # Tagalog at 0.13
        "Hi.",  # Maori at 0.06
        "Hello from SeeSay.",  # Somali at 0.20
        "Café latte and croissant.",  # French at 0.48, with 21 letters
        "Happy birthday, Lorenzo!",  # Tagalog at 0.42, with 20 letters
        "Bruschetta, risotto and gelato for dessert.",  # Italian at 0.57
        "naïve résumé",  # French at 0.94, but 11 letters
        "Abre la puerta.",  # Spanish, but too short to be sure
        "12345 !!!",
        "",
    ],
)
def test_detect_confident_leaves_short_or_ambiguous_texts_undecided(text: str) -> None:
    assert languages.detect_confident(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("El rápido zorro marrón salta sobre el perro perezoso mientras se pone el sol.", "es"),
        ("Necesito ayuda con la contraseña de mi cuenta.", "es"),
        ("J'ai besoin d'aide avec le mot de passe de mon compte.", "fr"),
        ("Ich brauche Hilfe mit dem Passwort meines Kontos.", "de"),
        ("Mulțumesc pentru ajutor, ne vedem mâine.", "ro"),
        ("Please read this message to me slowly, because I cannot see the screen.", "en"),
        # A script only one language writes decides at any length.
        ("こんにちは", "ja"),
        ("문을 열어", "ko"),
        ("שלום", "he"),
        ("Άνοιξε την πόρτα.", "el"),
    ],
)
def test_detect_confident_recognises_clear_texts(text: str, expected: str) -> None:
    assert languages.detect_confident(text) == expected


def test_confidences_rank_the_candidates() -> None:
    ranked = languages.text_detector(["en", "es", "fr"]).confidences("Gracias por tu ayuda.")
    assert ranked[0][0] == "es"
    assert len(ranked) == 2
    assert 0 < ranked[1][1] < ranked[0][1] <= 1
    assert languages.text_detector(["en", "es"]).confidences("123") == []
