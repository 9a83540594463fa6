"""Import households and members from a .csv or .xlsx file, one row per member (docs/import-households.md).

Rows stream from the file; each is checked, rows are grouped by household_key (the rows of one
household should be next to each other), and groups are written in chunks. A household with any
bad row is not written at all: its bad rows are reported with the reason, its other rows with a
pointer to the bad one. Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.geo.models import Subdistrict
from pocketbook.households.importer.reader import FileProblem, RowSource
from pocketbook.households.importer.rows import HouseholdGroup, Rejection, RowChecker, check_household
from pocketbook.households.importer.writer import Counts, Writer

__all__ = ["FileProblem", "ImportResult", "run_import"]

CHUNK_HOUSEHOLDS = 2000


@dataclass
class ImportResult:
    counts: Counts
    rows_read: int


class RejectionReport:
    """The rejected rows, written as CSV (row, column, value, reason) as they are found."""

    def __init__(self, stream: TextIO | None) -> None:
        self.writer = csv.writer(stream) if stream is not None else None
        if self.writer is not None:
            self.writer.writerow(["row", "column", "value", "reason"])
        self.rows: set[int] = set()
        self.kept: list[Rejection] = []

    def add(self, rejections: list[Rejection]) -> None:
        for rejection in sorted(rejections, key=lambda r: r.row):
            self.rows.add(rejection.row)
            if self.writer is not None:
                self.writer.writerow([rejection.row, rejection.column, rejection.value, rejection.reason])
            if len(self.kept) < 1000:
                self.kept.append(rejection)


def _groups(source: RowSource, checker: RowChecker, report: RejectionReport) -> Iterator[HouseholdGroup]:
    group: HouseholdGroup | None = None
    for row_number, raw in source.rows():
        checked = checker.check(row_number, raw)
        key = (raw.get("household_key") or "").strip()
        if group is not None and key != group.key:
            yield group
            group = None
        if group is None:
            group = HouseholdGroup(key=key)
        group.row_numbers.append(row_number)
        if isinstance(checked, list):
            group.rejections.extend(checked)
        else:
            group.rows.append(checked)
    if group is not None:
        yield group


def _finish_group(group: HouseholdGroup) -> list[Rejection]:
    """Return every rejection of the group, or [] when it may be written."""
    problems = list(group.rejections)
    if not problems and group.rows:
        problems = check_household(group)
    if not problems:
        return []
    bad_rows = {problem.row for problem in problems}
    first_bad = min(bad_rows)
    for number in group.row_numbers:
        if number not in bad_rows:
            problems.append(
                Rejection(
                    number,
                    "household_key",
                    group.key,
                    _("Not imported: row %(row)s of the same household has a problem.") % {"row": first_bad},
                )
            )
    return problems


def run_import(
    path: Path,
    *,
    actor: Any = None,
    with_consent: bool = True,
    report_stream: TextIO | None = None,
    on_progress: Callable[[float, int], None] | None = None,
    chunk_households: int = CHUNK_HOUSEHOLDS,
) -> ImportResult:
    """Import a file; return the counts. Raise FileProblem when the file as a whole cannot be read."""
    source = RowSource(path)
    checker = RowChecker(
        subdistrict_codes=set(Subdistrict.objects.values_list("code", flat=True)),
        allowed_areas=None if actor is None or actor.is_superuser else list(actor.area_codes()),
        today=timezone.localdate(),
        ids_may_lose_leading_zero=source.kind == "xlsx",
    )
    writer = Writer(actor=actor, source=path.name, with_consent=with_consent)
    report = RejectionReport(report_stream)
    counts = Counts()
    chunk: list[HouseholdGroup] = []
    rows_read = 0

    def flush() -> None:
        if not chunk:
            return
        result = writer.write(chunk)
        counts.add(result.counts)
        report.add(result.rejections)
        chunk.clear()
        if on_progress is not None:
            on_progress(source.progress(), rows_read)

    for group in _groups(source, checker, report):
        rows_read += len(group.row_numbers)
        problems = _finish_group(group)
        if problems:
            report.add(problems)
            counts.rejected_rows += len(group.row_numbers)
            continue
        chunk.append(group)
        if len(chunk) >= chunk_households:
            flush()
    flush()
    counts.rejected_rows = len(report.rows)
    if on_progress is not None:
        on_progress(1.0, rows_read)
    return ImportResult(counts=counts, rows_read=rows_read)
