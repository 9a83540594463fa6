"""Photos of the home: kept only with consent, checked by content, served only to those who may see the household."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.households import services
from pocketbook.households.models import HouseholdEvent, HouseholdPhoto
from pocketbook.households.tests.factories import HouseholdFactory


@pytest.fixture
def household(volunteer):
    return HouseholdFactory(area_code="92010101", house_no="7/1", volunteer=volunteer)


@pytest.fixture
def anonymous_household(volunteer):
    return HouseholdFactory(area_code="92010101", house_no="", has_consent=False, volunteer=volunteer)


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "house.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# ------------------------------------------------------------------ services


def test_a_png_is_kept_under_a_random_private_name_with_audit_and_timeline(household, volunteer):
    # when
    photo = services.household_photo_add(household=household, file=png_upload(), caption=" หน้าบ้าน ", actor=volunteer)
    # then
    photo.refresh_from_db()
    assert photo.caption == "หน้าบ้าน"
    assert photo.uploaded_by == volunteer
    name = photo.image.name
    assert name.startswith("private/households/photos/") and name.endswith(".png")
    assert "house.png" not in name
    assert len(Path(name).stem) == 32
    assert stored_files() == [Path(settings.MEDIA_ROOT) / name]
    with Image.open(Path(settings.MEDIA_ROOT) / name) as image:
        assert (image.format, image.size) == ("PNG", (4, 3))
    assert ObjectChange.objects.filter(action=Action.CREATE, object_id=str(photo.pk)).count() == 1
    event = household.events.get(kind="photo_added")
    assert event.params == {"photo_id": photo.pk}


def test_a_text_file_named_jpg_is_refused(household, volunteer):
    # given
    fake = SimpleUploadedFile("house.jpg", b"this is not a picture at all", content_type="image/jpeg")
    # when
    with pytest.raises(ValidationError) as error:
        services.household_photo_add(household=household, file=fake, caption="", actor=volunteer)
    # then
    assert error.value.message_dict == {"file": ["This file is not a photo. Choose a JPEG, PNG or WebP picture."]}
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []


def test_a_gif_is_refused_although_pillow_reads_it(household, volunteer):
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="GIF")
    with pytest.raises(ValidationError):
        services.household_photo_add(
            household=household, file=SimpleUploadedFile("a.png", out.getvalue()), caption="", actor=volunteer
        )
    assert HouseholdPhoto.objects.count() == 0


def test_a_photo_over_5_mb_is_refused(household, volunteer):
    # given: a real PNG padded past 5 MB
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    # when
    with pytest.raises(ValidationError) as error:
        services.household_photo_add(household=household, file=big, caption="", actor=volunteer)
    # then
    assert error.value.message_dict == {
        "file": ["The photo is larger than 5 MB. Take it again at a lower resolution."]
    }
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []


def test_without_consent_nothing_is_kept(anonymous_household, volunteer):
    # when
    with pytest.raises(ValidationError) as error:
        services.household_photo_add(household=anonymous_household, file=png_upload(), caption="", actor=volunteer)
    # then
    assert error.value.message_dict == {
        "file": ["This household has not given consent, so no photos can be kept. Record consent first."]
    }
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []
    assert not anonymous_household.events.filter(kind="photo_added").exists()


def test_another_province_may_not_add_a_photo(household, other_province_worker):
    with pytest.raises(PermissionDenied):
        services.household_photo_add(household=household, file=png_upload(), caption="", actor=other_province_worker)
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []


def test_removing_a_photo_deletes_row_and_file(household, volunteer, django_capture_on_commit_callbacks):
    # given
    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.household_photo_remove(photo=photo, actor=volunteer)
    # then
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []
    assert ObjectChange.objects.filter(action=Action.DELETE, object_id=str(photo.pk)).count() == 1
    assert household.events.filter(kind="photo_removed").count() == 1


def test_withdrawing_consent_deletes_the_photos_rows_and_files(
    household, volunteer, django_capture_on_commit_callbacks
):
    # given
    for _ in range(2):
        services.household_photo_add(household=household, file=png_upload(), caption="บ้าน", actor=volunteer)
    assert len(stored_files()) == 2
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(household=household, actor=volunteer, reason="ไม่ประสงค์")
    # then
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []
    assert ObjectChange.objects.filter(action=Action.DELETE, content_type__model="householdphoto").count() == 2


# ------------------------------------------------------------------ pages


def test_the_photo_view_streams_privately_and_logs_the_read(client, household, volunteer):
    # given
    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    client.force_login(volunteer)
    # when
    response = client.get(reverse("households:photo", args=[photo.pk]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    log = AccessLog.objects.get(object_id=str(photo.pk), content_type__model="householdphoto")
    assert (log.user, log.purpose, log.area_code) == (volunteer, "household photo", "92010101")


def test_the_photo_view_needs_a_login(client, household, volunteer):
    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    response = client.get(reverse("households:photo", args=[photo.pk]))
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_another_province_gets_404_and_cannot_upload_or_remove(client, household, volunteer, other_province_worker):
    # given
    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    client.force_login(other_province_worker)
    # when / then
    assert client.get(reverse("households:photo", args=[photo.pk])).status_code == 404
    upload = client.post(reverse("households:photo_add", args=[household.pk]), {"p-file": png_upload()})
    assert upload.status_code == 404
    assert client.post(reverse("households:photo_remove", args=[photo.pk])).status_code == 404
    assert list(HouseholdPhoto.objects.values_list("pk", flat=True)) == [photo.pk]
    assert len(stored_files()) == 1
    assert not AccessLog.objects.filter(content_type__model="householdphoto").exists()


def test_an_analyst_gets_404_on_a_photo(client, household, volunteer, analyst):
    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    client.force_login(analyst)
    assert client.get(reverse("households:photo", args=[photo.pk])).status_code == 404


def test_a_social_worker_of_the_area_uploads_from_the_household_page(client, household, social_worker):
    # given
    client.force_login(social_worker)
    # when
    response = client.post(
        reverse("households:photo_add", args=[household.pk]),
        {"p-file": png_upload(), "p-caption": "หลังคารั่ว", "p-taken_on": "1/6/2567"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("households:household_detail", args=[household.pk]) + "#photos"
    photo = HouseholdPhoto.objects.get()
    assert (photo.caption, photo.taken_on.isoformat(), photo.uploaded_by) == ("หลังคารั่ว", "2024-06-01", social_worker)
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert reverse("households:photo", args=[photo.pk]) in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert settings.MEDIA_URL not in page


def test_a_refused_upload_shows_the_message_beside_the_field(client, household, volunteer):
    client.force_login(volunteer)
    fake = SimpleUploadedFile("house.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(reverse("households:photo_add", args=[household.pk]), {"p-file": fake})
    assert response.status_code == 200
    assert "field--error" in response.content.decode()
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []


def test_a_volunteer_removes_a_photo_from_the_page(client, household, volunteer, django_capture_on_commit_callbacks):
    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    client.force_login(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("households:photo_remove", args=[photo.pk]))
    assert response.status_code == 302
    assert HouseholdPhoto.objects.count() == 0
    assert stored_files() == []


def test_removing_needs_post(client, household, volunteer):
    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    client.force_login(volunteer)
    assert client.get(reverse("households:photo_remove", args=[photo.pk])).status_code == 405
    assert HouseholdPhoto.objects.count() == 1


def test_the_anonymous_household_page_offers_no_upload(client, anonymous_household, volunteer):
    client.force_login(volunteer)
    page = client.get(reverse("households:household_detail", args=[anonymous_household.pk])).content.decode()
    assert 'data-testid="photo-form"' not in page


def test_photo_events_read_in_thai(household, volunteer):
    from django.utils import translation

    from pocketbook.households import timeline

    photo = services.household_photo_add(household=household, file=png_upload(), caption="", actor=volunteer)
    event = HouseholdEvent.objects.get(kind="photo_added", params__photo_id=photo.pk)
    with translation.override("th"):
        assert timeline.describe(event) == "เพิ่มรูปถ่ายบ้าน"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_volunteer_takes_a_photo_on_a_phone_and_removes_it(browser_page, volunteer, villages, tmp_path):
    import os

    from pocketbook.core.tests.browser import shot, sign_in

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # given
    household = HouseholdFactory(area_code="92010101", house_no="7/1", volunteer=volunteer)
    picture = tmp_path / "roof.png"
    picture.write_bytes(png_bytes(400, 300))
    page = browser_page
    sign_in(page, "vol")
    # when: upload
    page.goto(f"/households/{household.pk}/#photos")
    page.set_input_files("input[name=p-file]", str(picture))
    page.fill("input[name=p-caption]", "หลังคารั่ว")
    page.click("[data-testid=photo-upload]")
    page.wait_for_selector("[data-testid=photo] img")
    # then: the thumbnail loads through the private view, and nothing overflows a phone screen
    page.locator("[data-testid=photo] img").scroll_into_view_if_needed()
    loaded = "document.querySelector('[data-testid=photo] img').naturalWidth"
    for _ in range(50):  # wait_for_function would need eval, which the CSP forbids
        if page.evaluate(loaded):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(loaded) == 400
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "photos-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "photos-1280")
    # when: remove, after confirming
    page.click(".hh-photo__remove summary")
    page.click("[data-testid=photo-remove]")
    page.wait_for_selector("[data-testid=photos-section] .empty")
    assert HouseholdPhoto.objects.count() == 0


def test_a_jpeg_is_kept_without_its_exif_data(household, volunteer):
    # given: a phone JPEG carrying EXIF (a GPS block would be among it)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 120, 10)).save(out, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0001.JPG", out.getvalue(), content_type="image/jpeg")
    # when
    photo = services.household_photo_add(household=household, file=upload, caption="", actor=volunteer)
    # then
    assert photo.image.name.endswith(".jpg")
    with Image.open(Path(settings.MEDIA_ROOT) / photo.image.name) as image:
        assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (8, 6), {})
