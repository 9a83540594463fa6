"""Import volunteers from a .csv (UTF-8) or .xlsx file, row by row, with a report of the rows rejected.

Follows the households import (docs/import-households.md): the first row names the columns; a bad row is
reported with its column and reason and never stops the import; national IDs are never repeated in the report.
A registry is a few thousand rows, so each good row goes through `volunteer_create` in its own savepoint.
Documented in docs/import-volunteers.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.core.dates import DateInputError, parse_date_input
from pocketbook.households import national_id
from pocketbook.volunteers.models import Participant, TrainingProject, Volunteer
from pocketbook.volunteers.services import VolunteerInput, volunteer_create
from pocketbook.volunteers.training_services import scores_set

REQUIRED_COLUMNS = ("first_name", "last_name", "home_area_code")
OPTIONAL_COLUMNS = ("title", "national_id", "phone", "line_id", "areas_served", "started_on", "term_ends_on", "skills")
MAX_ROWS = 20_000


class FileProblem(ValueError):
    """The file as a whole cannot be read (wrong type, missing columns)."""


@dataclass
class Rejected:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def csv_text(self) -> str:
        """The rejected rows as CSV: row, column, value, reason (UTF-8 with a BOM, so Excel reads Thai)."""
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(["row", "column", "value", "reason"])
        for item in self.rejected:
            writer.writerow([item.row, item.column, item.value, item.reason])
        return out.getvalue()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(
    stream: IO[bytes], filename: str, required: tuple[str, ...] = REQUIRED_COLUMNS
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number as the spreadsheet shows it, {column: text}); the header is row 1."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
            rows: Iterator[list[Any]] = csv.reader(text)
            header = next(rows)
        except (UnicodeDecodeError, StopIteration):
            raise FileProblem(
                _("The file is empty or not UTF-8 text. Save it as 'CSV UTF-8' and try again.")
            ) from None
    elif name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = list(next(rows))
        except Exception:  # openpyxl raises many kinds for a broken file
            raise FileProblem(_("The file cannot be read as an Excel workbook.")) from None
    else:
        raise FileProblem(_("Only .csv and .xlsx files can be imported."))
    names = [_cell_text(cell).lower() for cell in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise FileProblem(
            _("Missing required columns: %(columns)s. See docs/import-volunteers.md.")
            % {"columns": ", ".join(missing)}
        )
    try:
        for number, values in enumerate(rows, start=2):
            texts = [_cell_text(value) for value in values]
            if not any(texts):
                continue
            if number > MAX_ROWS + 1:
                raise FileProblem(_("The file has more than 20,000 rows; split it."))
            yield number, {column: (texts[i] if i < len(texts) else "") for i, column in enumerate(names)}
    except (UnicodeDecodeError, csv.Error):
        raise FileProblem(_("A row cannot be read as CSV text. Save the file as 'CSV UTF-8' and try again.")) from None


def _date(row: dict[str, str], column: str) -> dt.date | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        return parse_date_input(text).date
    except DateInputError as error:
        raise ValidationError({column: str(error)}) from None


def row_input(row: dict[str, str], *, user: User | None = None) -> VolunteerInput:
    """Turn one row into the service's input; a ValidationError names the column."""
    areas = [code for code in row.get("areas_served", "").replace(";", ",").replace(" ", ",").split(",") if code]
    return VolunteerInput(
        title=row.get("title", ""),
        first_name=row.get("first_name", ""),
        last_name=row.get("last_name", ""),
        national_id=row.get("national_id", ""),
        phone=row.get("phone", ""),
        line_id=row.get("line_id", ""),
        home_area_code=row.get("home_area_code", ""),
        areas_served=areas or [row.get("home_area_code", "")],
        started_on=_date(row, "started_on"),
        term_ends_on=_date(row, "term_ends_on"),
        skills=[skill.strip() for skill in row.get("skills", "").split(",") if skill.strip()],
    )


def volunteers_import(*, stream: IO[bytes], filename: str, actor: User) -> ImportReport:
    """Import every good row; a volunteer already registered (same national ID) is skipped, not changed."""
    report = ImportReport()
    for number, row in read_rows(stream, filename):
        digits = national_id.normalize(row.get("national_id", ""))
        lookup = national_id.lookup_hash(digits) if digits else None
        if lookup and Volunteer.objects.filter(national_id_hash=lookup).exists():
            report.skipped += 1
            continue
        try:
            with transaction.atomic():
                volunteer_create(data=row_input(row), actor=actor)
        except ValidationError as error:
            for column, messages in _by_column(error):
                value = "" if column == "national_id" else row.get(column, "")
                report.rejected.append(Rejected(number, column, value, " ".join(messages)))
            continue
        report.created += 1
    return report


SCORE_COLUMNS = ("participant_id", "pre_test", "post_test")


def scores_import(*, project: TrainingProject, stream: IO[bytes], filename: str, actor: User) -> ImportReport:
    """Set pre- and post-test scores from a file (participant_id as on the scores page, pre_test, post_test)."""
    report = ImportReport()
    participants = {str(p.pk): p for p in Participant.objects.filter(project=project)}
    for number, row in read_rows(stream, filename, SCORE_COLUMNS):
        participant = participants.get(row.get("participant_id", "").strip())
        if participant is None:
            report.rejected.append(
                Rejected(
                    number, "participant_id", row.get("participant_id", ""), _("No such participant in this project.")
                )
            )
            continue
        try:
            with transaction.atomic():
                scores_set(participant=participant, pre_test=row.get("pre_test"), post_test=row.get("post_test"),
                           actor=actor)  # fmt: skip
        except ValidationError as error:
            for column, messages in _by_column(error):
                name = {"pre_test_score": "pre_test", "post_test_score": "post_test"}.get(column, column)
                report.rejected.append(Rejected(number, name, row.get(name, ""), " ".join(messages)))
            continue
        report.created += 1
    return report


def _by_column(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return [(column, list(messages)) for column, messages in error.message_dict.items()]
    return [("", list(error.messages))]
