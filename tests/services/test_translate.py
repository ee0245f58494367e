"""Translation as a service over the offline engines: charged per started 1000 characters,
same-language requests free, unserved pairs refused before any charge."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from seesay.accounts.service import Principal
from seesay.errors import InvalidRequest, UnsupportedLanguage
from seesay.platform import Platform
from seesay.services.translate import billable_thousands
from seesay.settings import load_settings
from support.accounts import make_key

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    built = Platform.build(load_settings(data_dir=tmp_path_factory.mktemp("tr")))
    yield built
    built.close()


def who(platform: Platform) -> tuple[Principal, str]:
    key = make_key(platform, credits=10)
    return platform.accounts.authenticate(key.key), key.account_id


def test_billable_thousands() -> None:
    assert [billable_thousands(n) for n in (1, 999, 1000, 1001, 2500)] == [1, 1, 1, 2, 3]


def test_translates_english_to_portuguese_and_charges(platform: Platform) -> None:
    principal, account = who(platform)
    result = platform.translation.translate(
        principal, "The cat is on the table.", target="pt", source="en"
    )
    assert "gato" in result.text.lower()
    assert (result.source, result.target) == ("en", "pt-BR")
    assert result.engine != "none"
    assert result.credits_used == platform.prices.cost("translation")
    assert platform.ledger.balances(account).total == 10_000 - result.credits_used


def test_detects_the_source(platform: Platform) -> None:
    principal, _ = who(platform)
    result = platform.translation.translate(principal, "O gato está em cima da mesa.", target="en")
    assert result.source == "pt"
    assert "cat" in result.text.lower()


def test_same_language_is_a_free_no_op(platform: Platform) -> None:
    principal, account = who(platform)
    result = platform.translation.translate(principal, "Hello, world!", target="en-US", source="en")
    assert result.text == "Hello, world!"
    assert result.engine == "none"
    assert result.credits_used == 0
    assert result.credits_remaining == 10_000
    assert platform.ledger.balances(account).total == 10_000


@pytest.mark.parametrize(
    ("text", "kwargs", "error", "param"),
    [
        ("Hello", {"target": "ko", "source": "en"}, UnsupportedLanguage, "language"),
        ("Hello", {"target": "not a tag!", "source": "en"}, UnsupportedLanguage, "target"),
        ("Hello", {"target": "pt", "source": "zz-bad"}, UnsupportedLanguage, "source"),
        ("   ", {"target": "pt"}, InvalidRequest, "text"),
        ("x" * 50_001, {"target": "pt", "source": "en"}, InvalidRequest, "text"),
    ],
)
def test_refusals_cost_nothing(
    platform: Platform, text: str, kwargs: dict[str, str], error: type[Exception], param: str
) -> None:
    principal, account = who(platform)
    with pytest.raises(error) as err:
        platform.translation.translate(principal, text, **kwargs)
    assert getattr(err.value, "param", None) == param
    assert platform.ledger.balances(account).total == 10_000
    if isinstance(err.value, UnsupportedLanguage) and param == "language":
        assert "en>pt-BR" in err.value.details["supported"]
