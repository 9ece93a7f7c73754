"""Photos from the field: checked by their content (Pillow decides, not the file name), turned
upright, stripped of EXIF/GPS metadata, shrunk and stored as JPEG under PRIVATE_FILES_ROOT, where
only the scoped photo view serves them (PDPA: pictures of people and homes)."""

from __future__ import annotations

import io
import uuid
import warnings
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.core.audit import log_action
from chumchon.visits.models import Photo, PhotoPurpose

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# A phone photo is at most ~50 MP; anything larger is refused before it is decoded.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 85


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": message})


def _read_upload(upload: Any) -> bytes:
    size = getattr(upload, "size", None)
    limit = int(settings.PHOTO_MAX_BYTES)
    if size is not None and size > limit:
        raise _refuse(_("The photo is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024)})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(_("The photo is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024)})
    if not data:
        raise _refuse(_("The photo file is empty."))
    return bytes(data)


def _open_image(data: bytes) -> Image.Image:
    """Decode ``data`` as JPEG, PNG or WebP, refusing anything else and decompression bombs."""
    not_image = _("This file is not a photo. Send a JPEG, PNG or WebP picture.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            if image.format not in ACCEPTED_FORMATS:
                raise _refuse(not_image)
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise _refuse(_("The photo has too many pixels."))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(_("The photo has too many pixels.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse(not_image) from exc
    return image


def _normalise(image: Image.Image) -> Image.Image:
    """Upright, RGB, no metadata, longest side at most PHOTO_MAX_SIDE."""
    try:
        upright = ImageOps.exif_transpose(image) or image
    except Exception:  # a broken EXIF block: keep the pixels as they are
        upright = image
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    max_side = int(settings.PHOTO_MAX_SIDE)
    if max(upright.size) > max_side:
        upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A fresh image carries no info (EXIF, GPS, ICC, comments) from the original.
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)
    return clean


def _check_links(*, area_code: str, visit: Any, assessment: Any, person: Any) -> None:
    """A photo attached to a visit, assessment or person must lie in the same area."""
    for obj in (visit, assessment, person):
        if obj is not None and str(obj.area_id) != str(area_code):
            raise _refuse(_("The photo belongs to another village than the record it is attached to."))


@transaction.atomic
def photo_add(
    *,
    actor: Any,
    upload: Any,
    area_code: str,
    purpose: str = PhotoPurpose.VISIT,
    visit: Any = None,
    assessment: Any = None,
    person: Any = None,
    item_code: str = "",
) -> Photo:
    """Store one uploaded photo for ``area_code``; ``ValidationError({"photo": ...})`` on bad
    input, and then nothing is written."""
    area_code = str(area_code or "")
    if purpose not in PhotoPurpose.values:
        raise _refuse(_("Unknown photo purpose."))
    capability = Capability.VERIFY_RECORDS if purpose == PhotoPurpose.EVIDENCE else Capability.RECORD_VISITS
    require_area(actor, capability, area_code or None)
    _check_links(area_code=area_code, visit=visit, assessment=assessment, person=person)
    if upload is None:
        raise _refuse(_("Choose a photo."))

    image = _open_image(_read_upload(upload))
    clean = _normalise(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    body = buffer.getvalue()

    root = Path(settings.PRIVATE_FILES_ROOT)
    relative = Path("photos") / f"{timezone.now():%Y}" / f"{uuid.uuid4().hex}.jpg"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    try:
        photo = Photo.objects.create(
            area_id=area_code, visit=visit, assessment=assessment, person=person, purpose=purpose,
            item_code=str(item_code or "")[:60], path=relative.as_posix(), content_type="image/jpeg",
            width=clean.width, height=clean.height, size_bytes=len(body), uploaded_by=actor,
        )
        log_action(actor=actor, verb="photo.add", obj=photo, data={
            "purpose": purpose, "visit": visit, "assessment": assessment, "person": person,
            "item_code": item_code, "original_format": image.format, "size_bytes": len(body),
        })
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return photo
