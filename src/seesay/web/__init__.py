"""The web playground: plain HTML, JavaScript modules and CSS shipped as package data.

Nothing here is built: ``static/`` is served as it is by ``seesay.api.web``.
"""

from __future__ import annotations

__all__: list[str] = []
