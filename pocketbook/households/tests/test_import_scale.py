"""The import's fast paths give what the plain ones give: first load, straight-pass row checks, batch crypto."""

import base64
import datetime as dt
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError
from django.db import connection, transaction

from pocketbook.core import crypto
from pocketbook.households.importer import first_load
from pocketbook.households.importer.rows import COLUMNS, MemberRow, Rejection, RowChecker
from pocketbook.households.models import Household, Member
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory, make_national_id
from pocketbook.households.tests.test_import import GOOD, HEADER, ID_A, report_rows, run, write_csv

ID_C = make_national_id("350060012345")


def member_table_constraints() -> set[str]:
    """Names of the member table's indexes, unique constraints and foreign keys, as the database has them."""
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, Member._meta.db_table))


def row(key, first_name, relation, national_id="", house_no="5", born="1/1/1980"):
    values = dict.fromkeys(HEADER, "")
    values.update(
        household_key=key,
        subdistrict_code="920101",
        village_no="1",
        house_no=house_no,
        first_name=first_name,
        last_name="ใจดี",
        sex="F",
        birth_date=born,
        relation=relation,
        national_id=national_id,
    )
    return [values[name] for name in HEADER]


@pytest.fixture
def first_load_for_any_size(monkeypatch, transactional_db):
    """Make every file large enough for a first load (taken on PostgreSQL; SQLite always imports chunk by chunk).

    A first load is its own transaction, so these tests run outside the usual per-test one.
    """
    monkeypatch.setattr(first_load, "FIRST_LOAD_MIN_ROWS", 0)


def test_a_first_load_imports_rejects_and_leaves_every_index_and_key_in_place(
    tmp_path, first_load_for_any_size, monkeypatch
):
    # given
    before = member_table_constraints()
    finished = []
    finish = first_load.FirstLoad.finish
    monkeypatch.setattr(first_load.FirstLoad, "finish", lambda load: finished.append(load) or finish(load))
    rows = [*GOOD, row("H3", "มาลา", "head", national_id=ID_A)]
    path = write_csv(tmp_path, rows)
    # when
    output = run(path)
    # then
    assert "Households created:   2" in output
    assert "Members created:      3" in output
    assert "Rows rejected:        1" in output
    assert report_rows(path) == [(5, "national_id")]
    assert member_table_constraints() == before
    assert Member.objects.get(national_id_hash=crypto.lookup_hash(ID_A)).household.household_key == "H1"
    assert len(finished) == (1 if connection.vendor == "postgresql" else 0)


def test_first_load_is_taken_only_on_postgresql_and_only_while_there_is_no_member(first_load_for_any_size):
    # given
    taken_when_empty = first_load.is_worthwhile(estimated_rows=1)
    with transaction.atomic():
        taken_inside_a_transaction = first_load.is_worthwhile(estimated_rows=1)
    MemberFactory()
    # when
    taken_with_a_member = first_load.is_worthwhile(estimated_rows=1)
    # then
    assert taken_when_empty == (connection.vendor == "postgresql")
    assert (taken_inside_a_transaction, taken_with_a_member) == (False, False)


def test_importing_again_after_a_first_load_changes_nothing(tmp_path, first_load_for_any_size):
    # given
    path = write_csv(tmp_path, GOOD)
    run(path)
    before = list(Member.objects.order_by("id").values_list("id", "updated_at", "national_id_encrypted"))
    # when
    output = run(path)
    # then
    assert "Households unchanged: 2" in output and "Members unchanged:    3" in output
    assert list(Member.objects.order_by("id").values_list("id", "updated_at", "national_id_encrypted")) == before


def test_a_household_split_in_two_runs_of_a_first_load_is_merged(tmp_path, first_load_for_any_size):
    # given
    rows = [row("H1", "แม่", "head", national_id=ID_C), row("H2", "ลูก", "head"), row("H1", "พ่อ", "spouse")]
    # when
    output = run(write_csv(tmp_path, rows))
    # then
    assert "Households created:   2" in output and "Households updated:   1" in output
    assert sorted(Member.objects.filter(household__household_key="H1").values_list("first_name", flat=True)) == [
        "พ่อ",
        "แม่",
    ]


def test_an_unreadable_row_stops_a_first_load_after_writing_the_households_before_it(
    tmp_path, first_load_for_any_size
):
    # given: H2's rows might go on past the unreadable row, so H2 waits for the fixed file
    before = member_table_constraints()
    rows = [*GOOD, row("H9", "ก" * 200_000, "head")]
    path = write_csv(tmp_path, rows)
    # when
    with pytest.raises(CommandError) as error:
        run(path)
    # then
    assert "cannot be read as CSV" in str(error.value)
    assert list(Household.objects.values_list("household_key", flat=True)) == ["H1"]
    assert member_table_constraints() == before


def checker() -> RowChecker:
    checker = RowChecker(
        subdistrict_codes={"920101"}, allowed_areas=None, today=dt.date(2025, 6, 1), ids_may_lose_leading_zero=False
    )
    checker.use_columns(list(COLUMNS))
    return checker


def raw(**values: str) -> list[str]:
    base = dict.fromkeys(COLUMNS, "")
    base.update(
        household_key="H1",
        subdistrict_code="920101",
        village_no="1",
        house_no="5",
        first_name="สมศรี",
        last_name="ใจดี",
        sex="F",
        birth_date="1980-02-01",
        relation="head",
    )
    base.update(values)
    return [base[name] for name in COLUMNS]


def test_the_straight_pass_accepts_every_spelling_the_documentation_allows():
    # given
    spelled = raw(
        sex=" หญิง ",
        relation="Head",
        welfare_card="Yes",
        disability="ใช่",
        bedridden="no",
        chronic_illness="1",
        education="ม.ต้น",
        monthly_income="9 000",
        national_id="1-1017-00203-45-" + ID_A[-1],
        birth_date="1/2/2523",
        phone="081-234-5678",
    )
    # when
    member = checker().check(2, spelled)
    # then
    assert isinstance(member, MemberRow)
    assert (
        member.sex,
        member.relation,
        member.has_welfare_card,
        member.has_disability,
        member.is_bedridden,
        member.chronic_illness,
        member.education_level,
        member.monthly_income,
        member.national_id,
        member.birth_date,
        member.phone,
    ) == (
        "F",
        "head",
        True,
        True,
        False,
        True,
        "lower_secondary",
        Decimal("9000.00"),
        ID_A,
        dt.date(1980, 2, 1),
        "0812345678",
    )


def test_every_problem_of_a_row_is_reported_by_row_and_column():
    # when
    problems = checker().check(7, raw(sex="X", monthly_income="-5", welfare_card="maybe", village_no="0"))
    # then
    assert isinstance(problems, list)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (7, "village_no", "0"),
        (7, "sex", "X"),
        (7, "monthly_income", "-5"),
        (7, "welfare_card", "maybe"),
    ]
    assert all(isinstance(problem, Rejection) and problem.reason for problem in problems)


def test_a_cached_parse_gives_the_same_answer_the_second_time():
    # given
    rows_checker = checker()
    first = rows_checker.check(2, raw(birth_date="1/1/2600"))
    # when
    second = rows_checker.check(3, raw(birth_date="1/1/2600"))
    # then
    assert isinstance(first, list) and isinstance(second, list)
    assert [(p.column, p.reason) for p in first] == [(p.column, p.reason) for p in second]
    assert (first[0].row, second[0].row, first[0].column) == (2, 3, "birth_date")


def test_encrypt_many_makes_the_very_token_fernet_makes_with_the_same_iv_and_time(monkeypatch, settings):
    # given
    key = Fernet.generate_key()
    settings.FIELD_ENCRYPTION_KEY = key.decode()
    ivs = bytes(range(32))
    monkeypatch.setattr(crypto.os, "urandom", lambda size: ivs[:size])
    monkeypatch.setattr(crypto.time, "time", lambda: 1_750_000_000.5)
    # when
    tokens = crypto.encrypt_many([ID_A, ""])
    # then
    fernet = Fernet(key)
    assert tokens == [
        fernet._encrypt_from_parts(ID_A.encode(), 1_750_000_000, ivs[:16]).decode(),
        fernet._encrypt_from_parts(b"", 1_750_000_000, ivs[16:32]).decode(),
    ]


def test_encrypt_many_decrypts_with_the_configured_keys_whatever_the_length(settings):
    # given
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    texts = [ID_A, "x" * 15, "y" * 16, "ชื่อยาวกว่าหนึ่งบล็อก", ""]
    # when
    tokens = crypto.encrypt_many(texts)
    # then
    assert [crypto.decrypt(token) for token in tokens] == texts
    assert len({base64.urlsafe_b64decode(token)[9:25] for token in tokens}) == len(texts)  # one IV each
    assert crypto.lookup_hashes(texts) == [crypto.lookup_hash(text) for text in texts]


def test_a_household_the_database_refuses_is_reported_and_its_neighbours_still_imported(tmp_path):
    # given: H1 already has a head in Pocketbook, and the file brings another one (one head per household)
    existing = Household.objects.create(area_code="92010101", house_no="12/3", household_key="H1", has_consent=True)
    MemberFactory(household=existing, first_name="สมปอง", relation="head")
    path = write_csv(tmp_path, GOOD)
    # when
    output = run(path)
    # then
    assert "Households created:   1" in output
    assert "Rows rejected:        2" in output
    assert report_rows(path) == [(2, "household_key"), (3, "household_key")]
    assert list(existing.members.values_list("first_name", flat=True)) == ["สมปอง"]
    assert Household.objects.filter(household_key="H2").exists()


def test_a_first_load_merges_into_a_household_that_already_had_its_key(tmp_path, first_load_for_any_size):
    # given: a household registered with its key before any member was imported
    existing = Household.objects.create(area_code="92010102", house_no="5", household_key="H2", has_consent=True)
    # when
    output = run(write_csv(tmp_path, GOOD))
    # then
    assert "Households created:   1" in output and "Households updated:   1" in output
    assert list(existing.members.values_list("first_name", flat=True)) == ["มานี"]
    assert Household.objects.filter(household_key="H2").count() == 1


def test_the_report_never_repeats_a_national_id_even_a_mistyped_one(tmp_path):
    # given
    mistyped = ID_A[:-1] + str((int(ID_A[-1]) + 1) % 10)
    path = write_csv(tmp_path, [row("H7", "ก", "head", national_id=mistyped)])
    # when
    run(path)
    # then
    report = (path.parent / (path.name + ".rejected.csv")).read_text(encoding="utf-8-sig")
    assert "national_id" in report
    assert mistyped not in report and mistyped[:12] not in report


def test_a_person_held_outside_the_importing_users_areas_is_refused_without_naming_that_household(tmp_path, volunteer):
    # given
    MemberFactory(household=HouseholdFactory(area_code="50010101", household_key="CM-77"), national_id=ID_A)
    path = write_csv(tmp_path, [row("H8", "ก", "head", national_id=ID_A)])
    # when
    run(path, "--user", volunteer.username)
    # then
    report = (path.parent / (path.name + ".rejected.csv")).read_text(encoding="utf-8-sig")
    assert report_rows(path) == [(2, "national_id")]
    assert "outside your areas" in report and "CM-77" not in report
    assert not Household.objects.filter(household_key="H8").exists()
