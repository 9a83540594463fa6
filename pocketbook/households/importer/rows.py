"""Check one imported row and one household's rows; every problem names its row and column."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pocketbook.households import national_id, rules
from pocketbook.households.choices import EducationLevel, Relation

YES = {"y", "yes", "1", "true", "ใช่", "มี", "✓"}
NO = {"n", "no", "0", "false", "ไม่", "ไม่ใช่", "ไม่มี", ""}
SEXES = {"m": "M", "male": "M", "ชาย": "M", "f": "F", "female": "F", "หญิง": "F"}
RELATIONS = {
    **{value: value for value in Relation.values},
    "หัวหน้าครัวเรือน": Relation.HEAD,
    "หัวหน้า": Relation.HEAD,
    "คู่สมรส": Relation.SPOUSE,
    "สามี": Relation.SPOUSE,
    "ภรรยา": Relation.SPOUSE,
    "บุตร": Relation.CHILD,
    "ลูก": Relation.CHILD,
    "บิดา": Relation.PARENT,
    "มารดา": Relation.PARENT,
    "พ่อ": Relation.PARENT,
    "แม่": Relation.PARENT,
    "บิดามารดา": Relation.PARENT,
    "ญาติ": Relation.RELATIVE,
    "อื่นๆ": Relation.OTHER,
    "อื่น ๆ": Relation.OTHER,
    "อื่น": Relation.OTHER,
}
EDUCATION = {
    **{value: value for value in EducationLevel.values},
    "ไม่ได้เรียน": EducationLevel.NONE,
    "ไม่ได้รับการศึกษา": EducationLevel.NONE,
    "อนุบาล": EducationLevel.PRE_SCHOOL,
    "ก่อนวัยเรียน": EducationLevel.PRE_SCHOOL,
    "ประถม": EducationLevel.PRIMARY,
    "ประถมศึกษา": EducationLevel.PRIMARY,
    "มัธยมต้น": EducationLevel.LOWER_SECONDARY,
    "ม.ต้น": EducationLevel.LOWER_SECONDARY,
    "มัธยมปลาย": EducationLevel.UPPER_SECONDARY,
    "ม.ปลาย": EducationLevel.UPPER_SECONDARY,
    "ปวช.": EducationLevel.VOCATIONAL,
    "ปวส.": EducationLevel.VOCATIONAL,
    "อาชีวศึกษา": EducationLevel.VOCATIONAL,
    "ปริญญาตรี": EducationLevel.BACHELOR,
    "สูงกว่าปริญญาตรี": EducationLevel.HIGHER,
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_THRESHOLD = 2400


@dataclass
class Rejection:
    row: int
    column: str
    value: str
    reason: str


@dataclass
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


def parse_birth_date(text: str, *, today: dt.date) -> dt.date:
    """Read YYYY-MM-DD or D/M/YYYY; a year above 2400 is Buddhist Era. Raise ValueError with the reason."""
    text = text.strip().translate(_THAI_DIGITS)
    if match := _ISO.match(text):
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    elif match := _DMY.match(text):
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    else:
        raise ValueError(_("Write the date as YYYY-MM-DD or D/M/YYYY, for example 1980-05-17 or 17/5/2523."))
    if year > BE_THRESHOLD:
        year -= 543
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("There is no such day in the calendar: check the day and the month.")) from None
    if problem := rules.birth_date_problem(value, today=today):
        raise ValueError(problem)
    return value


def parse_flag(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(_("Write Y or N."))


def parse_income(text: str) -> Decimal | None:
    value = text.strip().replace(",", "").replace(" ", "")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(_("Write the income in digits, for example 4500.")) from None
    if not amount.is_finite():
        raise ValueError(_("Write the income in digits, for example 4500."))
    if amount < 0:
        raise ValueError(_("Income cannot be negative."))
    if amount >= Decimal("10000000000"):
        raise ValueError(_("This income is too large for a month; check the number."))
    return amount.quantize(Decimal("0.01"))


class RowChecker:
    """Turn raw rows into MemberRows or rejections; knows the valid area codes."""

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

    def check(self, row: int, raw: dict[str, str]) -> MemberRow | list[Rejection]:
        """Check every column of one row; return the member or every problem found."""
        problems: list[Rejection] = []

        def reject(column: str, reason: str) -> None:
            problems.append(Rejection(row, column, (raw.get(column) or "")[:100], reason))

        def text(column: str) -> str:
            return (raw.get(column) or "").strip()

        key = text("household_key")
        if not key:
            reject("household_key", _("The household key is empty."))
        elif len(key) > 64:
            reject("household_key", _("The household key is longer than 64 characters."))
        area_code = self._area_code(text("subdistrict_code"), text("village_no"), reject)
        first_name, last_name = text("first_name"), text("last_name")
        if not first_name:
            reject("first_name", _("The first name is empty."))
        if not last_name:
            reject("last_name", _("The last name is empty."))
        sex = SEXES.get(text("sex").lower())
        if sex is None:
            reject("sex", _("Write M or F (ชาย or หญิง)."))
        birth_date = None
        try:
            birth_date = parse_birth_date(text("birth_date"), today=self.today)
        except ValueError as error:
            reject("birth_date", str(error))
        relation = RELATIONS.get(text("relation").lower()) or RELATIONS.get(text("relation"))
        if relation is None:
            reject("relation", _("Write one of head, spouse, child, parent, relative, other (or the Thai word)."))
        number = self._national_id(text("national_id"), reject)
        income = None
        try:
            income = parse_income(text("monthly_income"))
        except ValueError as error:
            reject("monthly_income", str(error))
        flags = {}
        for column, name in (
            ("welfare_card", "has_welfare_card"),
            ("disability", "has_disability"),
            ("bedridden", "is_bedridden"),
            ("chronic_illness", "chronic_illness"),
        ):
            try:
                flags[name] = parse_flag(text(column))
            except ValueError as error:
                reject(column, str(error))
        education = text("education")
        education_level = EDUCATION.get(education.lower()) or EDUCATION.get(education) or ""
        if education and not education_level:
            reject("education", _("Unknown education level; see docs/import-households.md for the accepted words."))
        house_no = text("house_no")
        if len(house_no) > 30:
            reject("house_no", _("The house number is longer than 30 characters."))
        phone = "".join(ch for ch in text("phone") if ch.isdigit())
        if phone and not 9 <= len(phone) <= 12:
            reject("phone", _("A phone number has 9 or 10 digits."))
        for column, limit in (("title", 30), ("first_name", 100), ("last_name", 100), ("occupation", 100)):
            if len(text(column)) > limit:
                reject(column, _("Longer than %(limit)s characters.") % {"limit": limit})
        if problems:
            return problems
        assert sex is not None and birth_date is not None and relation is not None
        return MemberRow(
            row=row,
            household_key=key,
            area_code=area_code,
            house_no=house_no,
            phone=phone,
            title=text("title"),
            first_name=first_name,
            last_name=last_name,
            sex=sex,
            birth_date=birth_date,
            relation=relation,
            national_id=number,
            monthly_income=income,
            education_level=education_level,
            occupation=text("occupation"),
            **flags,
        )

    def _area_code(self, subdistrict: str, village: str, reject) -> str:  # type: ignore[no-untyped-def]
        subdistrict = subdistrict.translate(_THAI_DIGITS)
        if not (len(subdistrict) == 6 and subdistrict.isdigit()):
            reject("subdistrict_code", _("A subdistrict code has 6 digits, for example 920101."))
            return ""
        if subdistrict not in self.subdistrict_codes:
            reject("subdistrict_code", _("There is no subdistrict with the code %(code)s.") % {"code": subdistrict})
            return ""
        village = village.translate(_THAI_DIGITS)
        if not village.isdigit() or not 1 <= int(village) <= 99:
            reject("village_no", _("The village number (หมู่ที่) is a number from 1 to 99."))
            return ""
        code = f"{subdistrict}{int(village):02d}"
        if self.allowed_areas is not None and not any(code.startswith(area) for area in self.allowed_areas):
            reject("subdistrict_code", _("This area is outside the importing user's areas."))
            return ""
        return code

    def _national_id(self, value: str, reject) -> str:  # type: ignore[no-untyped-def]
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
            problem = rules.relation_problem(
                relation=member.relation, birth_date=member.birth_date, others=[(Relation.HEAD, head.birth_date)]
            )
            if problem:
                problems.append(Rejection(member.row, "relation", member.relation, problem))
    return problems
