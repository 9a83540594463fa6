"""Stream the rows of a .csv (UTF-8, with or without BOM) or .xlsx file as (row number, [text per column])."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

REQUIRED_COLUMNS = (
    "household_key",
    "subdistrict_code",
    "village_no",
    "house_no",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "relation",
)
OPTIONAL_COLUMNS = (
    "title",
    "national_id",
    "monthly_income",
    "welfare_card",
    "disability",
    "bedridden",
    "chronic_illness",
    "education",
    "occupation",
    "phone",
)


# Bounds on what one file may make the reader do: a crafted file (a sheet that declares 16,384 × 1,048,576
# cells, a megabyte that unzips to a gigabyte of spaces, a cell of a million characters) is refused with a
# message, not read for minutes into gigabytes.
MAX_ROWS = 2_000_000
MAX_COLUMNS = 200
MAX_CELL_CHARACTERS = 2_000
MAX_EMPTY_ROWS_IN_A_ROW = 10_000
MAX_UNZIPPED_BYTES = 2 * 1024**3
MAX_SHARED_STRINGS_BYTES = 256 * 1024**2
# Spreadsheet XML unzips to about 5–20 times its size; far more is padding made to exhaust memory.
MAX_UNZIP_RATIO = 100
UNZIP_RATIO_CHECKED_ABOVE = 16 * 1024**2
# Time spent parsing the workbook (not writing what it holds): two million rows parse in a few minutes, so far
# longer means XML made to make the parser crawl; a long stretch without a row is padding.
MAX_READ_SECONDS = 20 * 60
MAX_SECONDS_WITHOUT_A_ROW = 60


class FileProblem(ValueError):
    """The file as a whole cannot be imported (wrong type, missing columns, unreadable, beyond the bounds)."""


class _CountingReader(io.RawIOBase):
    """A binary reader that counts the bytes read, for the progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class _ReadingClock:
    """Count the time a reader spends parsing, not the time its consumer spends between rows, against the bounds."""

    def __init__(self, clock: Callable[[], float], *, limit: float, quiet_limit: float) -> None:
        self.clock = clock
        self.limit = limit
        self.quiet_limit = quiet_limit
        self.resumed = clock()
        self.spent = 0.0
        self.spent_at_last_row = 0.0

    def check(self, row: int) -> None:
        """Raise FileProblem when reading has taken too long overall or since the last row."""
        reading = self.spent + self.clock() - self.resumed
        if reading > self.limit:
            raise FileProblem(
                _(
                    "Reading the workbook took more than %(minutes)s minutes and stopped at row %(row)s. The "
                    "households before it were imported; split the file into smaller files and import the rest."
                )
                % {"minutes": f"{self.limit / 60:g}", "row": row}
            )
        if reading - self.spent_at_last_row > self.quiet_limit:
            raise FileProblem(
                _(
                    "The workbook holds nothing to read for a long stretch before row %(row)s: it is padded or "
                    "damaged. The households before it were imported; save the file again from Excel and import it "
                    "again."
                )
                % {"row": row}
            )

    def row_given(self) -> None:
        """Stop counting: a row goes to the consumer."""
        self.spent += self.clock() - self.resumed
        self.spent_at_last_row = self.spent

    def resume(self) -> None:
        """Count again: the consumer asked for the next row."""
        self.resumed = self.clock()


class RowSource:
    """The rows of one file; `progress()` says how far through the file the reading is (0–1).

    `clock`, `read_seconds` and `seconds_without_a_row` bound how long a workbook may take to parse.
    """

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.monotonic,
        read_seconds: float = MAX_READ_SECONDS,
        seconds_without_a_row: float = MAX_SECONDS_WITHOUT_A_ROW,
    ) -> None:
        self.path = path
        self.clock = clock
        self.read_seconds = read_seconds
        self.seconds_without_a_row = seconds_without_a_row
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise FileProblem(_("%(file)s: only .csv and .xlsx files can be imported.") % {"file": path.name})
        self.kind = suffix[1:]
        self.progress: Callable[[], float] = lambda: 0.0
        # The header's names, in file order; known once the first row is read.
        self.names: list[str] = []

    def estimated_rows(self) -> int:
        """About how many rows the file holds, from its size (a CSV member row is about 160 bytes)."""
        size = self.path.stat().st_size
        return size // 160 if self.kind == "csv" else size // 50

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield (row number as in the spreadsheet, the row's texts in header order); the header is row 1.

        A list rather than a dict per row: a million rows make the difference measurable.
        """
        if self.kind == "csv":
            yield from self._csv_rows()
        else:
            yield from self._xlsx_rows()

    def _check_header(self, header: list[str]) -> list[str]:
        names = [str(name or "").strip() for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in names]
        if missing:
            raise FileProblem(
                _(
                    "Missing required columns: %(columns)s. The first row must hold the column names exactly as "
                    "documented in docs/import-households.md."
                )
                % {"columns": ", ".join(missing)}
            )
        self.names = names
        return names

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        size = max(self.path.stat().st_size, 1)
        with self.path.open("rb") as raw:
            counter = _CountingReader(raw)
            self.progress = lambda: min(counter.count / size, 1.0)
            text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            try:
                header = next(reader)
            except StopIteration:
                raise FileProblem(_("The file is empty.")) from None
            except UnicodeDecodeError:
                raise FileProblem(_("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.")) from None
            names = self._check_header(header)
            width = len(names)
            row_number = 1
            try:
                for values in reader:
                    row_number += 1
                    if row_number > MAX_ROWS + 1:
                        raise FileProblem(
                            _("The sheet has more than %(rows)s rows. Split it into smaller files.")
                            % {"rows": f"{MAX_ROWS:,}"}
                        )
                    if not (values and values[0].strip()) and not any(value.strip() for value in values):
                        continue
                    if len(values) > MAX_COLUMNS or any(len(value) > MAX_CELL_CHARACTERS for value in values):
                        values = [_cell_text(value, row=row_number) for value in values[:MAX_COLUMNS]]
                    if len(values) < width:
                        values = values + [""] * (width - len(values))
                    yield row_number, values
            except UnicodeDecodeError:
                raise FileProblem(
                    _("Row %(row)s is not UTF-8 text. Save the file as 'CSV UTF-8' and try again.")
                    % {"row": row_number + 1}
                ) from None
            except csv.Error as error:  # e.g. a field over the CSV module's size limit, or a broken quote
                raise FileProblem(
                    _(
                        "Row %(row)s cannot be read as CSV (%(error)s). The households before it were imported, "
                        "except the one whose rows it may continue."
                    )
                    % {"row": row_number + 1, "error": error}
                ) from None

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        reading = _ReadingClock(self.clock, limit=self.read_seconds, quiet_limit=self.seconds_without_a_row)
        _check_unzipped_sizes(self.path)
        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise FileProblem(
                _("%(file)s cannot be read as an Excel workbook: %(error)s") % {"file": self.path.name, "error": error}
            ) from None
        try:
            sheet = workbook.worksheets[0]
            total = min(max((sheet.max_row or 1) - 1, 1), MAX_ROWS)
            # The sheet's declared size is the file's word, not a fact: read only the rows and cells it holds.
            sheet.reset_dimensions()  # a read-only sheet
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            row_number = 1
            try:
                try:
                    header = next(rows)
                except StopIteration:
                    raise FileProblem(_("The workbook's first sheet is empty.")) from None
                names = self._check_header([_cell_text(value, row=1) for value in header])
                width = len(names)
                done = 0
                self.progress = lambda: min(done / total, 1.0)
                empty_run = 0
                for row_number, values in enumerate(rows, start=2):
                    done = row_number - 1
                    reading.check(row_number)
                    if row_number > MAX_ROWS + 1:
                        raise FileProblem(
                            _("The sheet has more than %(rows)s rows. Split it into smaller files.")
                            % {"rows": f"{MAX_ROWS:,}"}
                        )
                    texts = [_cell_text(value, row=row_number) for value in values[:width]]
                    if not any(texts):
                        empty_run += 1
                        if empty_run > MAX_EMPTY_ROWS_IN_A_ROW:
                            return  # the rest of the sheet is padding
                        continue
                    empty_run = 0
                    if len(texts) < width:
                        texts += [""] * (width - len(texts))
                    reading.row_given()
                    yield row_number, texts
                    reading.resume()
            except FileProblem:
                raise
            except Exception as error:  # a truncated or damaged sheet fails part-way through, in zip or XML
                raise FileProblem(
                    _(
                        "The workbook is damaged after row %(row)s (%(error)s). The households before it were "
                        "imported; save the file again from Excel and import it again."
                    )
                    % {"row": row_number, "error": type(error).__name__}
                ) from None
        finally:
            workbook.close()


def _check_unzipped_sizes(path: Path) -> None:
    """Refuse a workbook that would unzip beyond the bounds, before any of it is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise FileProblem(
            _("%(file)s cannot be read as an Excel workbook: %(error)s") % {"file": path.name, "error": error}
        ) from None
    unzipped = sum(entry.file_size for entry in entries)
    zipped = max(sum(entry.compress_size for entry in entries), 1)
    shared = sum(entry.file_size for entry in entries if entry.filename.lower().endswith("sharedstrings.xml"))
    too_packed = unzipped > UNZIP_RATIO_CHECKED_ABOVE and unzipped / zipped > MAX_UNZIP_RATIO
    if unzipped > MAX_UNZIPPED_BYTES or shared > MAX_SHARED_STRINGS_BYTES or too_packed:
        raise FileProblem(
            _(
                "%(file)s unpacks to %(size)s MB, far more than a sheet of households holds: it is padded or "
                "damaged. Save the data again as a new .xlsx or .csv file."
            )
            % {"file": path.name, "size": f"{unzipped // 1024**2:,}"}
        )


def _cell_text(value: Any, *, row: int = 0) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
        raise FileProblem(
            _("Row %(row)s has a cell of more than %(limit)s characters; no column of the import needs that many.")
            % {"row": row, "limit": f"{MAX_CELL_CHARACTERS:,}"}
        )
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
