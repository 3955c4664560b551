"""portal.core.uploads.probe_image: the one place every app's image uploads are read by Pillow."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.core.uploads import ImageProblem, probe_image


def image_bytes(fmt: str, size=(30, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims these dimensions (a decompression bomb needs no more than that)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_real_image_gives_its_format_and_is_rewound(fmt):
    upload = SimpleUploadedFile("whatever.txt", image_bytes(fmt))
    upload.read(3)
    assert probe_image(upload) == fmt
    assert upload.tell() == 0


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, world", b"%PDF-1.4 not an image", image_bytes("PNG")[:40], b"\xff\xd8\xff" + b"\x00" * 50],
    ids=["empty", "text", "pdf", "cut-png", "jpeg-magic-only"],
)
def test_anything_pillow_cannot_read_is_unreadable(content):
    upload = SimpleUploadedFile("photo.jpg", content)
    with pytest.raises(ImageProblem) as problem:
        probe_image(upload)
    assert problem.value.code == "unreadable"
    assert upload.tell() == 0


@pytest.mark.parametrize("pixels", [(8000, 6000), (20000, 20000), (65000, 65000)], ids=["48MP", "bomb-warning", "bomb"])
def test_too_many_pixels(pixels):
    with pytest.raises(ImageProblem) as problem:
        probe_image(SimpleUploadedFile("big.png", png_claiming(*pixels)))
    assert problem.value.code == "pixels"


def test_the_limit_is_the_callers():
    upload = SimpleUploadedFile("a.png", image_bytes("PNG", (100, 100)))
    assert probe_image(upload, max_pixels=10_000) == "PNG"
    with pytest.raises(ImageProblem):
        probe_image(upload, max_pixels=9_999)
