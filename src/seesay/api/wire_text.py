"""The one check on free text that arrives over the wire (text to speak, translate or keep,
prompts, titles), shared by every surface's request schemas.

JSON can carry what UTF-8 cannot: ``"\\ud800"`` decodes to a lone surrogate, which then fails
deep inside (encoding for the database, a synthesizer or the response) as a 500. A NUL is
valid JSON too, but C libraries (eSpeak, SQLite/PostgreSQL text) cut or refuse it. Both are
refused here, before any work, so each surface answers its documented validation error.

Use :data:`WireText` as a field's type in a pydantic schema, or call :func:`wire_text_problem`
on text read by hand (form fields, file parts).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, TypeVar

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

__all__ = ["WireJson", "WireText", "check_wire_json", "check_wire_text", "wire_text_problem"]

_SURROGATES: Final = range(0xD800, 0xE000)
T = TypeVar("T")


def wire_text_problem(value: str) -> str | None:
    """Why ``value`` cannot be accepted as text, or None when it can."""
    if "\x00" in value:
        return "must not contain NUL characters"
    # Fast path: a string that encodes holds no surrogate.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        first = next(i for i, ch in enumerate(value) if ord(ch) in _SURROGATES)
        return (
            f"must be valid Unicode text: a lone surrogate (U+{ord(value[first]):04X}) is "
            f"at position {first}"
        )
    return None


def check_wire_text(value: str) -> str:
    """``value`` unchanged, or a pydantic validation error naming what is wrong with it (which
    each surface renders as its documented validation error)."""
    problem = wire_text_problem(value)
    if problem is not None:
        raise PydanticCustomError("invalid_text", "{problem}", {"problem": problem})
    return value


def check_wire_json(value: T) -> T:
    """``value`` (JSON-shaped: dicts, lists, scalars) unchanged when every string in it, keys
    included, passes :func:`check_wire_text`; for free-form bodies such as chat messages."""
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            check_wire_text(node)
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return value


WireText = Annotated[str, AfterValidator(check_wire_text)]
"""A ``str`` field that refuses lone surrogates and NUL characters."""

WireJson = AfterValidator(check_wire_json)
"""Metadata for a free-form JSON field: ``Annotated[list[dict[str, Any]], WireJson]``."""
