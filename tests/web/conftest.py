"""Browser tests of the web playground: Playwright's Python package driving Debian's chromium
(``/usr/bin/chromium``, installed by ``scripts/ensure-system-packages.sh``; no browser is
downloaded) against a real server on 127.0.0.1 with the real bundled engines.

Screenshots of every page go to ``tests/_artifacts/web/`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from seesay.api import create_app
from seesay.platform import Platform
from seesay.settings import load_settings
from support.accounts import TestKey, make_key
from support.live import serve_app

CHROMIUM = Path(os.environ.get("SEESAY_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts" / "web"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Live:
    base: str
    platform: Platform
    key: TestKey


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One server for every browser test (engines load once)."""
    settings = load_settings(data_dir=tmp_path_factory.mktemp("web-data"))
    platform = Platform.build(settings)
    app = create_app(settings, platform=platform)
    key = make_key(platform, plan="paid", credits=500)
    with serve_app(app) as base:
        yield Live(base, platform, key)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module-scoped on purpose: Playwright's sync API keeps an asyncio loop running on the
    main thread while it lives, which breaks asyncio tests that run after it in the same
    session; stopping it after each browser module keeps test order irrelevant."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is not installed and could not be installed (run "
            "scripts/ensure-system-packages.sh as root: apt-get install chromium)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen by a page."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("pageerror", lambda e: self.items.append(f"pageerror: {e}"))
        page.on(
            "console",
            lambda m: (
                self.items.append(f"console.{m.type}: {m.text}") if m.type == "error" else None
            ),
        )

    def expect_none(self, allowed: tuple[str, ...] = ()) -> None:
        unexpected = [i for i in self.items if not any(a in i for a in allowed)]
        assert not unexpected, "\n".join(unexpected)


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


def new_page(browser: Any, problems: PageProblems, **context: Any) -> Any:
    ctx = browser.new_context(
        viewport=context.pop("viewport", DESKTOP),
        color_scheme=context.pop("color_scheme", "light"),
        **context,
    )
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    problems.attach(page)
    return page


@pytest.fixture
def page(browser: Any, problems: PageProblems) -> Iterator[Any]:
    p = new_page(browser, problems)
    yield p
    p.context.close()


def shoot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot under tests/_artifacts/web/ (and, when SEESAY_SCREENSHOTS names a
    folder, a copy there: how docs/screenshots/ is refreshed)."""
    page.evaluate(
        "() => { document.getElementById('toast').classList.remove('show');"
        " window.scrollTo({top: 0, behavior: 'instant'}); }"
    )
    page.wait_for_timeout(100)  # one frame for the sticky header to settle
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    target = os.environ.get("SEESAY_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)
    return path


def sign_in(page: Any, base: str, key: str, view: str = "describe") -> None:
    """Sign in on the page and open ``view`` (waits until it is wired and filled)."""
    page.goto(base + "/")
    page.get_by_label("API key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#nav").wait_for(state="visible")
    open_view(page, view)


def open_view(page: Any, view: str) -> None:
    page.locator(f"#nav a[href='#/{view}']").click()
    page.locator(f"#view-{view}[data-ready]").wait_for(state="visible")


@pytest.fixture
def make_page(browser: Any, problems: PageProblems) -> Iterator[Any]:
    """A factory of pages in fresh contexts (a phone, dark mode...), closed after the test."""
    made: list[Any] = []

    def factory(**context: Any) -> Any:
        p = new_page(browser, problems, **context)
        made.append(p)
        return p

    yield factory
    for p in made:
        p.context.close()


@pytest.fixture(name="shoot")
def shoot_fixture() -> Any:
    return shoot


@pytest.fixture(name="sign_in")
def sign_in_fixture() -> Any:
    return sign_in


@pytest.fixture(name="open_view")
def open_view_fixture() -> Any:
    return open_view
