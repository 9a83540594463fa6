import random

from pocketbook.households import demo
from pocketbook.households.models import Household, Member


class Context:
    def __init__(self, volunteer):
        self.rng = random.Random(7)
        self.households = 12
        self.village_codes = ["92010101", "92010102"]
        self.users = {"volunteer": volunteer}
        self.province_code = "92"
        self.lines = []
        self.write = self.lines.append


def test_demo_seeds_households_with_members_deterministically_and_idempotently(volunteer):
    # when
    demo.seed(Context(volunteer))
    first = list(Member.objects.order_by("id").values_list("first_name", "birth_date", "national_id_hash"))
    demo.seed(Context(volunteer))
    # then
    assert Household.objects.count() == 12
    assert Member.objects.filter(relation="head").count() == 12
    assert list(Member.objects.order_by("id").values_list("first_name", "birth_date", "national_id_hash")) == first
    assert Household.objects.filter(volunteer=volunteer).count() == 12
