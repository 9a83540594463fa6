"""Factories for households and members; IDs made here carry a correct check digit."""

from __future__ import annotations

import datetime as dt

import factory
from stdnum.th import pin

from pocketbook.households import national_id
from pocketbook.households.models import Household, Member

HOME_VILLAGE = "92010101"


def make_national_id(first_twelve: str) -> str:
    """Complete twelve digits with their check digit."""
    return first_twelve + pin.calc_check_digit(first_twelve)


THAI_CONSONANTS = "กขคงจฉชซญดตถทนบปผพฟมยรลวสหอฮ"


def letters_for(number: int) -> str:
    """A distinct run of Thai consonants for each number: names hold letters only."""
    text = ""
    while True:
        number, digit = divmod(number, len(THAI_CONSONANTS))
        text = THAI_CONSONANTS[digit] + text
        if number == 0:
            return text


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    area_code = HOME_VILLAGE
    house_no = factory.Sequence(lambda n: f"{n + 1}/1")
    has_consent = True


class MemberFactory(factory.django.DjangoModelFactory):
    """`MemberFactory(household=h, national_id="1101700203451")` stores the ID encrypted and hashed."""

    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    first_name = factory.Sequence(lambda n: f"สมชาย{letters_for(n)}")
    last_name = "ใจดี"
    sex = "M"
    birth_date = dt.date(1980, 5, 17)
    relation = "head"
    no_id_reason = "not_yet_registered"
    national_id = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        number = kwargs.pop("national_id", "")
        if number:
            stored = national_id.protect(national_id.validate(number))
            kwargs.update(
                national_id_encrypted=stored.encrypted,
                national_id_hash=stored.lookup_hash,
                national_id_last_digit=stored.last_digit,
                no_id_reason="",
            )
        return super()._create(model_class, *args, **kwargs)
