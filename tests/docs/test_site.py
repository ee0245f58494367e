"""The documentation site: it builds strictly, its configuration reference is what the
settings model says, and no link in it or in the README leaves the repository."""

from __future__ import annotations

import functools
import html.parser
import importlib.util
import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest
from pydantic import Field

from seesay.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SOURCES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
# Hosts that examples may name: loopback and the names reserved for examples (RFC 2606).
EXAMPLE_HOSTS = re.compile(
    r"^(localhost|.*\.localhost|example\.(com|org|net)|.*\.example(\.com)?)$"
)
URL = re.compile(r"https?://[^\s)\]>`'\"|]+")
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']""")
# SEESAY_* names read outside the Settings model, by the CLI and the scripts.
NAME = re.compile(r"SEESAY_[A-Z0-9_]*[A-Z0-9]")


@functools.cache
def load_generator() -> ModuleType:
    """scripts/generate_config_reference.py, the generator `make docs` runs."""
    path = ROOT / "scripts" / "generate_config_reference.py"
    spec = importlib.util.spec_from_file_location("generate_config_reference", path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def settings_defaults() -> set[str]:
    """Upstream URLs that are default values of settings (the reference shows them as values,
    not links); a URL in a description is not one of them."""
    generator = load_generator()
    values = " ".join(f"{r.default} {r.long_default or ''}" for r in generator.rows(Settings))
    return set(URL.findall(values))


def is_allowed_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return bool(EXAMPLE_HOSTS.match(host))


# -- the configuration reference -----------------------------------------------------------------


def test_the_configuration_reference_is_current() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert page == load_generator().render(), (
        "docs/configuration.md is stale: run scripts/generate_config_reference.py"
    )


def test_the_reference_lists_every_variable_with_type_default_and_description() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `SEESAY_")]
    names = [row.split("`")[1] for row in rows]
    assert len(names) == len(set(names)) > 200
    for name in ("SEESAY_DATA_DIR", "SEESAY_JOBS__MAX_ATTEMPTS", "SEESAY_SMTP__HOST"):
        assert name in names
    assert "| `SEESAY_PORT` | integer | `8000` | Port `seesay serve` listens on. |" in rows
    # A variable the reference names is one the settings really read.
    env = {"SEESAY_JOBS__MAX_ATTEMPTS": "7", "SEESAY_ENGINES__STT__WHISPER__BEAM_SIZE": "5"}
    for name in env:
        assert name in names
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        settings = Settings()
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    assert settings.jobs.max_attempts == 7
    assert settings.engines.stt.whisper.beam_size == 5


def test_every_variable_has_a_description() -> None:
    """A new setting documents itself in its Field(description=...) or fails here."""
    undescribed = [r.name for r in load_generator().rows(Settings) if not r.description]
    assert not undescribed, undescribed


def test_control_a_new_setting_makes_the_committed_reference_stale() -> None:
    class WithAnotherSetting(Settings):
        another_knob: int = Field(3, description="Something new.")

    generator = load_generator()
    rendered = generator.render(WithAnotherSetting)
    assert "| `SEESAY_ANOTHER_KNOB` | integer | `3` | Something new. |" in rendered
    assert rendered != (DOCS / "configuration.md").read_text(encoding="utf-8")

    class WithAnUndescribedSetting(Settings):
        bare_knob: int = 3

    bare = [r.name for r in generator.rows(WithAnUndescribedSetting) if not r.description]
    assert bare == ["SEESAY_BARE_KNOB"]


def test_every_seesay_variable_the_docs_name_exists() -> None:
    page = (DOCS / "configuration.md").read_text(encoding="utf-8")
    settings = {row.split("`")[1] for row in page.splitlines() if row.startswith("| `SEESAY_")}
    elsewhere = (
        "\n".join(
            p.read_text(encoding="utf-8", errors="replace")
            for folder in ("src", "scripts", "clients/python/src")
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and p.suffix in (".py", ".sh", "")
        )
        + (ROOT / "Makefile").read_text()
    )
    unknown = set()
    for source in SOURCES:
        for name in NAME.findall(source.read_text(encoding="utf-8")):
            prefix = name.rstrip("_") + "__"  # SEESAY_ENGINES__VISION__* names a section
            known = (
                name in settings
                or any(s.startswith(prefix) for s in settings)
                or name.rstrip("_") in settings  # SEESAY_PRICES__<FEATURE>
                or name in elsewhere
            )
            if not known:
                unknown.add(f"{source.relative_to(ROOT)}: {name}")
    assert not unknown, sorted(unknown)


# -- links -------------------------------------------------------------------------------------


def test_no_url_in_the_readme_or_the_docs_points_outside_the_repository() -> None:
    defaults = settings_defaults()
    outside = [
        f"{source.relative_to(ROOT)}: {url}"
        for source in SOURCES
        for url in URL.findall(source.read_text(encoding="utf-8"))
        if not is_allowed_url(url) and not (source.name == "configuration.md" and url in defaults)
    ]
    assert not outside, outside


def broken_links(sources: list[Path]) -> list[str]:
    """Relative Markdown and HTML links of ``sources`` whose file does not exist."""
    broken = []
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for target in MARKDOWN_LINK.findall(text) + HTML_LINK.findall(text):
            if URL.match(target):
                continue  # the URL rule covers it
            path = target.split("#", 1)[0]
            if path and not (source.parent / path).resolve().exists():
                broken.append(f"{source.name}: {target}")
    return broken


def test_relative_links_resolve_to_files_of_the_repository() -> None:
    assert not broken_links(SOURCES)


def test_control_a_link_to_a_missing_file_is_found(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("# There\n")
    page = tmp_path / "README.md"
    page.write_text('[ok](there.md#top) [gone](docs/gone.md) <img src="shot.png">\n')
    assert broken_links([page]) == ["README.md: docs/gone.md", "README.md: shot.png"]


def test_control_only_default_values_are_exempt() -> None:
    defaults = settings_defaults()
    assert "https://api.openai.com/v1" in defaults
    assert "https://api.elevenlabs.io/v1" in defaults
    assert not any("github" in url for url in defaults)


def test_control_the_url_rule() -> None:
    assert is_allowed_url("http://127.0.0.1:8000/v1")
    assert is_allowed_url("https://seesay.example.com/files/x")
    assert is_allowed_url("https://example.com/hook")
    assert not is_allowed_url("https://github.com/seesay/seesay")
    assert not is_allowed_url("https://example.com.evil.org/")
    assert not is_allowed_url("http://10.0.0.1/")


# -- the site ----------------------------------------------------------------------------------


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return out


def test_the_site_builds_strictly_with_every_page(site: Path) -> None:
    pages = {p.relative_to(DOCS).with_suffix(".html").as_posix() for p in DOCS.rglob("*.md")}
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    assert pages <= built, pages - built


def test_the_built_site_loads_nothing_from_outside(site: Path) -> None:
    """No web fonts, scripts, styles or links from another origin (mkdocs-material would
    load Google Fonts and link itself unless told not to)."""
    outside = []
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        outside += [
            f"{page.relative_to(site)}: {t}"
            for t in parser.targets
            if (t.startswith(("http:", "https:", "//")) and not is_allowed_url(t))
        ]
    assert not outside, outside[:20]
