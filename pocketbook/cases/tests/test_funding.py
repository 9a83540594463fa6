"""The cases app offers its funds through core's funding sources registry (volunteers' training projects)."""

import pytest

from pocketbook.core.funding import FundingSource, funding_choices, funding_source_find, funding_source_get

pytestmark = pytest.mark.django_db


def test_the_viewers_active_funds_are_offered_by_reference(fund, social_worker, volunteer):
    # given
    reference = f"cases.fund:{fund.pk}"
    source = FundingSource(reference, "กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง")
    # when / then: a social worker may see funds; a volunteer may not
    assert funding_choices(viewer=social_worker) == [source]
    assert funding_source_get(viewer=social_worker, reference=reference) == source
    assert funding_choices(viewer=volunteer) == []
    assert funding_source_get(viewer=volunteer, reference=reference) is None
    assert funding_source_get(viewer=social_worker, reference="cases.fund:abc") is None
    assert funding_source_find(name="กองทุนส่งเสริมการจัดสวัสดิการสังคมจังหวัดตรัง") == source


def test_a_fund_out_of_the_viewers_areas_or_inactive_is_not_offered(fund, other_province_worker, social_worker):
    # given
    fund.is_active = False
    fund.save()
    # when / then
    assert funding_choices(viewer=social_worker) == []
    fund.is_active = True
    fund.save()
    assert funding_choices(viewer=other_province_worker) == []
