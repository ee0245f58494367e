"""``GET /docs``: the API reference as one plain HTML page rendered here from the OpenAPI
document, with no script at all.

FastAPI's own ``/docs`` and ``/redoc`` load Swagger UI and ReDoc from a CDN on the
playground's origin, where a key sits in the browser session: a compromised or swapped CDN
file would run with access to it. This page loads nothing from anywhere (its CSP allows no
script, no style file, no frame), and plain headings and lists read well in a screen
reader. ``/openapi.json`` remains the machine-readable document for client generators.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from html import escape
from typing import Any

from fastapi import APIRouter, Response

__all__ = ["DOCS_CSP", "build_docs_router"]

_METHODS = ("get", "post", "put", "patch", "delete")
_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}"
    "code{background:#8881;padding:0 .2em}section{border-top:1px solid #8884;margin-top:1em}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
#: No script from anywhere; only the page's own inline style, by its hash.
DOCS_CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def build_docs_router(openapi: Callable[[], dict[str, Any]]) -> APIRouter:
    """A router serving the reference of ``openapi()`` (rendered on first request)."""
    router = APIRouter(include_in_schema=False)
    rendered: list[bytes] = []

    @router.get("/docs")
    def docs() -> Response:
        if not rendered:
            rendered.append(render_reference(openapi()).encode())
        return Response(
            rendered[0],
            media_type="text/html; charset=utf-8",
            headers={
                "Content-Security-Policy": DOCS_CSP,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY",
            },
        )

    return router


def render_reference(spec: dict[str, Any]) -> str:
    """The whole reference: every operation grouped by tag, with its parameters and the
    statuses it answers."""
    info = spec.get("info", {})
    by_tag: dict[str, list[str]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is not None:
                tag = (op.get("tags") or ["other"])[0]
                by_tag.setdefault(tag, []).append(_operation(method, path, op))
    title = escape(str(info.get("title", "API")))
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width,initial-scale=1">',
        f"<title>{title} API reference</title><style>{_STYLE}</style></head><body>",
        f"<h1>{title} {escape(str(info.get('version', '')))} API reference</h1>",
        f"<p>{escape(str(info.get('description', '')))}</p>",
        '<p>The machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p>',
        "<nav><ul>",
        *(f'<li><a href="#{_anchor(t)}">{escape(t)}</a></li>' for t in by_tag),
        "</ul></nav>",
    ]
    for tag, operations in by_tag.items():
        parts.append(f'<h2 id="{_anchor(tag)}">{escape(tag)}</h2>')
        parts.extend(operations)
    parts.append("</body></html>")
    return "\n".join(parts)


def _anchor(tag: str) -> str:
    return "tag-" + re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")


def _operation(method: str, path: str, op: dict[str, Any]) -> str:
    out = [f"<section><h3><code>{method.upper()} {escape(path)}</code></h3>"]
    if op.get("summary"):
        out.append(f"<p><strong>{escape(str(op['summary']))}</strong></p>")
    if op.get("description"):
        out.append(f"<p>{escape(str(op['description']))}</p>")
    params = op.get("parameters") or []
    if params:
        out.append("<p>Parameters:</p><ul>")
        for p in params:
            required = " (required)" if p.get("required") else ""
            about = f": {escape(str(p['description']))}" if p.get("description") else ""
            where = escape(str(p.get("in", "")))
            out.append(
                f"<li><code>{escape(str(p.get('name')))}</code> in {where}{required}{about}</li>"
            )
        out.append("</ul>")
    body = (op.get("requestBody") or {}).get("content") or {}
    if body:
        out.append(f"<p>Body: {escape(', '.join(body))}</p>")
    answers = op.get("responses") or {}
    if answers:
        listed = ", ".join(
            f"{escape(str(code))} {escape(str(r.get('description', '')))}"
            for code, r in answers.items()
        )
        out.append(f"<p>Answers: {listed}</p>")
    out.append("</section>")
    return "".join(out)
