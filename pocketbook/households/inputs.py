"""What the households services are given: a household's, a member's and a consent's input, typed once.

Forms, the API and the importer build these; `services` re-exports them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pocketbook.households.choices import HouseholdStatus
from pocketbook.households.models import MEMBER_INPUT_FIELDS, Household, Member


class PossibleDuplicate(ValidationError):
    """A person without an ID who looks like someone already recorded; the user may override with a reason."""

    def __init__(self, matches: list[Member]) -> None:
        self.matches = matches
        super().__init__(
            {
                "duplicate_override_reason": _(
                    "A person with the same name and date of birth is already recorded in this subdistrict. "
                    "If this is someone else, say why and save again."
                )
            },
            code="possible_duplicate",
        )


@dataclass
class HouseholdInput:
    """What a household form or API call gives."""

    area_code: str
    house_no: str = ""
    address: str = ""
    phone: str = ""
    gps_lat: Decimal | None = None
    gps_lng: Decimal | None = None
    status: str = HouseholdStatus.ACTIVE
    household_key: str = ""

    @classmethod
    def from_household(cls, household: Household) -> HouseholdInput:
        """The household's current values, the base a partial change is merged onto."""
        return cls(**{field: getattr(household, field) for field in cls.__dataclass_fields__})


@dataclass
class MemberInput:
    """What a member form or API call gives; `national_id` is the typed ID (may be empty)."""

    sex: str
    birth_date: dt.date
    relation: str
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    national_id: str = ""
    no_id_reason: str = ""
    education_level: str = ""
    is_studying: bool = False
    occupation: str = ""
    monthly_income: Decimal | None = None
    has_disability: bool = False
    has_disability_card: bool = False
    chronic_illness: bool = False
    is_bedridden: bool = False
    is_pregnant: bool = False
    has_welfare_card: bool = False
    receives_elderly_allowance: bool = False
    receives_disability_allowance: bool = False
    receives_child_support: bool = False

    @classmethod
    def from_member(cls, member: Member) -> MemberInput:
        """The member's current values (the ID left empty: it stays unless a new one is given)."""
        return cls(**{field: getattr(member, field) for field in MEMBER_INPUT_FIELDS})


@dataclass
class ConsentInput:
    """Who gave consent, when, and for which purposes."""

    given_by_name: str
    purposes: list[str]
    given_at: dt.datetime | None = None
    given_by_member: Member | None = None
