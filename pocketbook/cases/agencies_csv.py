"""Read the agency directory from CSV: one agency a row, lists separated by "|". Used by the command and the admin.

Columns: key, name, name_en, kind, address, services, areas, phone, line, email, contact_person.
A row whose key exists replaces that agency (so loading the same file again changes nothing).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from pocketbook.accounts.models import User

from .models import Agency
from .services import AgencyInput, agency_save

COLUMNS = (
    "key",
    "name",
    "name_en",
    "kind",
    "address",
    "services",
    "areas",
    "phone",
    "line",
    "email",
    "contact_person",
)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def row_input(row: dict[str, str]) -> AgencyInput:
    """One CSV row as the service's input."""
    person = row.get("contact_person", "").strip()
    contacts = tuple(
        (kind, value.strip(), person)
        for kind in ("phone", "line", "email")
        if (value := row.get(kind, "") or "").strip()
    )
    return AgencyInput(
        key=row.get("key", "").strip()[:60],
        name=row.get("name", ""),
        name_en=row.get("name_en", ""),
        kind=row.get("kind", "").strip(),
        address=row.get("address", "").strip()[:300],
        services=_split(row.get("services", "")),
        area_codes=_split(row.get("areas", "")),
        contacts=contacts,
    )


def agencies_load(*, text: str, actor: User) -> LoadReport:
    """Load every row; a bad row is reported by its line number and the rest still load (each row is atomic)."""
    report = LoadReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"key", "name", "kind"} - set(reader.fieldnames or ())
    if missing:
        report.errors.append(f"missing columns: {', '.join(sorted(missing))}")
        return report
    for line, row in enumerate(reader, start=2):
        data = row_input({k: (v or "") for k, v in row.items() if k})
        try:
            with transaction.atomic():
                existing = Agency.objects.filter(key=data.key).first() if data.key else None
                agency_save(data=data, agency=existing, actor=actor)
        except ValidationError as error:
            report.errors.append(f"line {line}: " + "; ".join(error.messages))
            continue
        if existing is None:
            report.created += 1
        else:
            report.updated += 1
    return report
