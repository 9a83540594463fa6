"""What the import writes: the columns of its rows, and the counts of what it did."""

from __future__ import annotations

from dataclasses import dataclass, field

from pocketbook.households.importer.rows import Rejection

# Member columns the import sets, in the order rows are written.
MEMBER_FIELDS = (
    "household_id",
    "status",
    "title",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_year_only",
    "national_id_encrypted",
    "national_id_hash",
    "national_id_last_digit",
    "no_id_reason",
    "relation",
    "education_level",
    "is_studying",
    "occupation",
    "monthly_income",
    "has_disability",
    "has_disability_card",
    "chronic_illness",
    "is_bedridden",
    "is_pregnant",
    "has_welfare_card",
    "receives_elderly_allowance",
    "receives_disability_allowance",
    "receives_child_support",
    "created_at",
    "updated_at",
    "import_run_id",
)
# The imported facts compared to decide whether an existing member changed.
COMPARED = (
    "title",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "relation",
    "education_level",
    "occupation",
    "monthly_income",
    "has_disability",
    "chronic_illness",
    "is_bedridden",
    "has_welfare_card",
)
HOUSEHOLD_FIELDS = (
    "id",
    "household_key",
    "area_code",
    "house_no",
    "address",
    "phone",
    "status",
    "has_consent",
    "created_at",
    "updated_at",
    "import_run_id",
)


@dataclass
class Counts:
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    villages_created: int = 0
    rejected_rows: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ChunkResult:
    counts: Counts = field(default_factory=Counts)
    rejections: list[Rejection] = field(default_factory=list)
