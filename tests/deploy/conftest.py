"""The image, built once per session as ``make image`` builds it (layers cached by the engine)."""

from __future__ import annotations

import pytest

from support import containers as ct


@pytest.fixture(scope="session")
def image() -> str:
    seconds = ct.build_image()
    print(f"\nimage build: {seconds:.1f} s")
    return ct.IMAGE
