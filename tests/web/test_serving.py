"""How the playground is served: the page, its files, caching and security headers."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from seesay.api.web.assets import load_assets


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline_script = False
        self.styles = 0
        self.handlers: list[str] = []
        self.style_attrs = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.handlers += [k for k in a if k.startswith("on")]
        self.style_attrs += "style" in a
        if tag == "script":
            self.scripts.append(a)
            self._in_script = True
        if tag == "style":
            self.styles += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_script = True


def test_page_has_strict_csp_and_no_inline_code(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["form-action"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "require-trusted-types-for" in directives
    assert "unsafe" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-cache"

    tags = _Tags()
    tags.feed(r.text)
    assert tags.scripts
    assert all(s.get("src") for s in tags.scripts)
    assert not tags.inline_script
    assert tags.styles == 0
    assert tags.handlers == []
    assert tags.style_attrs == 0
    assert "{{static}}" not in r.text


def test_static_files_have_types_and_immutable_versioned_urls(client: TestClient) -> None:
    page = client.get("/").text
    css = re.search(r'href="(/static/[0-9a-f]{16}/css/app\.css)"', page)
    js = re.search(r'src="(/static/[0-9a-f]{16}/js/app\.js)"', page)
    icon = re.search(r'href="(/static/[0-9a-f]{16}/favicon\.svg)"', page)
    assert css
    assert js
    assert icon
    expected = {
        css[1]: "text/css; charset=utf-8",
        js[1]: "text/javascript; charset=utf-8",
        icon[1]: "image/svg+xml",
    }
    for url, content_type in expected.items():
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"] == content_type
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert r.headers["x-content-type-options"] == "nosniff"
        etag = r.headers["etag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
    # Modules import each other relatively, inside the same version.
    module = client.get(js[1].replace("app.js", "views/account.js"))
    assert module.status_code == 200
    assert "export async function show" in module.text


def test_text_files_are_gzipped_when_asked(client: TestClient) -> None:
    url = re.search(r'src="(/static/[^"]+/js/app\.js)"', client.get("/").text)
    assert url
    with client.stream("GET", url[1], headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["vary"] == "Accept-Encoding"
    assert b"boot()" in gzip.decompress(raw)


@pytest.mark.parametrize(
    "path",
    [
        "/static/0000000000000000/js/app.js",  # another release's version
        "/static/{v}/js/nope.js",
        "/static/{v}/../../settings.py",
        "/static/{v}/%2e%2e/%2e%2e/web/__init__.py",
        "/static/{v}/index.html",
    ],
)
def test_unknown_files_are_404(client: TestClient, path: str) -> None:
    version = load_assets().version
    r = client.get(path.replace("{v}", version))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_public_origin_is_allowed_for_audio(tmp_path: object) -> None:
    from seesay.api.web.routes import content_security_policy

    csp = content_security_policy("https://voice.example.com/base")
    assert "media-src 'self' blob: https://voice.example.com;" in csp
    assert "connect-src 'self' https://voice.example.com;" in csp
    assert "example" not in content_security_policy(None)
    assert "javascript" not in content_security_policy("javascript:alert(1)")


def test_every_packaged_file_is_served(client: TestClient) -> None:
    table = load_assets()
    assert {"index.html", "css/app.css", "js/app.js", "favicon.svg"} <= set(table.files)
    for path in table.files:
        if path == "index.html":
            continue
        r = client.get(f"/static/{table.version}/{path}")
        assert r.status_code == 200, path
