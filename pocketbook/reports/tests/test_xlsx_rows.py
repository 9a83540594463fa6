"""The fast row writer writes the very XML XlsxWriter's own `write_row` writes, whatever the cells hold."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import xlsxwriter
from openpyxl import load_workbook

from pocketbook.reports.xlsx_rows import StreamingSheet

ROWS = [
    [1, "920101", "12/3", "นาง", "สมศรี", "", Decimal("4500.00"), 0, -1.25, 10**12],
    [2, " leading space", "trailing ", "a & b < c > d", "_x0041_ literal", "bell\x07", Decimal("-3")],
    [3, "'=SUM(A1)", 2.5, 1e-07, "ok"],
    [4],
    [5, None, True, "after an odd row"],
    [6, "x-xxxx-xxxxx-xx-3", "15/03/2510", "\ufffe", "tab\tinside"],
]


def _write(path, fast):
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "tmpdir": str(path.parent)}  # fmt: skip
    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet("ทดสอบ", worksheet_class=StreamingSheet)
    sheet.write_row(0, 0, ["เลขที่", "ชื่อ"])
    for number, row in enumerate(ROWS, start=1):
        if fast:
            sheet.write_plain_row(number, row)
        else:
            sheet.write_row(number, 0, row)
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_the_sheet_is_byte_for_byte_the_librarys(tmp_path):
    # given the same rows: plain ones, and ones with every kind of cell the library escapes or treats apart
    # when
    library = _write(tmp_path / "library.xlsx", fast=False)
    fast = _write(tmp_path / "fast.xlsx", fast=True)
    # then
    assert fast == library
    assert b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>920101</t></is></c>' in fast


def test_a_spreadsheet_reads_the_rows_back(tmp_path):
    # given
    _write(tmp_path / "fast.xlsx", fast=True)
    # when
    rows = list(load_workbook(tmp_path / "fast.xlsx", read_only=True).active.iter_rows(values_only=True))
    # then
    assert rows[1][:7] == (1, "920101", "12/3", "นาง", "สมศรี", None, 4500)
    assert rows[2][3] == "a & b < c > d"
    assert len(rows) == 1 + len(ROWS)
