"""The agency directory: saved with its services, areas and contacts, and its search text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.cases.choices import (
    AgencyKind,
    AgencyService,
    ContactKind,
)
from pocketbook.cases.models import (
    Agency,
    AgencyArea,
    AgencyContact,
    AgencyServiceOffered,
)
from pocketbook.cases.rules import search_key
from pocketbook.cases.services.guards import (
    _require,
    _text,
)


@dataclass(frozen=True)
class AgencyInput:
    name: str
    kind: str
    name_en: str = ""
    address: str = ""
    note: str = ""
    key: str = ""
    services: tuple[str, ...] = ()
    area_codes: tuple[str, ...] = ()
    contacts: tuple[tuple[str, str, str], ...] = ()  # (kind, value, person)
    is_active: bool | None = None  # None: as it is (a new agency is active)


def _agency_search_text(agency: Agency, services: Sequence[str]) -> str:
    labels = dict(AgencyService.choices)
    parts = [agency.name, agency.name_en, agency.get_kind_display(), agency.address, agency.note]
    parts += [str(labels.get(code, code)) for code in services]
    return "|".join(search_key(part) for part in parts if part)


@transaction.atomic
def agency_save(*, data: AgencyInput, actor: User, agency: Agency | None = None) -> Agency:
    """Create or replace an agency with its services, areas and contacts (admin, CSV load)."""
    _require(actor, "cases.change_agency" if agency else "cases.add_agency")
    if data.kind not in AgencyKind.values:
        raise ValidationError({"kind": _("Choose the kind of agency.")})
    for code in data.services:
        if code not in AgencyService.values:
            raise ValidationError({"services": _("Unknown service: %(code)s") % {"code": code}})
    for kind, _value, _person in data.contacts:
        if kind not in ContactKind.values:
            raise ValidationError({"contacts": _("Unknown contact kind: %(kind)s") % {"kind": kind}})
    before = snapshot(agency) if agency else None
    agency = agency or Agency()
    agency.name = _text(data.name, field="name", label=_("Name"), max_length=200)
    agency.name_en = _text(data.name_en, field="name_en", label=_("Name in English"), max_length=200, required=False)
    agency.kind, agency.address, agency.note, agency.key = data.kind, data.address, data.note, data.key
    if data.is_active is not None:
        agency.is_active = data.is_active
    agency.search_text = _agency_search_text(agency, data.services)
    agency.full_clean()
    agency.save()
    agency.services.all().delete()
    agency.areas.all().delete()
    agency.contacts.all().delete()
    AgencyServiceOffered.objects.bulk_create(
        [AgencyServiceOffered(agency=agency, service=code) for code in dict.fromkeys(data.services)]
    )
    for code in dict.fromkeys(data.area_codes):
        area = AgencyArea(agency=agency, area_code=code)
        area.full_clean(exclude=["agency"])
        area.save()
    AgencyContact.objects.bulk_create(
        [AgencyContact(agency=agency, kind=kind, value=value, person=person) for kind, value, person in data.contacts]
    )
    record_change(obj=agency, action=Action.UPDATE if before else Action.CREATE, actor=actor, before=before)
    return agency
