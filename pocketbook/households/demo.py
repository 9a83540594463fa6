"""Demo data: a few hundred Trang households with their members, written through the import path.

Deterministic (everything comes from `context.rng`) and idempotent (households are keyed
DEMO-00001…; a second run finds them unchanged). The volunteer looks after the households of
their village. The assessments demo adds two rounds of assessments afterwards.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from stdnum.th import pin

from pocketbook.core.demo import DemoContext
from pocketbook.households.importer.rows import HouseholdGroup, MemberRow
from pocketbook.households.importer.writer import Writer
from pocketbook.households.models import Household

MALE_NAMES = ["สมชาย", "สมศักดิ์", "ประเสริฐ", "วิชัย", "สุรชัย", "ธนากร", "อนันต์", "กิตติ", "ชัยวัฒน์", "บุญมี"]
FEMALE_NAMES = ["สมศรี", "มาลี", "วันเพ็ญ", "สุภาพร", "กัญญา", "นงลักษณ์", "ปราณี", "อรทัย", "จันทร์เพ็ญ", "บุษบา"]
CHILD_NAMES = ["ต้นกล้า", "น้ำฝน", "ภูผา", "ข้าวหอม", "ฟ้าใส", "ดาวเหนือ", "ใบเตย", "ก้องภพ", "ปลายฟ้า", "นที"]
LAST_NAMES = ["ใจดี", "รักถิ่น", "ทองคำ", "ศรีสุข", "บุญมา", "แก้วมณี", "ชูช่วย", "หนูนุ่น", "เพชรรัตน์", "ขาวสะอาด"]
OCCUPATIONS = ["ชาวสวนยาง", "ประมง", "รับจ้างทั่วไป", "ค้าขาย", "เกษตรกร", ""]


def _national_id(rng: random.Random) -> str:
    first = str(rng.choice([1, 3, 5, 8])) + "".join(str(rng.randrange(10)) for _ in range(11))
    return first + pin.calc_check_digit(first)


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))


def _member(rng: random.Random, row: int, key: str, area: str, house: str, **facts: Any) -> MemberRow:
    born: dt.date = facts["birth_date"]
    age = 2025 - born.year
    working = 15 <= age <= 64
    income = Decimal(rng.choice([0, 2500, 4000, 6000, 9000, 15000])) if working else None
    return MemberRow(
        row=row,
        household_key=key,
        area_code=area,
        house_no=house,
        phone=facts.get("phone", ""),
        title=facts["title"],
        first_name=facts["first_name"],
        last_name=facts["last_name"],
        sex=facts["sex"],
        birth_date=born,
        relation=facts["relation"],
        national_id=_national_id(rng) if rng.random() > 0.08 else "",
        monthly_income=income,
        has_welfare_card=rng.random() < 0.35,
        has_disability=rng.random() < 0.05,
        is_bedridden=age > 70 and rng.random() < 0.15,
        chronic_illness=age > 45 and rng.random() < 0.3,
        education_level=rng.choice(["primary", "lower_secondary", "upper_secondary", "vocational", "none"]),
        occupation=rng.choice(OCCUPATIONS) if working else "",
    )


def _household(rng: random.Random, number: int, area: str) -> HouseholdGroup:
    key = f"DEMO-{number:05d}"
    house = f"{rng.randrange(1, 200)}/{rng.randrange(1, 5)}" if rng.random() < 0.4 else str(rng.randrange(1, 300))
    last_name = rng.choice(LAST_NAMES)
    head_sex = rng.choice(["M", "F"])
    head_year = rng.randrange(1945, 1995)
    phone = "08" + "".join(str(rng.randrange(10)) for _ in range(8))
    group = HouseholdGroup(key=key)

    def add(**facts: Any) -> None:
        row = len(group.rows) + 1
        group.rows.append(_member(rng, row, key, area, house, last_name=last_name, **facts))

    head_name = rng.choice(MALE_NAMES if head_sex == "M" else FEMALE_NAMES)
    add(
        title="นาย" if head_sex == "M" else "นาง",
        first_name=head_name,
        sex=head_sex,
        birth_date=_date(rng, head_year),
        relation="head",
        phone=phone,
    )
    if rng.random() < 0.75:
        spouse_sex = "F" if head_sex == "M" else "M"
        add(
            title="นาง" if spouse_sex == "F" else "นาย",
            first_name=rng.choice(FEMALE_NAMES if spouse_sex == "F" else MALE_NAMES),
            sex=spouse_sex,
            birth_date=_date(rng, head_year + rng.randrange(-5, 6)),
            relation="spouse",
        )
    for _child in range(rng.choice([0, 1, 1, 2, 2, 3])):
        year = min(head_year + rng.randrange(18, 40), 2024)
        sex = rng.choice(["M", "F"])
        add(
            title="ด.ช."
            if sex == "M" and year > 2010
            else ("ด.ญ." if year > 2010 else ("นาย" if sex == "M" else "นางสาว")),
            first_name=rng.choice(CHILD_NAMES),
            sex=sex,
            birth_date=_date(rng, year),
            relation="child",
        )
    if head_year > 1965 and rng.random() < 0.3:
        add(
            title="นาง",
            first_name=rng.choice(FEMALE_NAMES),
            sex="F",
            birth_date=_date(rng, head_year - rng.randrange(20, 35)),
            relation="parent",
        )
    return group


def seed(context: DemoContext) -> None:
    """Add `context.households` demo households (default 300) spread over the demo villages."""
    rng = random.Random(context.rng.randrange(1_000_000_000))
    villages = context.village_codes
    if not villages:
        return
    groups = [_household(rng, number, villages[number % len(villages)]) for number in range(1, context.households + 1)]
    writer = Writer(actor=None, source="seed_demo", with_consent=True)
    result = writer.write(groups)
    volunteer = context.users.get("volunteer")
    if volunteer is not None:
        Household.objects.filter(
            household_key__startswith="DEMO-", area_code__startswith=volunteer.area_codes()[0], volunteer__isnull=True
        ).update(volunteer=volunteer)
    counts = result.counts
    context.write(
        f"Households: {counts.households_created} created, {counts.households_unchanged} already there; "
        f"{counts.members_created} members created."
    )
