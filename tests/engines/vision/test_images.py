"""Safe image decoding: allow-list, magic bytes, caps checked before decoding, bombs, truncation."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tracemalloc
import zlib

import pytest
from PIL import Image

from seesay.errors import InvalidImage
from seesay.media.images import decode_image, sniff_format


def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny, structurally valid PNG header that claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF"])
def test_every_allowed_format_decodes_to_rgb(fmt: str) -> None:
    src = Image.new("RGB", (40, 30), (200, 30, 30))
    out = decode_image(_encode(src, fmt))
    assert out.mode == "RGB"
    assert out.size == (40, 30)
    r, g, b = out.getpixel((20, 15))  # type: ignore[misc]
    assert r > 150
    assert g < 90
    assert b < 90


def test_magic_bytes_win_over_declared_type() -> None:
    data = _encode(Image.new("RGB", (8, 8), "blue"), "PNG")
    assert sniff_format(data) == "PNG"
    assert decode_image(data, declared_mime="image/jpeg").size == (8, 8)


def test_non_image_declared_as_image_is_refused() -> None:
    with pytest.raises(InvalidImage, match="declared as image/png"):
        decode_image(b"<html>not an image</html>", declared_mime="image/png")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 hello",
        b"\x00\x00\x01\x00" + b"\x00" * 40,  # ICO is not on the allow-list
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
)
def test_formats_outside_the_allow_list_are_refused(data: bytes) -> None:
    with pytest.raises(InvalidImage, match="unsupported"):
        decode_image(data)


def test_empty_and_oversized_payloads_are_refused() -> None:
    with pytest.raises(InvalidImage, match="empty"):
        decode_image(b"")
    data = _encode(Image.new("RGB", (64, 64)), "PNG")
    with pytest.raises(InvalidImage, match="over the limit"):
        decode_image(data, max_bytes=len(data) - 1)


def test_pixel_cap_is_checked_from_the_header_without_allocating() -> None:
    data = _png_claiming(100_000, 100_000)
    assert len(data) < 80
    tracemalloc.start()
    try:
        with pytest.raises(InvalidImage, match="pixels"):
            decode_image(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # a decoded 10 gigapixel image would need 30 GB


def test_pixel_cap_is_configurable() -> None:
    data = _encode(Image.new("RGB", (100, 100)), "JPEG")
    with pytest.raises(InvalidImage, match="100x100"):
        decode_image(data, max_pixels=9_999)
    assert decode_image(data, max_pixels=10_000).size == (100, 100)


def test_decompression_bomb_is_refused_even_under_a_generous_pixel_cap() -> None:
    # Pillow's own bomb limit applies even when the operator raises max_pixels.
    data = _png_claiming(20_000, 20_000)
    with pytest.raises(InvalidImage, match="decode safely"):
        decode_image(data, max_pixels=10**12)


def test_truncated_files_are_refused() -> None:
    data = _encode(Image.effect_noise((256, 256), 64).convert("RGB"), "JPEG", quality=90)
    with pytest.raises(InvalidImage, match="truncated or corrupt"):
        decode_image(data[: len(data) // 2])
    png = _encode(Image.effect_noise((256, 256), 64).convert("RGB"), "PNG")
    with pytest.raises(InvalidImage):
        decode_image(png[: len(png) // 2])


def test_gif_first_frame_and_frame_cap() -> None:
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "lime", "blue")]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    out = decode_image(buf.getvalue())
    r, g, b = out.getpixel((8, 8))  # type: ignore[misc]
    assert r > 200
    assert g < 50
    assert b < 50
    with pytest.raises(InvalidImage, match="3 frames"):
        decode_image(buf.getvalue(), max_frames=2)


def test_exif_orientation_is_applied() -> None:
    src = Image.new("RGB", (60, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    out = decode_image(_encode(src, "JPEG", exif=exif.tobytes()))
    assert out.size == (20, 60)


def test_transparency_is_flattened_onto_white() -> None:
    src = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    out = decode_image(_encode(src, "PNG"))
    assert out.mode == "RGB"
    assert out.getpixel((5, 5)) == (255, 255, 255)


def test_sixteen_bit_greyscale_is_scaled_not_clipped() -> None:
    src = Image.new("I;16", (4, 1))
    src.putdata([0, 20_000, 40_000, 60_000])
    out = decode_image(_encode(src, "PNG"))
    values = [out.getpixel((x, 0))[0] for x in range(4)]  # type: ignore[index]
    assert values[0] == 0
    assert values[-1] == 255
    assert values == sorted(values)
    assert len(set(values)) == 4


def _animated_gif(frames: int = 5, side: int = 64) -> bytes:
    pictures = [Image.effect_noise((side, side), 40 + 10 * i).convert("RGB") for i in range(frames)]
    buf = io.BytesIO()
    pictures[0].save(buf, format="GIF", save_all=True, append_images=pictures[1:], duration=100)
    return buf.getvalue()


def test_a_truncated_animation_is_refused_wherever_it_is_cut() -> None:
    data = _animated_gif()
    # Cuts inside the later frames' headers make Pillow's frame walk (n_frames) fail; any
    # other exception than InvalidImage fails this test.
    refused = 0
    for cut in range(len(data) // 5, len(data) - 1, 7):
        try:
            decode_image(data[:cut])
        except InvalidImage:
            refused += 1
    assert refused > 0


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "LA", "P", "1", "I;16", "L"])
def test_large_images_are_decoded_at_a_bounded_size(mode: str) -> None:
    src = Image.new(mode, (5000, 3000), 1 if mode in ("1", "I;16", "P") else None)
    out = decode_image(_encode(src, "PNG"))
    assert out.mode == "RGB"
    assert max(out.size) == 2048
    assert out.size == (2048, round(3000 * 2048 / 5000))
    assert out.info["original_size"] == (5000, 3000)
    small = decode_image(_encode(src, "PNG"), max_side=500)
    assert small.size == (500, 300)


def test_shrinking_keeps_colours_orientation_and_transparency() -> None:
    src = Image.new("RGBA", (6000, 4000), (0, 0, 0, 0))
    src.paste((200, 30, 30, 255), (0, 0, 3000, 4000))  # left half opaque red
    out = decode_image(_encode(src, "PNG"))
    assert out.getpixel((100, 100)) == (200, 30, 30)
    assert out.getpixel((out.size[0] - 100, 100)) == (255, 255, 255)
    photo = Image.new("RGB", (6000, 2000), "white")
    photo.paste((0, 0, 255), (0, 0, 600, 2000))  # blue band on the left
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display": the band ends up at the top
    out = decode_image(_encode(photo, "JPEG", exif=exif.tobytes(), quality=95))
    assert out.size == (683, 2048)
    assert out.info["original_size"] == (2000, 6000)
    r, _, b = out.getpixel((340, 50))  # type: ignore[misc]
    assert b > 200 > r


_PEAK_SCRIPT = """
import sys
def peak_kb():  # VmHWM: this process's own peak (ru_maxrss keeps the parent's after fork)
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])
from seesay.media.images import decode_image
data = sys.stdin.buffer.read()
before = peak_kb()
out = decode_image(data)
after = peak_kb()
print((after - before) * 1024, max(out.size))
"""


def test_decoding_a_large_flat_png_costs_one_decoded_buffer_and_a_small_one() -> None:
    # ~24 MP of flat RGBA compresses to ~100 KB; its decoded buffer is 96 MB. Converting it at
    # full size used to cost several such copies (issue 12: +540 MB for a 116 KB PNG).
    src = Image.new("RGBA", (6000, 4000), (255, 255, 255, 0))
    src.paste((10, 120, 200, 255), (1000, 1000, 2000, 2000))
    data = _encode(src, "PNG", compress_level=9)
    del src
    assert len(data) < 200_000
    # Pillow allocates pixels outside Python's allocator: measure a fresh process's peak RSS.
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_SCRIPT], input=data, capture_output=True, check=True
    )
    grown, side = (int(v) for v in done.stdout.split())
    decoded_buffer = 6000 * 4000 * 4
    working_image = (2 * 2048) ** 2 * 4  # the shrink step's output, at most
    assert grown < decoded_buffer + working_image, grown  # it was over 5x the buffer
    assert side == 2048


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"Dear Sam,\nthe meeting is at noon.\n", "it is plain text, not an image"),
        (b'{"image": "cat.jpg"}', "it is JSON text, not an image"),
        (b"%PDF-1.7\n1 0 obj", "it is a PDF document, not an image"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "it is WAV audio, not an image"),
        (
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
            "unsupported image format: the file is a HEIC/HEIF image",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            "unsupported image format: the file is an SVG drawing",
        ),
        (bytes(range(256)), "unsupported or unrecognised image format"),
    ],
)
def test_what_is_not_a_supported_image_is_named(data: bytes, said: str) -> None:
    with pytest.raises(InvalidImage, match=said) as refused:
        decode_image(data, declared_mime="image/jpeg")
    assert "declared as image/jpeg" in str(refused.value)
