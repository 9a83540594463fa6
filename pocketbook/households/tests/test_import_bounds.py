"""Import files made to hurt: formulas in the rejected-rows report, sheets that lie about their size,
workbooks that unzip to gigabytes, cells of a million characters, truncated sheets.

Every file is built here; each must end quickly with a clear message (Thai by default), never a traceback.
"""

from __future__ import annotations

import csv
import io
import re
import time
import tracemalloc
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from pocketbook.households.importer import FileProblem, spreadsheet_safe
from pocketbook.households.importer.reader import RowSource
from pocketbook.households.models import Member
from pocketbook.households.tests.test_import import GOOD, HEADER, write_csv


@pytest.fixture
def thai():
    with translation.override("th"):
        yield


def run(path):
    out = io.StringIO()
    call_command("import_households", str(path), "--no-progress", stdout=out)
    return out.getvalue()


def write_xlsx(tmp_path, rows, name="people.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def rewrite_entry(path, entry, change):
    """Rewrite one file inside the workbook's zip with change(bytes) -> bytes."""
    with zipfile.ZipFile(path) as source:
        contents = {info.filename: source.read(info.filename) for info in source.infolist()}
    contents[entry] = change(contents[entry])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in contents.items():
            target.writestr(name, data)


# ------------------------------------------------------------------ the rejected-rows report


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("＝1+1", "'＝1+1"),
        ("สมชาย", "สมชาย"),
        ("1/2/2525", "1/2/2525"),
        ("", ""),
    ],
)
def test_a_formula_is_made_plain_text(text, safe):
    assert spreadsheet_safe(text) == safe


def test_the_rejected_rows_report_never_repeats_a_formula(tmp_path, db):
    # given rows whose bad values are formulas
    formulas = {
        "birth_date": "=cmd|' /C calc'!A0",
        "sex": "@SUM(1+1)*cmd|' /C calc'!A0",
        "relation": "+1+cmd|'/C calc'!A0",
    }
    rows = []
    for number, (column, formula) in enumerate(formulas.items()):
        row = GOOD[0][:]
        row[HEADER.index("household_key")] = f"F{number}"
        row[HEADER.index("national_id")] = ""
        row[HEADER.index(column)] = formula
        rows.append(row)
    path = write_csv(tmp_path, rows)

    # when
    run(path)

    # then
    with (tmp_path / "people.csv.rejected.csv").open(encoding="utf-8-sig") as handle:
        report = list(csv.DictReader(handle))
    assert sorted((r["column"], r["value"]) for r in report) == sorted(
        (column, "'" + formula) for column, formula in formulas.items()
    )
    assert Member.objects.count() == 0


# ------------------------------------------------------------------ xlsx bounds


def test_a_sheet_that_declares_sixteen_thousand_columns_and_a_million_rows_is_read_as_what_it_holds(tmp_path):
    # given a small workbook whose sheet says it spans A1:XFD1048576
    path = write_xlsx(tmp_path, [GOOD[0]])
    rewrite_entry(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )
    assert path.stat().st_size < 10_000

    # when
    started = time.monotonic()
    rows = list(RowSource(path).rows())

    # then
    assert time.monotonic() - started < 5
    assert [(number, texts[:2]) for number, texts in rows] == [(2, ["H1", "920101"])]


def test_a_workbook_that_unzips_to_a_wall_of_spaces_is_refused_before_it_is_read(tmp_path, thai):
    # given well under 1 MB on disk that unzips to 64 MB of whitespace inside the sheet
    path = write_xlsx(tmp_path, [GOOD[0]])
    padding = b" " * (64 * 1024**2)

    def pad(xml: bytes) -> bytes:
        return xml.replace(b"<sheetData>", b"<sheetData>" + padding)

    rewrite_entry(path, "xl/worksheets/sheet1.xml", pad)
    assert path.stat().st_size < 1024**2

    # when
    tracemalloc.start()
    with pytest.raises(FileProblem) as problem:
        list(RowSource(path).rows())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # then
    assert peak < 50 * 1024**2
    assert str(problem.value) == (
        "people.xlsx แตกไฟล์ออกมาได้ 64 MB มากเกินกว่าตารางครัวเรือนจะมีได้ ไฟล์ถูกเติมข้อมูลหรือเสียหาย "
        "กรุณาบันทึกข้อมูลเป็นไฟล์ .xlsx หรือ .csv ใหม่"
    )


def test_a_cell_of_a_million_characters_is_refused_naming_the_row(tmp_path, thai):
    row = GOOD[0][:]
    row[HEADER.index("occupation")] = "ก" * 30_000
    path = write_xlsx(tmp_path, [GOOD[0], row])

    with pytest.raises(FileProblem) as problem:
        list(RowSource(path).rows())

    assert str(problem.value) == "แถวที่ 3 มีช่องที่ยาวเกิน 2,000 ตัวอักษร ไม่มีคอลัมน์ใดของการนำเข้าที่ต้องยาวขนาดนั้น"


def test_a_csv_cell_of_many_characters_is_refused_naming_the_row(tmp_path, thai):
    row = GOOD[0][:]
    row[HEADER.index("occupation")] = "ก" * 5_000
    path = write_csv(tmp_path, [row])

    with pytest.raises(FileProblem) as problem:
        list(RowSource(path).rows())

    assert str(problem.value) == "แถวที่ 2 มีช่องที่ยาวเกิน 2,000 ตัวอักษร ไม่มีคอลัมน์ใดของการนำเข้าที่ต้องยาวขนาดนั้น"


def test_a_truncated_sheet_stops_with_a_message_not_a_traceback(tmp_path, db, thai):
    # given a workbook whose sheet XML is cut off in the middle of its rows
    many = []
    for number in range(300):
        row = GOOD[0][:]
        row[HEADER.index("household_key")] = f"T{number}"
        row[HEADER.index("national_id")] = ""
        many.append(row)
    path = write_xlsx(tmp_path, many)
    rewrite_entry(path, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])

    # when
    with pytest.raises(CommandError) as error:
        run(path)

    # then
    message = str(error.value)
    assert message.startswith("สมุดงานเสียหายหลังแถวที่ ")
    assert message.endswith("ครัวเรือนก่อนหน้านั้นนำเข้าแล้ว กรุณาบันทึกไฟล์จาก Excel ใหม่แล้วนำเข้าอีกครั้ง")
    assert "Traceback" not in message


def test_a_file_that_is_not_a_zip_is_refused_in_thai(tmp_path, thai):
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")

    with pytest.raises(FileProblem) as problem:
        list(RowSource(path).rows())

    assert str(problem.value).startswith("อ่าน people.xlsx เป็นสมุดงาน Excel ไม่ได้: ")


# ------------------------------------------------------------------ time


class TickingClock:
    """A clock that moves one second each time it is read, and as far as a test moves it by hand."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        self.now += 1.0
        return self.now


def numbered_rows(count):
    rows = []
    for number in range(count):
        row = GOOD[0][:]
        row[HEADER.index("household_key")] = f"T{number}"
        row[HEADER.index("national_id")] = ""
        rows.append(row)
    return rows


def test_a_workbook_that_takes_too_long_to_parse_stops_naming_the_row(tmp_path, thai):
    # given: parsing "costs" a second for each reading of the clock, with a two-minute budget
    path = write_xlsx(tmp_path, numbered_rows(300))
    source = RowSource(path, clock=TickingClock(), read_seconds=120)

    # when
    read = []
    with pytest.raises(FileProblem) as problem:
        for number, _texts in source.rows():
            read.append(number)

    # then: it stops part-way, after the rows it had given, and says where
    stopped_at = int(re.search(r"แถวที่ (\d+)", str(problem.value)).group(1))
    assert 2 < stopped_at <= 301
    assert read == list(range(2, stopped_at))
    assert str(problem.value) == (
        f"การอ่านสมุดงานใช้เวลาเกิน 2 นาที จึงหยุดที่แถวที่ {stopped_at} "
        "ครัวเรือนก่อนหน้านั้นนำเข้าแล้ว กรุณาแบ่งไฟล์เป็นไฟล์เล็กลงแล้วนำเข้าส่วนที่เหลือ"
    )


def test_the_time_the_import_spends_writing_rows_does_not_count_as_reading(tmp_path):
    # given: the same budget, and a consumer that takes 10,000 "seconds" over each row it is given
    path = write_xlsx(tmp_path, numbered_rows(300))
    clock = TickingClock()
    source = RowSource(path, clock=clock, read_seconds=10_000, seconds_without_a_row=100)

    # when
    read = []
    for number, _texts in source.rows():
        read.append(number)
        clock.now += 10_000

    # then: every row is read
    assert read == list(range(2, 302))


def test_a_long_stretch_of_empty_rows_is_refused_as_padding(tmp_path, thai):
    # given: a row, 5,000 rows that hold only blanks, then a row
    rows = numbered_rows(2)
    path = write_xlsx(tmp_path, [rows[0], *([" "] for _ in range(5_000)), rows[1]])

    # when: reading may go 100 clock readings without a row
    with pytest.raises(FileProblem) as problem:
        list(RowSource(path, clock=TickingClock(), seconds_without_a_row=100).rows())

    # then
    assert str(problem.value).startswith("สมุดงานไม่มีข้อมูลให้อ่านเป็นช่วงยาวก่อนถึงแถวที่ ")
    # and with the real bounds the same file reads both rows
    assert [number for number, _texts in RowSource(path).rows()] == [2, 5003]
