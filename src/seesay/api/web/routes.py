"""``GET /`` (the playground page) and ``GET /static/<version>/<path>`` (its files).

Security headers on every answer: a strict Content-Security-Policy (scripts and styles only
from this origin, no inline code, Trusted Types enforced so no string ever becomes HTML,
forms cannot submit anywhere, the page cannot be framed), ``nosniff``, no referrer.

Caching: the page itself is ``no-cache`` (revalidated by ETag on every visit, so a new
release shows at once); files under the versioned prefix are immutable for a year. A request
for another version (a page cached from an older release) is 404, never a mismatched file.
"""

from __future__ import annotations

import hashlib
from typing import Final
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response

from seesay.api.deps import Services
from seesay.api.web.assets import Asset, AssetTable
from seesay.errors import NotFound

__all__ = ["build_router", "content_security_policy"]

_IMMUTABLE: Final = "public, max-age=31536000, immutable"
_REVALIDATE: Final = "no-cache"


def content_security_policy(public_base_url: str | None) -> str:
    """The page's CSP. A configured public origin (where signed audio URLs point) is allowed
    as a media and fetch source; nothing else outside this origin is."""
    extra = ""
    if public_base_url:
        parts = urlsplit(public_base_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            extra = f" {parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            f"media-src 'self' blob:{extra}",
            f"connect-src 'self'{extra}",
            "font-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "require-trusted-types-for 'script'",
            "trusted-types 'none'",
        ]
    )


def _security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), geolocation=(), microphone=(self)",
    }


def _etag_matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match", "")
    return any(t.strip() in (etag, "*") for t in header.split(",")) if header else False


def _send(request: Request, asset: Asset, cache: str, csp: str) -> Response:
    headers = {**_security_headers(csp), "Cache-Control": cache, "ETag": asset.etag}
    headers["Vary"] = "Accept-Encoding"
    if _etag_matches(request, asset.etag):
        return Response(status_code=304, headers=headers)
    body = asset.body
    if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=asset.content_type)
    return Response(body, headers=headers, media_type=asset.content_type)


def build_router(table: AssetTable) -> APIRouter:
    """Routes over one loaded asset table (the page is rendered once, here)."""
    router = APIRouter(include_in_schema=False)
    static_base = f"/static/{table.version}"
    page_body = table.index_template.replace("{{static}}", static_base).encode()
    page_etag = f'"{hashlib.sha256(page_body).hexdigest()[:32]}"'
    page = Asset(page_body, None, "text/html; charset=utf-8", page_etag)

    def csp_for(services: Services) -> str:
        return content_security_policy(services.settings.public_base_url)

    @router.api_route("/", methods=["GET", "HEAD"])
    def index(request: Request, services: Services) -> Response:
        return _send(request, page, _REVALIDATE, csp_for(services))

    @router.api_route("/static/{version}/{path:path}", methods=["GET", "HEAD"])
    def static(version: str, path: str, request: Request, services: Services) -> Response:
        asset = table.get(path) if version == table.version else None
        if asset is None or path == "index.html":
            raise NotFound("No such file in the playground.")
        return _send(request, asset, _IMMUTABLE, csp_for(services))

    return router
