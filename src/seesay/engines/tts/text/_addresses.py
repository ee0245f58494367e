"""Web and e-mail addresses said as a screen reader says them ("example dot com slash menu",
"name at example dot com", no "https://"), with the marks in the words of the languages in
``ADDRESS_MARKS``."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ADDRESS_MARKS", "say_addresses", "split_addresses"]

# Top-level domains that make "word.tld" a web address without a scheme or "www." (the ones
# that are also common file extensions or words, such as .md or .it, need either).
_TLDS: Final = frozenset(
    (
        *("com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "ai"),
        *("app", "dev", "tv", "us", "uk", "de", "fr", "es", "nl", "be", "ch", "se", "dk"),
        *("fi", "pl", "pt", "ru", "jp", "cn", "br", "au", "ca", "nz", "ie", "eu", "xyz"),
        *("online", "site", "shop", "store", "blog", "news", "tech", "cloud"),
    )
)
_HOST: Final = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
_EMAIL: Final = re.compile(rf"(?<![\w.+%-])([A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])@({_HOST})(?![\w@-])")
_URL: Final = re.compile(
    rf"(?<![\w@/.-])(?:(?:https?|ftp)://)?({_HOST})(:\d{{1,5}})?((?:/[^\s]*)?)(?![\w@-])",
    re.IGNORECASE,
)
_URL_TAIL: Final = re.compile(r"[.,;:!?)\]'\"”’]+$")

# How an address's marks are said, per language (screen readers' words): a language without
# an entry keeps its addresses as written, its digits untouched.
ADDRESS_MARKS: Final[dict[str, dict[str, str]]] = {
    "en": {
        ".": "dot",
        "/": "slash",
        "@": "at",
        ":": "colon",
        "-": "dash",
        "_": "underscore",
        "?": "question mark",
        "=": "equals",
        "&": "and",
        "#": "hash",
        "%": "percent",
        "+": "plus",
        "~": "tilde",
    },
    "de": {".": "Punkt", "/": "Schrägstrich", "@": "at", ":": "Doppelpunkt"},
    "fr": {".": "point", "/": "barre oblique", "@": "arobase", ":": "deux-points"},
    "es": {".": "punto", "/": "barra", "@": "arroba", ":": "dos puntos"},
    "it": {".": "punto", "/": "barra", "@": "chiocciola", ":": "due punti"},
    "pt": {".": "ponto", "/": "barra", "@": "arroba", ":": "dois pontos"},
    "nl": {".": "punt", "/": "schuine streep", "@": "apenstaartje", ":": "dubbele punt"},
}


def _say_marks(part: str, marks: dict[str, str]) -> str:
    """``part`` of an address with each mark said as a word ("menu-2.html" -> "menu dash 2
    dot html"); a mark without a word is kept."""
    pieces = re.split(r"([^\w\s])", part)
    said = [marks.get(p, p) for p in pieces if p]
    return " ".join(p.strip() for p in said if p.strip())


def _say_host(host: str, marks: dict[str, str]) -> str:
    labels = ["w w w" if label.lower() == "www" else label for label in host.split(".")]
    return f" {marks['.']} ".join(_say_marks(label, marks) for label in labels)


def _is_address(m: re.Match[str]) -> bool:
    """A web address, not "e.g." or "end.Next": a scheme, "www." or a known domain ending."""
    host = m[1].lower()
    return "://" in m[0] or host.startswith("www.") or host.rsplit(".", 1)[-1] in _TLDS


def say_addresses(text: str, marks: dict[str, str]) -> str:
    """Web and e-mail addresses in ``text`` said as a screen reader does: "example dot com
    slash menu", "name at example dot com"; the scheme (https://) and a last slash are left
    out, punctuation ending the sentence is kept."""

    def email(m: re.Match[str]) -> str:
        return f"{_say_marks(m[1], marks)} {marks['@']} {_say_host(m[2], marks)}"

    def url(m: re.Match[str]) -> str:
        if not _is_address(m):
            return m[0]
        path, tail = m[3], ""
        if trailing := _URL_TAIL.search(path):
            path, tail = path[: trailing.start()], trailing[0]
        said = _say_host(m[1], marks)
        if m[2]:
            said += f" {marks.get(':', ':')} {m[2][1:]}"
        path = path.rstrip("/")
        if path:
            said += " " + _say_marks(path, marks)
        return said + tail

    return _URL.sub(url, _EMAIL.sub(email, text))


def split_addresses(text: str) -> list[str]:
    """``text`` cut around its e-mail and web addresses: the odd items are the addresses."""
    spans = sorted(
        [m.span() for m in _EMAIL.finditer(text)]
        + [m.span() for m in _URL.finditer(text) if _is_address(m)]
    )
    parts: list[str] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue  # the host of an e-mail address, found again as a web address
        parts += [text[at:start], text[start:end]]
        at = end
    return [*parts, text[at:]]
