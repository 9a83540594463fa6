"""Import households and members from a .csv or .xlsx file, one row per member (docs/import-households.md).

Rows stream from the file; each is checked, rows are grouped by household_key (the rows of one
household should be next to each other), and groups are written in chunks. A household with any
bad row is not written at all: its bad rows are reported with the reason, its other rows with a
pointer to the bad one. Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.geo.models import Subdistrict
from pocketbook.households.importer import first_load
from pocketbook.households.importer.reader import FileProblem, RowSource
from pocketbook.households.importer.rows import HouseholdGroup, MemberRow, Rejection, RowChecker, check_household
from pocketbook.households.importer.runs import import_run_finish, import_run_start
from pocketbook.households.importer.writer import Counts, Writer, sqlite_page_cache
from pocketbook.households.models import ImportRun

__all__ = ["FileProblem", "ImportResult", "run_import"]

CHUNK_HOUSEHOLDS = 2000
logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    counts: Counts
    rows_read: int
    run: ImportRun


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def spreadsheet_safe(text: Any) -> Any:
    """Make a text that a spreadsheet would run as a formula show as text: prefix it with an apostrophe."""
    if isinstance(text, str) and text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


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
                self.writer.writerow(
                    [
                        rejection.row,
                        rejection.column,
                        spreadsheet_safe(rejection.value),
                        spreadsheet_safe(rejection.reason),
                    ]
                )
            if len(self.kept) < 1000:
                self.kept.append(rejection)


def _groups(source: RowSource, checker: RowChecker) -> Iterator[HouseholdGroup]:
    group: HouseholdGroup | None = None
    for row_number, values in source.rows():
        if not checker.ready:
            checker.use_columns(source.names)
        checked = checker.check(row_number, values)
        key = checked.household_key if isinstance(checked, MemberRow) else checker.household_key(values)
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


def _checked_groups(source: RowSource, checker: RowChecker) -> Iterator[tuple[HouseholdGroup, list[Rejection]]]:
    """Each household's rows with every problem found in them ([] when the household may be written)."""
    for group in _groups(source, checker):
        yield group, _finish_group(group)


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
    actor: User | None = None,
    with_consent: bool = True,
    report_stream: TextIO | None = None,
    on_progress: Callable[[float, int], None] | None = None,
    chunk_households: int = CHUNK_HOUSEHOLDS,
    allow_first_load: bool = True,
) -> ImportResult:
    """Import a file; return the counts. Raise FileProblem when the file as a whole cannot be read.

    A large file into an empty member table on PostgreSQL goes through FirstLoad (first_load.py): one transaction
    that builds the member indexes at the end. Otherwise each chunk is its own transaction.
    """
    source = RowSource(path)
    run = import_run_start(actor=actor, file_name=source.path.name, with_consent=with_consent)
    options: dict[str, Any] = {
        "run": run,
        "actor": actor,
        "with_consent": with_consent,
        "report_stream": report_stream,
        "on_progress": on_progress,
        "chunk_households": chunk_households,
    }
    estimated_rows = source.estimated_rows()
    with _collector_spares_existing_objects(), sqlite_page_cache():
        if allow_first_load and first_load.is_worthwhile(estimated_rows=estimated_rows):
            stopped: FileProblem | None = None
            try:
                with transaction.atomic():
                    load = first_load.FirstLoad()
                    load.start()
                    try:
                        result = _import(source, load=load, **options)
                    except FileProblem as problem:  # as in a chunked import, the rows before it stay imported
                        stopped = problem
                    load.finish()
            except first_load.NotFirstLoad:
                logger.info("import: members appeared before the first load could start; importing chunk by chunk")
            else:
                if stopped is not None:
                    raise stopped
                return result
        return _import(source, load=None, **options)


@contextmanager
def _collector_spares_existing_objects() -> Iterator[None]:
    """Keep Python's cycle collector to the objects the import makes.

    A million rows make millions of short-lived objects, and each full collection would also walk the hundreds of
    thousands that exist before the import (Django, the apps, the caches): about a sixth of the import's time.
    gc.freeze() sets those aside until the import ends.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _import(
    source: RowSource,
    *,
    run: ImportRun,
    actor: User,
    with_consent: bool,
    report_stream: TextIO | None,
    on_progress: Callable[[float, int], None] | None,
    chunk_households: int,
    load: first_load.FirstLoad | None,
) -> ImportResult:
    checker = RowChecker(
        subdistrict_codes=set(Subdistrict.objects.values_list("code", flat=True)),
        allowed_areas=None if actor is None or actor.is_superuser else list(actor.area_codes()),
        today=timezone.localdate(),
        ids_may_lose_leading_zero=source.kind == "xlsx",
    )
    writer = Writer(actor=actor, source=source.path.name, with_consent=with_consent, run_id=run.pk)
    if load is not None:
        writer.track_id_holders_in_memory()
        if load.no_keyed_households:
            writer.track_household_keys_in_memory()
    report = RejectionReport(report_stream)
    counts = Counts()
    chunk: list[HouseholdGroup] = []
    keys_in_chunk: set[str] = set()
    rows_read = 0

    def flush() -> None:
        if not chunk:
            return
        result = writer.write(chunk)
        counts.add(result.counts)
        report.add(result.rejections)
        chunk.clear()
        keys_in_chunk.clear()
        if on_progress is not None:
            on_progress(source.progress(), rows_read)

    try:
        for group, problems in _checked_groups(source, checker):
            rows_read += len(group.row_numbers)
            if problems:
                report.add(problems)
                counts.rejected_rows += len(group.row_numbers)
                continue
            if group.key in keys_in_chunk:
                flush()  # a household's second run of rows: write the first, so this one finds it and merges
            chunk.append(group)
            keys_in_chunk.add(group.key)
            if len(chunk) >= chunk_households:
                flush()
    except FileProblem:
        flush()  # the households read before the unreadable row are whole: write them, as the message says
        counts.rejected_rows = len(report.rows)
        import_run_finish(run=run, counts=counts, rows_read=rows_read)
        raise
    flush()
    counts.rejected_rows = len(report.rows)
    import_run_finish(run=run, counts=counts, rows_read=rows_read)
    if on_progress is not None:
        on_progress(1.0, rows_read)
    return ImportResult(counts=counts, rows_read=rows_read, run=run)
