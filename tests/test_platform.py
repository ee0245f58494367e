"""The composition root's seams: parts a test builds replace what settings would build, and
stay the test's to close."""

from __future__ import annotations

from pathlib import Path

from api.img2voice.helpers import FakeVisionEngine, image_server, photo_jpeg
from seesay.engines.registry import EngineRegistry
from seesay.media.fetch import Fetcher
from seesay.platform import Overrides, Platform
from seesay.services.describe_contracts import DescribeRequest
from seesay.services.image_input import ImageInput
from seesay.settings import load_settings
from seesay.storage import open_blob_store
from support.accounts import make_key


def test_given_engines_store_and_fetcher_serve_and_outlive_the_platform(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", fetch={"allowed_hosts": ["127.0.0.1"]})
    vision = FakeVisionEngine()
    engines = EngineRegistry([vision])
    storage = open_blob_store(f"file://{tmp_path / 'blobs'}")
    fetcher = Fetcher.from_settings(settings.fetch)
    platform = Platform.build(
        settings, overrides=Overrides(engines=engines, storage=storage, fetcher=fetcher)
    )
    assert (platform.engines, platform.storage, platform.fetcher) == (engines, storage, fetcher)
    key = make_key(platform, credits=2)
    principal = platform.accounts.authenticate(key.key)
    out = platform.describer.describe(principal, DescribeRequest(ImageInput(data=photo_jpeg())))
    assert out.text == "A small test picture."
    assert vision.calls == 1
    platform.close()
    # Still loaded and still fetching: the platform closes only what it built.
    assert engines.loaded() == ["vision/fake-vision"]
    with image_server({"/a.txt": (b"still open", "text/plain")}) as server:
        assert fetcher.fetch(f"{server.base}/a.txt", accept="text/plain").content == b"still open"
    engines.close()
    fetcher.close()
