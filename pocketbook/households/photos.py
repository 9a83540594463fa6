"""Every write to household photos: add, remove, and erase them all when consent is withdrawn.

A photo of a home is personal data: it is kept only while the household has consent, stored under a random
name in a private folder of MEDIA_ROOT (never linked from MEDIA_URL) and re-encoded, which drops EXIF data
such as the GPS position the phone wrote into it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.households import events
from pocketbook.households.models import Household, HouseholdPhoto

logger = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 2560  # pixels; larger photos are scaled down (a phone photo of a house needs no more)
MAX_PHOTO_PIXELS = 60_000_000  # refuse decompression bombs before decoding them
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _read_image(file: IO[bytes], *, size: int | None) -> tuple[bytes, str]:
    """Check the upload is a JPEG, PNG or WebP of at most 5 MB, and return it re-encoded, with its extension."""
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError({"file": _("The photo is larger than 5 MB. Take it again at a lower resolution.")})
    data = file.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({"file": _("The photo is larger than 5 MB. Take it again at a lower resolution.")})
    not_a_photo = ValidationError({"file": _("This file is not a photo. Choose a JPEG, PNG or WebP picture.")})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in FORMATS or probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise not_a_photo
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            picture = ImageOps.exif_transpose(image) or image
            picture.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            if kind == "JPEG" and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            options: dict[str, Any] = {"quality": 85} if kind in ("JPEG", "WEBP") else {"optimize": True}
            picture.save(out, format=kind, **options)
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds (UnidentifiedImageError, OSError, SyntaxError...)
        logger.info("household photo refused: not a readable image (%s: %s)", type(error).__name__, error)
        raise not_a_photo from None
    return out.getvalue(), FORMATS[kind]


def _require_change(*, household: Household, actor: User | None) -> None:
    if actor is None:
        return
    if not Household.objects.for_user(actor, "change").filter(pk=household.pk).exists():
        raise PermissionDenied


def _delete_file_after_commit(name: str, storage: Any) -> None:
    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("household photo file %s could not be deleted", name)

    transaction.on_commit(delete)


@transaction.atomic
def household_photo_add(
    *, household: Household, file: IO[bytes], caption: str = "", actor: User | None, taken_on: dt.date | None = None
) -> HouseholdPhoto:
    """Keep a photo of the household's home; only with consent, only a JPEG, PNG or WebP of at most 5 MB."""
    _require_change(household=household, actor=actor)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not household.has_consent:
        raise ValidationError(
            {"file": _("This household has not given consent, so no photos can be kept. Record consent first.")}
        )
    content, extension = _read_image(file, size=getattr(file, "size", None))
    photo = HouseholdPhoto(
        household=household,
        caption=caption.strip()[:200],
        taken_on=taken_on,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    photo.image.save(f"photo.{extension}", ContentFile(content), save=False)
    try:
        photo.full_clean()
        photo.save()
        record_change(obj=photo, action=Action.CREATE, actor=actor)
        events.photo_added(household=household, actor=actor, photo_id=photo.pk)
    except BaseException:
        photo.image.storage.delete(photo.image.name or "")
        raise
    return photo


@transaction.atomic
def household_photo_remove(*, photo: HouseholdPhoto, actor: User | None) -> None:
    """Delete a photo and its file."""
    household = photo.household
    _require_change(household=household, actor=actor)
    _photo_delete(photo=photo, actor=actor)
    events.photo_removed(household=household, actor=actor, photo_id=photo.pk)


def _photo_delete(*, photo: HouseholdPhoto, actor: User | None) -> None:
    before = snapshot(photo)
    record_change(obj=photo, action=Action.DELETE, actor=actor, before=before)
    name, storage = photo.image.name, photo.image.storage
    pk = photo.pk
    photo.delete()
    photo.pk = pk
    if name:
        _delete_file_after_commit(name, storage)


def household_photos_erase(*, household: Household, actor: User | None) -> int:
    """Delete every photo of the household, rows and files (consent withdrawn); return how many."""
    photos = list(HouseholdPhoto.objects.filter(household=household))
    for photo in photos:
        _photo_delete(photo=photo, actor=actor)
    return len(photos)
