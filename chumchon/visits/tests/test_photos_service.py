"""photo_add: only real JPEG/PNG/WebP pictures, size-limited, upright, metadata stripped, resized,
stored privately; photo_file: scoped."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from chumchon.core.models import AuditEntry
from chumchon.visits.models import Photo
from chumchon.visits.selectors.photos import photo_file
from chumchon.visits.services.photos import photo_add


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "private"
    settings.PRIVATE_FILES_ROOT = root
    settings.PHOTO_MAX_SIDE = 400
    return root


def image_bytes(fmt: str, size: tuple[int, int] = (120, 80), color: str = "red", **save: Any) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_stored_as_jpeg(volunteer: Any, village_a: Any, private_root: Path, fmt: str) -> None:
    photo = photo_add(actor=volunteer, upload=upload(image_bytes(fmt), name=f"x.{fmt.lower()}"),
                      area_code=village_a.code)
    stored = private_root / photo.path
    assert stored.is_file() and photo.path.startswith("photos/") and photo.path.endswith(".jpg")
    with Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (120, 80)
    assert photo.content_type == "image/jpeg" and photo.size_bytes == stored.stat().st_size
    assert AuditEntry.objects.filter(verb="photo.add", object_id=str(photo.pk), area_code=village_a.code).exists()


def test_text_file_named_jpg_is_refused_and_nothing_written(volunteer: Any, village_a: Any, private_root: Path) -> None:
    with pytest.raises(ValidationError) as info:
        photo_add(actor=volunteer, upload=upload(b"hello, not a picture " * 20), area_code=village_a.code)
    assert "photo" in info.value.message_dict
    assert not Photo.objects.exists()
    assert not any(private_root.rglob("*.jpg"))


def test_gif_is_refused_even_though_it_is_an_image(volunteer: Any, village_a: Any) -> None:
    with pytest.raises(ValidationError):
        photo_add(actor=volunteer, upload=upload(image_bytes("GIF"), name="x.gif"), area_code=village_a.code)


def test_photo_over_the_size_limit_is_refused(volunteer: Any, village_a: Any, settings: Any) -> None:
    settings.PHOTO_MAX_BYTES = 1000
    noise = Image.effect_noise((300, 300), 100).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    data = buffer.getvalue()
    assert len(data) > 1000
    with pytest.raises(ValidationError) as info:
        photo_add(actor=volunteer, upload=upload(data, name="big.png"), area_code=village_a.code)
    assert "photo" in info.value.message_dict
    assert not Photo.objects.exists()


def test_decompression_bomb_is_refused(volunteer: Any, village_a: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError):
        photo_add(actor=volunteer, upload=upload(image_bytes("PNG", size=(100, 100)), name="b.png"),
                  area_code=village_a.code)
    assert not Photo.objects.exists()


def test_exif_orientation_is_applied_and_metadata_stripped(volunteer: Any, village_a: Any, private_root: Path) -> None:
    # A landscape sensor image (200x100), left half red, tagged "rotate 90° clockwise to view".
    image = Image.new("RGB", (200, 100), "blue")
    image.paste(Image.new("RGB", (100, 100), "red"), (0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW
    exif[0x8825] = {1: "N", 2: (7.0, 30.0, 0.0)}  # a GPS block
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    photo = photo_add(actor=volunteer, upload=upload(buffer.getvalue()), area_code=village_a.code)
    with Image.open(private_root / photo.path) as stored:
        assert stored.size == (100, 200)  # upright: portrait
        assert (photo.width, photo.height) == (100, 200)
        assert not stored.getexif()
        assert "exif" not in stored.info
        top = stored.convert("RGB").getpixel((50, 20))
        assert isinstance(top, tuple) and top[0] > 200 and top[2] < 60  # red half is now on top


def test_large_photo_is_resized_to_the_longest_side(volunteer: Any, village_a: Any, private_root: Path) -> None:
    photo = photo_add(actor=volunteer, upload=upload(image_bytes("JPEG", size=(1200, 600))),
                      area_code=village_a.code)
    assert (photo.width, photo.height) == (400, 200)


def test_photos_are_stored_outside_media_and_static(volunteer: Any, village_a: Any, settings: Any) -> None:
    from django.conf import settings as live

    photo = photo_add(actor=volunteer, upload=upload(image_bytes("JPEG")), area_code=village_a.code)
    stored = (Path(live.PRIVATE_FILES_ROOT) / photo.path).resolve()
    for public in (Path(live.MEDIA_ROOT), Path(live.STATIC_ROOT), *map(Path, live.STATICFILES_DIRS)):
        assert not stored.is_relative_to(public.resolve())


def test_default_private_root_is_outside_media_and_static() -> None:
    # The real setting (not the test override): the folder is neither MEDIA_ROOT nor under STATIC.
    import chumchon.settings as project

    private = Path(project.PRIVATE_FILES_ROOT).resolve()
    for public in (Path(project.MEDIA_ROOT), Path(project.STATIC_ROOT), *map(Path, project.STATICFILES_DIRS)):
        assert not private.is_relative_to(public.resolve())


def test_outsider_cannot_add_photo_in_our_village(outsider: Any, village_a: Any) -> None:
    with pytest.raises(Http404):
        photo_add(actor=outsider, upload=upload(image_bytes("JPEG")), area_code=village_a.code)


def test_evidence_photo_needs_verify_records(volunteer: Any, coordinator: Any, village_a: Any) -> None:
    photo = photo_add(actor=volunteer, upload=upload(image_bytes("JPEG")), area_code=village_a.code,
                      purpose="evidence")
    assert photo.purpose == "evidence"
    with pytest.raises(Http404):
        photo_add(actor=coordinator, upload=upload(image_bytes("JPEG")), area_code=village_a.code,
                  purpose="evidence")


def test_photo_file_is_scoped(volunteer: Any, officer: Any, outsider: Any, village_a: Any, private_root: Path) -> None:
    photo = photo_add(actor=volunteer, upload=upload(image_bytes("JPEG")), area_code=village_a.code)
    found, path = photo_file(user=officer, photo_id=photo.pk)
    assert found == photo and path == (private_root / photo.path).resolve()
    with pytest.raises(Http404):
        photo_file(user=outsider, photo_id=photo.pk)
    with pytest.raises(Http404):
        photo_file(user=volunteer, photo_id="nope")
