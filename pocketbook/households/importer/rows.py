"""Check one imported row and one household's rows; every problem names its row and column."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.th import pin

from pocketbook.core.validators import is_person_name, person_name_validator
from pocketbook.households import national_id, rules
from pocketbook.households.choices import Relation
from pocketbook.households.importer.cells import (
    AGE_CHECKED_RELATIONS,
    EDUCATION,
    RELATIONS,
    SEXES,
    THAI_DIGITS,
    parse_birth_date,
    parse_flag,
    parse_income,
    read_flag,
)
from pocketbook.households.importer.reader import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

# Every column, in the order RowChecker reads them.
COLUMNS = (*REQUIRED_COLUMNS[:4], "title", *REQUIRED_COLUMNS[4:], *OPTIONAL_COLUMNS[1:])
logger = logging.getLogger(__name__)


@dataclass
class Rejection:
    row: int
    column: str
    value: str
    reason: str


@dataclass(slots=True)
class MemberRow:
    """One valid row: a member, plus the household facts it repeats."""

    row: int
    household_key: str
    area_code: str
    house_no: str
    phone: str
    title: str
    first_name: str
    last_name: str
    sex: str
    birth_date: dt.date
    relation: str
    national_id: str
    monthly_income: Decimal | None
    has_welfare_card: bool
    has_disability: bool
    is_bedridden: bool
    chronic_illness: bool
    education_level: str
    occupation: str


@dataclass
class HouseholdGroup:
    """The rows of one household_key read one after another."""

    key: str
    rows: list[MemberRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    @property
    def first(self) -> MemberRow:
        return self.rows[0]


# A cache of parsed texts stops growing here (dates, incomes and areas repeat; a file of unique values must not
# hold them all in memory).
CACHE_LIMIT = 200_000
_MISSING = -1


class _Problem(str):
    """A cached parse result that is a reason for rejection rather than a value."""


class RowChecker:
    """Turn raw rows into MemberRows or rejections; knows the valid area codes.

    Built for a million rows: the column positions are looked up once, the values that repeat across rows (dates
    of birth, incomes, areas, Y/N words) are parsed once and cached, and a valid row goes through one straight
    pass. A row with any problem is checked again column by column (`_explain`) to report every problem in it.
    """

    def __init__(
        self,
        *,
        subdistrict_codes: set[str],
        allowed_areas: list[str] | None,
        today: dt.date,
        ids_may_lose_leading_zero: bool = False,
    ) -> None:
        self.subdistrict_codes = subdistrict_codes
        self.allowed_areas = allowed_areas
        self.today = today
        self.ids_may_lose_leading_zero = ids_may_lose_leading_zero
        self._positions: tuple[int, ...] = ()
        self._take: Callable[[list[str]], tuple[str, ...]] | None = None
        self._dates: dict[str, dt.date | _Problem] = {}
        self._incomes: dict[str, Decimal | _Problem | None] = {}
        self._areas: dict[tuple[str, str], str | tuple[str, _Problem]] = {}

    def use_columns(self, names: list[str]) -> None:
        """Learn where each column is in the rows to come (a missing optional column reads as empty)."""
        where = {name: index for index, name in enumerate(names)}
        self._positions = tuple(where.get(name, _MISSING) for name in COLUMNS)
        # check() appends "" to each row, so a missing column (_MISSING, the last item) reads as empty.
        self._take = itemgetter(*self._positions)

    @property
    def ready(self) -> bool:
        return bool(self._positions)

    def household_key(self, values: list[str]) -> str:
        """The row's household_key, as the grouping of rows into households reads it."""
        return values[self._positions[0]].strip()

    def check(self, row: int, values: list[str]) -> MemberRow | list[Rejection]:
        """Check every column of one row; return the member or every problem found."""
        if self._take is None:
            raise RuntimeError("use_columns() must be called before check().")
        values.append("")
        texts = tuple(map(str.strip, self._take(values)))
        (
            key,
            subdistrict,
            village,
            house_no,
            title,
            first_name,
            last_name,
            sex_text,
            birth_text,
            relation_text,
            id_text,
            income_text,
            welfare_text,
            disability_text,
            bedridden_text,
            chronic_text,
            education_text,
            occupation,
            phone_text,
        ) = texts
        area_code = self._area(subdistrict, village)
        birth_date = self._birth_date(birth_text)
        income = self._income(income_text) if income_text else None
        sex = SEXES.get(sex_text) or SEXES.get(sex_text.lower())
        relation = RELATIONS.get(relation_text) or RELATIONS.get(relation_text.lower())
        education = (EDUCATION.get(education_text) or EDUCATION.get(education_text.lower())) if education_text else ""
        welfare = read_flag(welfare_text)
        disability = read_flag(disability_text)
        bedridden = read_flag(bedridden_text)
        chronic = read_flag(chronic_text)
        number = self._plain_id(id_text) if id_text else ""
        phone = phone_text if phone_text.isdigit() else "".join(ch for ch in phone_text if ch.isdigit())
        if (
            isinstance(area_code, tuple)
            or isinstance(birth_date, _Problem)
            or isinstance(income, _Problem)
            or sex is None
            or relation is None
            or education is None
            or welfare is None
            or disability is None
            or bedridden is None
            or chronic is None
            or number is None
            or not key
            or not is_person_name(first_name)
            or not is_person_name(last_name)
            or (title and not is_person_name(title))
            or len(key) > 64
            or len(house_no) > 30
            or len(title) > 30
            or len(first_name) > 100
            or len(last_name) > 100
            or len(occupation) > 100
            or (phone and not 9 <= len(phone) <= 12)
            or "\x00" in "".join(texts)
        ):
            return self._explain(row, values, texts)
        return MemberRow(  # positional: a million keyword calls cost a second
            row,
            key,
            area_code,
            house_no,
            phone,
            title,
            first_name,
            last_name,
            sex,
            birth_date,
            relation,
            number,
            income,
            welfare,
            disability,
            bedridden,
            chronic,
            education,
            occupation,
        )

    # ------------------------------------------------------------ cached parsers

    def _area(self, subdistrict: str, village: str) -> str | tuple[str, _Problem]:
        cache_key = (subdistrict, village)
        found = self._areas.get(cache_key)
        if found is None:
            found = self._area_code(subdistrict, village)
            if len(self._areas) >= CACHE_LIMIT:
                self._areas.clear()
            self._areas[cache_key] = found
        return found

    def _birth_date(self, text: str) -> dt.date | _Problem:
        found = self._dates.get(text)
        if found is None:
            try:
                found = parse_birth_date(text, today=self.today)
            except ValueError as error:
                found = _Problem(error)
            if len(self._dates) >= CACHE_LIMIT:
                self._dates.clear()
            self._dates[text] = found
        return found

    def _income(self, text: str) -> Decimal | _Problem | None:
        try:
            return self._incomes[text]
        except KeyError:
            pass
        try:
            found: Decimal | _Problem | None = parse_income(text)
        except ValueError as error:
            found = _Problem(error)
        if len(self._incomes) >= CACHE_LIMIT:
            self._incomes.clear()
        self._incomes[text] = found
        return found

    def _plain_id(self, text: str) -> str | None:
        """The ID when it is 13 plain digits with a right check digit (python-stdnum's); None for anything else."""
        if len(text) == 13 and text.isascii() and text.isdigit() and text[0] not in "09":
            return text if text[-1] == pin.calc_check_digit(text) else None
        problems: list[Rejection] = []
        number = self._national_id(text, lambda column, reason: problems.append(Rejection(0, column, "", reason)))
        return None if problems else number

    def _area_code(self, subdistrict: str, village: str) -> str | tuple[str, _Problem]:
        """The 8-digit village code, or (column, reason)."""
        subdistrict = subdistrict.translate(THAI_DIGITS)
        if not (len(subdistrict) == 6 and subdistrict.isdigit()):
            return "subdistrict_code", _Problem(_("A subdistrict code has 6 digits, for example 920101."))
        if subdistrict not in self.subdistrict_codes:
            return "subdistrict_code", _Problem(
                _("There is no subdistrict with the code %(code)s.") % {"code": subdistrict}
            )
        village = village.translate(THAI_DIGITS)
        if not village.isdigit() or not 1 <= int(village) <= 99:
            return "village_no", _Problem(_("The village number (หมู่ที่) is a number from 1 to 99."))
        code = f"{subdistrict}{int(village):02d}"
        if self.allowed_areas is not None and not any(code.startswith(area) for area in self.allowed_areas):
            return "subdistrict_code", _Problem(_("This area is outside the importing user's areas."))
        return code

    # ------------------------------------------------------------ a row with problems

    def _explain(self, row: int, values: list[str], texts: tuple[str, ...]) -> list[Rejection]:
        """Every problem of a row that failed the straight pass, column by column, in column order."""
        raw = {name: values[index] for name, index in zip(COLUMNS, self._positions, strict=True) if index != _MISSING}
        text = dict(zip(COLUMNS, texts, strict=True))
        problems: list[Rejection] = []

        def reject(column: str, reason: str) -> None:
            # The report never repeats a national ID, not even a mistyped one (it is someone's, nearly).
            value = "" if column == "national_id" else (raw.get(column) or "")[:100]
            problems.append(Rejection(row, column, value, reason))

        key = text["household_key"]
        if not key:
            reject("household_key", _("The household key is empty."))
        elif len(key) > 64:
            reject("household_key", _("The household key is longer than 64 characters."))
        area = self._area(text["subdistrict_code"], text["village_no"])
        if isinstance(area, tuple):
            reject(*area)
        if not text["first_name"]:
            reject("first_name", _("The first name is empty."))
        if not text["last_name"]:
            reject("last_name", _("The last name is empty."))
        if SEXES.get(text["sex"].lower()) is None:
            reject("sex", _("Write M or F (ชาย or หญิง)."))
        if isinstance(birth := self._birth_date(text["birth_date"]), _Problem):
            reject("birth_date", birth)
        if (RELATIONS.get(text["relation"].lower()) or RELATIONS.get(text["relation"])) is None:
            reject("relation", _("Write one of head, spouse, child, parent, relative, other (or the Thai word)."))
        if text["national_id"]:
            self._national_id(text["national_id"], reject)
        if text["monthly_income"] and isinstance(income := self._income(text["monthly_income"]), _Problem):
            reject("monthly_income", income)
        for column in ("welfare_card", "disability", "bedridden", "chronic_illness"):
            try:
                parse_flag(text[column])
            except ValueError as error:
                reject(column, str(error))
        education = text["education"]
        if education and not (EDUCATION.get(education.lower()) or EDUCATION.get(education)):
            reject("education", _("Unknown education level; see docs/import-households.md for the accepted words."))
        if len(text["house_no"]) > 30:
            reject("house_no", _("The house number is longer than 30 characters."))
        phone = "".join(ch for ch in text["phone"] if ch.isdigit())
        if phone and not 9 <= len(phone) <= 12:
            reject("phone", _("A phone number has 9 or 10 digits."))
        for column, limit in (("title", 30), ("first_name", 100), ("last_name", 100), ("occupation", 100)):
            if len(text[column]) > limit:
                reject(column, _("Longer than %(limit)s characters.") % {"limit": limit})
        for column in ("title", "first_name", "last_name"):
            if text[column] and "\x00" not in text[column]:  # NUL has its own message below
                try:
                    person_name_validator(text[column])
                except ValidationError as error:
                    reject(column, " ".join(error.messages))
        for column, value in text.items():
            if "\x00" in value:  # PostgreSQL cannot store it, and no name contains it
                reject(column, _("Contains an invisible control character (NUL); retype the value."))
        if not problems:  # the straight pass refused what this one accepts: never drop a row in silence
            logger.error("import: row %s refused by the straight pass but no problem found", row)
            reject("household_key", _("This row could not be read; check its values."))
        return problems

    def _national_id(self, value: str, reject) -> str:
        if not value:
            return ""
        plain = len(value) == 13 and value.isascii() and value.isdigit()
        digits = value if plain else national_id.normalize(value)
        if self.ids_may_lose_leading_zero and len(digits) == 12 and digits.isdigit():
            digits = "0" + digits  # a spreadsheet number cell drops the leading 0
        try:
            return national_id.validate(digits)
        except ValidationError as error:
            reject("national_id", error.messages[0])
            return ""


def check_household(group: HouseholdGroup) -> list[Rejection]:
    """Check what only the whole household shows: same address on every row, one head, ages fit relations."""
    problems: list[Rejection] = []
    first = group.first
    for member in group.rows[1:]:
        for column, attribute in (
            ("subdistrict_code", "area_code"),
            ("village_no", "area_code"),
            ("house_no", "house_no"),
        ):
            if getattr(member, attribute) != getattr(first, attribute):
                problems.append(
                    Rejection(
                        member.row,
                        column,
                        getattr(member, attribute),
                        _("Differs from row %(row)s of the same household_key %(key)s.")
                        % {"row": first.row, "key": group.key},
                    )
                )
                break
    heads = [member for member in group.rows if member.relation == Relation.HEAD]
    for extra in heads[1:]:
        problems.append(
            Rejection(
                extra.row,
                "relation",
                "head",
                _("The household already has a head on row %(row)s.") % {"row": heads[0].row},
            )
        )
    ids: dict[str, int] = {}
    for member in group.rows:
        if member.national_id:
            if member.national_id in ids:
                problems.append(
                    Rejection(
                        member.row,
                        "national_id",
                        "",
                        _("The same national ID is on row %(row)s.") % {"row": ids[member.national_id]},
                    )
                )
            ids.setdefault(member.national_id, member.row)
    if heads and not problems:
        head = heads[0]
        for member in group.rows:
            if member is head:
                continue
            if member.relation not in AGE_CHECKED_RELATIONS:
                continue
            problem = rules.relation_problem(
                relation=member.relation, birth_date=member.birth_date, others=[(Relation.HEAD, head.birth_date)]
            )
            if problem:
                problems.append(Rejection(member.row, "relation", member.relation, problem))
    return problems
