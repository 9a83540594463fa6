import pytest
from django.core.management import call_command
from django.utils import translation

from pocketbook.geo import selectors
from pocketbook.geo.models import District, Province, Subdistrict

pytestmark = pytest.mark.django_db


def test_the_whole_country_is_loaded():
    assert (Province.objects.count(), District.objects.count(), Subdistrict.objects.count()) == (77, 928, 7436)


def test_trang_has_thai_and_english_names_and_postal_codes():
    subdistrict = Subdistrict.objects.select_related("district__province").get(code="920101")
    assert (subdistrict.name_th, subdistrict.district.province.name_th) == ("ทับเที่ยง", "ตรัง")
    assert subdistrict.name_en
    assert subdistrict.postal_codes == "92000"


def test_loading_again_changes_nothing(capsys):
    # when
    call_command("load_geography")
    # then
    assert (Province.objects.count(), District.objects.count(), Subdistrict.objects.count()) == (77, 928, 7436)
    assert "77 provinces, 928 districts, 7436 subdistricts" in capsys.readouterr().out


def test_area_get_knows_every_level_and_rejects_unknown_codes():
    assert selectors.area_get("92").level == "province"
    assert selectors.area_get("9201").level == "district"
    assert selectors.area_get("920101").path_th == "อ.เมืองตรัง จ.ตรัง"
    assert selectors.area_get("99") is None
    assert selectors.area_get("92x1") is None
    assert selectors.area_get("12345") is None


def test_search_finds_areas_in_thai_and_english():
    with translation.override("th"):
        assert "920101" in [a.code for a in selectors.area_search("ทับเที่ยง")]
    english = selectors.area_search(Subdistrict.objects.get(code="920101").name_en)
    assert "920101" in [a.code for a in english]
    assert selectors.area_search("") == []


def test_search_within_an_area_keeps_to_it():
    results = selectors.area_search("เมือง", within="92", limit=20)
    assert results
    assert all(a.code.startswith("92") for a in results)


def test_areas_get_looks_up_many_codes_in_one_query_per_level(django_assert_max_num_queries):
    from pocketbook.geo.services import village_create

    codes = {"92", "9201", "920101", "920104"}
    for number in range(1, 6):
        codes.add(village_create(subdistrict_code="920101", number=number, name=f"v{number}", actor=None).code)
    with django_assert_max_num_queries(4):
        found = selectors.areas_get(codes | {"99999999", "bad"})
    assert set(found) == codes
    assert found["92010103"].path_th == "ต.ทับเที่ยง อ.เมืองตรัง จ.ตรัง"


def test_village_create_refuses_a_subdistrict_outside_the_actors_areas_like_a_missing_one(administrator):
    from pocketbook.audit.models import ObjectChange
    from pocketbook.geo.models import Village
    from pocketbook.geo.services import village_create

    # the check sits in the service, so pages, the API, commands and tasks cannot differ
    with pytest.raises(Subdistrict.DoesNotExist):
        village_create(subdistrict_code="500101", number=3, name="บ้านเชียงใหม่", actor=administrator)
    assert not Village.objects.exists()
    assert not ObjectChange.objects.exists()
    village = village_create(subdistrict_code="920101", number=3, name="บ้านตรัง", actor=administrator)
    assert village.code == "92010103"
