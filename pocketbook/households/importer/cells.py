"""How one cell of an imported file reads: the words for yes and no, sex, relation and education (Thai and
English), and the parsers of dates, flags and incomes. Each parser raises ValueError with the reason to report.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pocketbook.core.numbers import parse_decimal
from pocketbook.households import rules
from pocketbook.households.choices import EducationLevel, Relation
from pocketbook.households.models import MAX_MONTHLY_INCOME

YES = {"y", "yes", "1", "true", "ใช่", "มี", "✓"}
NO = {"n", "no", "0", "false", "ไม่", "ไม่ใช่", "ไม่มี", ""}
FLAGS = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False), "Y": True, "N": False}
SEXES = {"m": "M", "male": "M", "ชาย": "M", "f": "F", "female": "F", "หญิง": "F", "M": "M", "F": "F"}
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
    "หลาน": Relation.GRANDCHILD,
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
# The relations whose ages rules.relation_problem compares with the head's.
AGE_CHECKED_RELATIONS = frozenset({Relation.CHILD.value, Relation.PARENT.value})
# Plain strings rather than the enum members: compared and written a million times.
RELATIONS = {text: str(value) for text, value in RELATIONS.items()}
EDUCATION = {text: str(value) for text, value in EDUCATION.items()}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_THRESHOLD = 2400


def read_flag(text: str) -> bool | None:
    value = FLAGS.get(text)
    return FLAGS.get(text.lower()) if value is None else value


def parse_birth_date(text: str, *, today: dt.date) -> dt.date:
    """Read YYYY-MM-DD or D/M/YYYY; a year above 2400 is Buddhist Era. Raise ValueError with the reason."""
    text = text.strip().translate(THAI_DIGITS)
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
    """A month's income as the form and the API read it (5000, 5,000, ๕๐๐๐), to the satang."""
    if not text.strip():
        return None
    try:
        amount = parse_decimal(text, minimum=0, maximum=MAX_MONTHLY_INCOME)
    except ValidationError as error:
        if error.code == "min_value":
            raise ValueError(_("Income cannot be negative.")) from None
        if error.code in ("max_value", "max_whole_digits"):
            raise ValueError(_("This income is too large for a month; check the number.")) from None
        raise ValueError(_("Write the income in digits, for example 4500.")) from None
    return amount.quantize(Decimal("0.01"))
