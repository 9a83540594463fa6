"""The referral letter (Thai A4 PDF, Sarabun embedded, Buddhist-Era date, letterhead from settings, reply QR code)
and the minimum the reply page shows about the household."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.utils import timezone, translation

from pocketbook.core.dates import format_date
from pocketbook.core.pdf import render_pdf
from pocketbook.geo.selectors import area_get

from .models import Referral


def _person(referral: Referral) -> Any:
    case = referral.case
    return case.member if case.member is not None else case.household.head


def reply_facts(referral: Referral) -> dict[str, Any]:
    """The minimum an agency sees on the reply page: a first name, the village and the need. Never an ID number."""
    person = _person(referral) if referral.case.household.has_consent else None
    area = area_get(referral.case.household.area_code)
    need = referral.need.text if referral.need is not None else ""
    return {
        "first_name": person.first_name if person is not None else "",
        "village": area.label if area is not None else referral.case.household.area_code,
        "need": need,
        "request": referral.request,
        "agency": referral.agency,
    }


def referral_letter_pdf(referral: Referral, *, reply_url: str) -> bytes:
    """Render the letter to PDF bytes, in Thai whatever the viewer's language."""
    with translation.override("th"):
        household = referral.case.household
        area = area_get(household.area_code)
        person = _person(referral) if household.has_consent else None
        context = {
            "referral": referral,
            "letterhead": settings.CASES_LETTERHEAD,
            "date": format_date(timezone.localdate(), language="th"),
            "answer_due": format_date(referral.answer_due_on, language="th"),
            "person": person,
            "household": household,
            "area_label": area.label if area is not None else household.area_code,
            "need": referral.need.text if referral.need is not None else "",
            "qr": segno.make(reply_url, error="m").svg_data_uri(scale=4, border=2),
            "reply_url": reply_url,
        }
        return render_pdf("cases/referral_letter.html", context)
