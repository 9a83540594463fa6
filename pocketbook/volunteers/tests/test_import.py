"""Import volunteers from CSV and XLSX with a report of the rejected rows (docs/import-volunteers.md)."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from pocketbook.households.tests.factories import make_national_id
from pocketbook.volunteers import importer
from pocketbook.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

GOOD = make_national_id("392010001234")
BAD = GOOD[:-1] + str((int(GOOD[-1]) + 1) % 10)


def _csv(*rows: str) -> io.BytesIO:
    header = "title,first_name,last_name,national_id,phone,home_area_code,areas_served,started_on,skills"
    return io.BytesIO(("\ufeff" + "\n".join([header, *rows]) + "\n").encode())


def test_good_rows_are_registered_and_bad_rows_reported_without_the_id(social_worker):
    stream = _csv(
        f'นาง,สุนีย์,ทองสุข,{GOOD},0812345678,92010101,"92010101,92010102",1/10/2560,"ปฐมพยาบาล, ดูแลผู้สูงอายุ"',
        f"นาย,ผิด,เลข,{BAD},,92010101,,,",
        "นาย,ไกล,บ้าน,,,92010101,50010101,,",
        "นาย,,ไม่มีชื่อ,,,92010101,,,",
        "นาย,อนาคต,มา,,,92010101,,1/1/2600,",
    )
    report = importer.volunteers_import(stream=stream, filename="v.csv", actor=social_worker)
    volunteer = Volunteer.objects.get()
    assert (volunteer.first_name, volunteer.started_on.isoformat(), volunteer.skills) == (
        "สุนีย์",
        "2017-10-01",
        ["ปฐมพยาบาล", "ดูแลผู้สูงอายุ"],
    )
    assert sorted(volunteer.areas.values_list("area_code", flat=True)) == ["92010101", "92010102"]
    assert report.created == 1
    assert [(r.row, r.column, r.value) for r in report.rejected] == [
        (3, "national_id", ""),
        (4, "areas_served", "50010101"),
        (5, "first_name", ""),
        (6, "started_on", "1/1/2600"),
    ]
    assert BAD not in report.csv_text()
    # when: the same file again
    again = importer.volunteers_import(stream=_csv(f"นาง,สุนีย์,ทองสุข,{GOOD},,92010101,,,"), filename="v.csv",
                                       actor=social_worker)  # fmt: skip
    assert (again.created, again.skipped, Volunteer.objects.count()) == (0, 1, 1)


def test_xlsx_is_read_and_a_missing_column_is_a_file_problem(social_worker):
    book = Workbook()
    sheet = book.active
    sheet.append(["first_name", "last_name", "home_area_code", "national_id"])
    sheet.append(["มาลี", "ดีใจ", 92010101, int(GOOD)])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    report = importer.volunteers_import(stream=data, filename="v.xlsx", actor=social_worker)
    assert report.created == 1
    with pytest.raises(importer.FileProblem):
        importer.volunteers_import(stream=io.BytesIO(b"name\nx\n"), filename="v.csv", actor=social_worker)


def test_the_import_page_shows_the_report_and_refuses_the_wrong_role(client, social_worker, volunteer):
    client.force_login(volunteer)
    assert client.post(reverse("volunteers:volunteer_import"), {"file": _csv()}).status_code == 403
    client.force_login(social_worker)
    upload = _csv("นาย,ไกล,บ้าน,,,92010101,50010101,,")
    upload.name = "v.csv"
    response = client.post(reverse("volunteers:volunteer_import"), {"file": upload})
    assert response.status_code == 200
    assert "50010101" in response.content.decode()
    assert Volunteer.objects.count() == 0
