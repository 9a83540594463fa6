"""The cases demo: agencies of Trang, the provincial fund with 2566–2569 budgets, cases in every state; idempotent."""

from __future__ import annotations

import random

import pytest

from pocketbook.assessments import demo as assessments_demo
from pocketbook.cases import demo
from pocketbook.cases.models import Agency, Assistance, Case, FundBudget, Referral, ReferralLinkUse
from pocketbook.households import demo as households_demo

pytestmark = pytest.mark.django_db


class Context:
    def __init__(self, users):
        self.rng = random.Random(2566)
        self.province_code = "92"
        self.size = "default"
        self.households = 30
        self.users = users
        self.village_codes = ["92010101", "92010102"]
        self.extra = {}
        self.lines = []
        self.write = self.lines.append


def test_demo_makes_cases_in_every_state_and_running_again_changes_nothing(
    volunteer, social_worker, manager, administrator
):
    users = {
        "volunteer": volunteer,
        "social_worker": social_worker,
        "manager": manager,
        "administrator": administrator,
    }
    households_demo.seed(Context(users))
    assessments_demo.seed(Context(users))
    demo.seed(Context(users))
    counts = (Agency.objects.count(), Case.objects.count(), Referral.objects.count(), Assistance.objects.count())
    demo.seed(Context(users))
    assert (
        Agency.objects.count(),
        Case.objects.count(),
        Referral.objects.count(),
        Assistance.objects.count(),
    ) == counts
    assert Agency.objects.count() == 13
    assert sorted(FundBudget.objects.values_list("fiscal_year", flat=True)) == [2566, 2567, 2568, 2569]
    assert set(Case.objects.values_list("status", flat=True)) == {"open", "helped", "self_resolved", "closed"}
    assert set(Case.objects.values_list("stage", flat=True)) == {
        "new",
        "plan",
        "referred",
        "assisting",
        "follow_up",
        "closed",
    }
    assert set(Case.objects.exclude(outcome="").values_list("outcome", flat=True)) == {"moved_away", "died", "refused"}
    assert set(Referral.objects.values_list("status", flat=True)) == {"sent", "accepted", "declined", "done"}
    assert ReferralLinkUse.objects.filter(action="answered").count() == 4
    assert Assistance.objects.count() == 3
