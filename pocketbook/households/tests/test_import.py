import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from pocketbook.households.models import Consent, Household, HouseholdEvent, Member
from pocketbook.households.tests.factories import make_national_id

ID_A = make_national_id("110170020345")
ID_B = make_national_id("310060044563")
ID_ZERO = make_national_id("012345678901")
HEADER = [
    "household_key",
    "subdistrict_code",
    "village_no",
    "house_no",
    "title",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "relation",
    "national_id",
    "monthly_income",
    "welfare_card",
    "disability",
    "bedridden",
    "chronic_illness",
    "education",
    "occupation",
    "phone",
]
GOOD = [
    [
        "H1",
        "920101",
        "1",
        "12/3",
        "นาย",
        "สมชาย",
        "ใจดี",
        "M",
        "17/5/2518",
        "head",
        ID_A,
        "9,000",
        "Y",
        "N",
        "N",
        "N",
        "ประถม",
        "ชาวสวน",
        "081-234-5678",
    ],
    [
        "H1",
        "920101",
        "1",
        "12/3",
        "นาง",
        "สมศรี",
        "ใจดี",
        "หญิง",
        "1978-02-01",
        "ภรรยา",
        "",
        "4000",
        "N",
        "",
        "",
        "Y",
        "",
        "",
        "",
    ],
    [
        "H2",
        "920101",
        "2",
        "5",
        "",
        "มานี",
        "มีนา",
        "F",
        "1/1/1990",
        "หัวหน้าครัวเรือน",
        ID_ZERO,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]


def write_csv(tmp_path, rows, *, bom=False, name="people.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_households", str(path), "--no-progress", *args, stdout=out)
    return out.getvalue()


def report_rows(path):
    with (path.parent / (path.name + ".rejected.csv")).open(encoding="utf-8-sig") as handle:
        return [(int(r["row"]), r["column"]) for r in csv.DictReader(handle)]


@pytest.mark.parametrize("bom", [False, True])
def test_import_creates_households_and_members(tmp_path, bom):
    # given
    path = write_csv(tmp_path, GOOD, bom=bom)
    # when
    output = run(path)
    # then
    assert "Households created:   2" in output
    assert "Members created:      3" in output
    assert "Rows rejected:        0" in output
    head = Member.objects.get(first_name="สมชาย")
    assert (head.birth_date, head.monthly_income, head.has_welfare_card, head.relation) == (
        dt.date(1975, 5, 17),
        9000,
        True,
        "head",
    )
    assert head.household.phone == "0812345678"
    assert head.household.area_code == "92010101"
    assert Member.objects.get(first_name="มานี").national_id_last_digit == ID_ZERO[-1]
    assert Member.objects.get(first_name="สมศรี").no_id_reason == "other"
    assert Consent.objects.count() == 2
    assert HouseholdEvent.objects.filter(kind="imported").count() == 2


def test_importing_the_same_file_again_changes_nothing(tmp_path):
    path = write_csv(tmp_path, GOOD)
    run(path)
    before = list(Member.objects.order_by("id").values_list("id", "updated_at", "national_id_encrypted"))
    output = run(path)
    assert "Households unchanged: 2" in output and "Members unchanged:    3" in output
    assert "Members created:      0" in output and "Households created:   0" in output
    assert list(Member.objects.order_by("id").values_list("id", "updated_at", "national_id_encrypted")) == before
    assert HouseholdEvent.objects.count() == 2


def test_a_changed_row_updates_the_member_by_id_hash(tmp_path):
    run(write_csv(tmp_path, GOOD))
    changed = [row[:] for row in GOOD]
    changed[0][11] = "12000"
    output = run(write_csv(tmp_path, changed, name="again.csv"))
    assert "Members updated:      1" in output and "Households updated:   1" in output
    assert Member.objects.get(first_name="สมชาย").monthly_income == 12000


@pytest.mark.parametrize(
    "column,value",
    [
        ("national_id", ID_A[:-1] + str((int(ID_A[-1]) + 1) % 10)),
        ("birth_date", "1/1/2600"),
        ("birth_date", "1/1/2430"),
        ("monthly_income", "-5"),
        ("subdistrict_code", "929999"),
        ("sex", "X"),
        ("relation", "cousin"),
        ("welfare_card", "maybe"),
        ("first_name", "สม\x00ชาย"),
    ],
)
def test_a_bad_value_rejects_the_whole_household_and_reports_row_and_column(tmp_path, column, value):
    rows = [row[:] for row in GOOD]
    rows[1][HEADER.index(column)] = value
    path = write_csv(tmp_path, rows)
    output = run(path)
    assert "Households created:   1" in output
    assert "Rows rejected:        2" in output
    assert report_rows(path) == [(2, "household_key"), (3, column)]
    assert not Household.objects.filter(household_key="H1").exists()


def test_a_relation_contradicting_the_ages_is_rejected(tmp_path):
    rows = [row[:] for row in GOOD]
    rows[1][HEADER.index("relation")] = "parent"
    path = write_csv(tmp_path, rows)
    run(path)
    assert report_rows(path) == [(2, "household_key"), (3, "relation")]


def test_a_person_already_in_another_household_is_rejected(tmp_path):
    run(write_csv(tmp_path, GOOD))
    other = [
        ["H9", "920101", "1", "77", "", "สมชาย", "ใจดี", "M", "17/5/2518", "head", ID_A, "", "", "", "", "", "", "", ""]
    ]
    path = write_csv(tmp_path, other, name="other.csv")
    output = run(path)
    assert "Rows rejected:        1" in output
    assert report_rows(path) == [(2, "national_id")]
    assert not Household.objects.filter(household_key="H9").exists()


def test_xlsx_with_a_numeric_id_cell_that_lost_its_zero(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = GOOD[2][:]
    row[HEADER.index("national_id")] = int(ID_ZERO)
    row[HEADER.index("birth_date")] = dt.datetime(1990, 1, 1)
    sheet.append(row)
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    output = run(path)
    assert "Members created:      1" in output
    assert Member.objects.get().national_id_last_digit == ID_ZERO[-1]


def test_missing_columns_stop_the_import_with_a_clear_message(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("household_key,first_name\nH1,ก\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(path)
    assert "Missing required columns: subdistrict_code" in str(error.value)


def test_other_file_types_are_refused(tmp_path):
    path = tmp_path / "people.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError):
        run(path)


def test_import_as_a_user_rejects_rows_outside_their_areas(tmp_path, volunteer):
    rows = [["H5", "920104", "1", "1", "", "ก", "ข", "M", "1/1/1980", "head", "", "", "", "", "", "", "", "", ""]]
    path = write_csv(tmp_path, rows)
    run(path, "--user", volunteer.username)
    assert report_rows(path) == [(2, "subdistrict_code")]


def test_without_consent_keeps_anonymous_records(tmp_path):
    run(write_csv(tmp_path, GOOD), "--without-consent")
    member = Member.objects.get(relation="spouse")
    assert (member.first_name, member.national_id_hash, member.birth_date) == ("", "", dt.date(1978, 7, 1))
    assert Household.objects.filter(has_consent=False).count() == 2


def test_a_field_too_long_for_csv_stops_with_a_clear_message_after_the_rows_before_it(tmp_path):
    from django.core.management.base import CommandError

    rows = [row[:] for row in GOOD]
    rows.append(
        ["H9", "920101", "1", "9", "", "ก" * 200_000, "x", "M", "1980-01-01", "head"] + [""] * (len(HEADER) - 10)
    )
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError) as error:
        run(path)
    assert "cannot be read as CSV" in str(error.value)
    assert not Household.objects.filter(household_key="H9").exists()


def test_a_village_new_to_the_geography_is_created_through_geo_and_audited(tmp_path):
    from pocketbook.audit.models import ObjectChange
    from pocketbook.geo.models import Village

    # given a household in หมู่ 7 of ต.ทับเที่ยง, which the geography does not have yet
    rows = [["H7", "920101", "7", "1", "", "ก", "ข", "M", "1/1/1980", "head", "", "", "", "", "", "", "", "", ""]]
    # when it is imported twice
    output = run(write_csv(tmp_path, rows))
    run(write_csv(tmp_path, rows))
    # then the village exists once, with its creation in the audit trail
    assert "Villages created:     1" in output
    village = Village.objects.get(code="92010107")
    assert (village.number, village.name, village.subdistrict_id) == (7, "หมู่ 7", "920101")
    change = ObjectChange.objects.get(object_id="92010107")
    assert (change.action, change.user_name, change.area_code) == ("create", "system", "92010107")


def test_an_import_run_records_who_which_file_when_and_what_it_did(tmp_path, social_worker):
    from pocketbook.audit.models import ObjectChange
    from pocketbook.households.models import ImportRun

    # given
    path = write_csv(tmp_path, [*GOOD, [*GOOD[0][:4], "", "ผิด", "ใจดี", "X", *GOOD[0][8:]]], name="people.csv")
    changes_before = ObjectChange.objects.count()
    # when
    run(path, "--user", social_worker.username)
    # then: one run, with its counts
    imported = ImportRun.objects.get()
    assert (imported.actor, imported.file_name, imported.with_consent) == (social_worker, "people.csv", True)
    assert imported.finished_at is not None and imported.started_at <= imported.finished_at
    assert (
        imported.rows_read,
        imported.households_created,
        imported.members_created,
        imported.rejected_rows,
    ) == (4, 2, 3, 1)
    # and one audit entry for the whole run, none per household or member
    assert list(ObjectChange.objects.order_by("id")[changes_before:].values_list("object_id", "action", "user")) == [
        (str(imported.pk), "create", social_worker.pk)
    ]


def test_every_household_and_member_an_import_writes_points_at_its_run(tmp_path):
    from pocketbook.households.models import ImportRun

    # given a first import
    run(write_csv(tmp_path, GOOD))
    first = ImportRun.objects.get()
    assert set(Household.objects.values_list("import_run", flat=True)) == {first.pk}
    assert set(Member.objects.values_list("import_run", flat=True)) == {first.pk}
    assert [event.params["run"] for event in HouseholdEvent.objects.filter(kind="imported")] == [first.pk, first.pk]
    # when a second file changes one member of H1 and adds one to H2
    changed = [row[:] for row in GOOD]
    changed[0][11] = "12000"
    added = [*GOOD[2][:5], "มานะ", "มีนา", "M", "1/1/2015", "child", "", *GOOD[2][11:]]
    run(write_csv(tmp_path, [*changed, added], name="again.csv"))
    # then the changed and added records point at the second run; the unchanged ones still at the first
    second = ImportRun.objects.exclude(pk=first.pk).get()
    assert (second.file_name, second.members_updated, second.members_created, second.households_updated) == (
        "again.csv",
        1,
        1,
        2,
    )
    assert dict(Member.objects.values_list("first_name", "import_run")) == {
        "สมชาย": second.pk,
        "สมศรี": first.pk,
        "มานี": first.pk,
        "มานะ": second.pk,
    }
    assert dict(Household.objects.values_list("household_key", "import_run")) == {"H1": second.pk, "H2": second.pk}
    assert sorted(
        event.params["run"] for event in HouseholdEvent.objects.filter(kind="imported", params__created=False)
    ) == [second.pk, second.pk]


def test_import_runs_are_shown_read_only_to_superusers_only(client, tmp_path, administrator, django_user_model):
    from pocketbook.households.models import ImportRun

    run(write_csv(tmp_path, GOOD))
    imported = ImportRun.objects.get()
    # an area administrator: the households, but not the runs
    client.force_login(administrator)
    assert client.get("/admin/households/household/").status_code == 200
    assert client.get(f"/admin/households/importrun/{imported.pk}/change/").status_code == 403
    # a superuser: the list and the record, with nothing to change
    superuser = django_user_model.objects.create_superuser("root", password="x-Long-Passw0rd")
    client.force_login(superuser)
    assert "people.csv" in client.get("/admin/households/importrun/").content.decode()
    assert client.post(f"/admin/households/importrun/{imported.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ImportRun.objects.filter(pk=imported.pk).exists()
