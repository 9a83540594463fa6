"""The list-export registry: one definition per key, offered at its place, in order."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from pocketbook.core.exports import Column, ListExport, export_get, export_register, export_unregister, exports_at


def _rows(viewer, filters):
    raise AssertionError("not read here")


PRETEND = ListExport("pretend", "Pretend", "pretend.view_thing", (Column("name"),), _rows, place="pretend_page")
SECOND = ListExport(
    "pretend_two", "Two", "pretend.view_thing", (Column("name"),), _rows, order=1, place="pretend_page"
)


@pytest.fixture(autouse=True)
def _clean():
    yield
    export_unregister("pretend")
    export_unregister("pretend_two")


def test_an_export_is_offered_at_its_place_in_order():
    # given
    export_register(PRETEND)
    export_register(SECOND)
    # when
    offered = exports_at("pretend_page")
    # then
    assert [export.key for export in offered] == ["pretend_two", "pretend"]
    assert export_get("pretend") is PRETEND


def test_another_definition_under_a_registered_key_is_refused_and_the_same_one_again_is_harmless():
    # given
    export_register(PRETEND)
    # when
    export_register(PRETEND)
    # then
    with pytest.raises(ImproperlyConfigured):
        export_register(ListExport("pretend", "Other", "x.y", (), _rows))
    assert export_get("pretend") is PRETEND


def test_every_list_of_the_issue_is_registered():
    # given / when
    keys = {key for key in ("households", "members", "assessments", "cases", "referrals", "assistance", "incidents",
                            "volunteers", "participants") if export_get(key) is not None}  # fmt: skip
    # then
    assert len(keys) == 9
