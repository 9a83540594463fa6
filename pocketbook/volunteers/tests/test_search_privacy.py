"""A search of the volunteer registry by name or phone never travels in a URL (access logs, history, Referer)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pocketbook.volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(db):
    VolunteerFactory(first_name="สมใจ", last_name="อาสา", phone="0812345678")
    VolunteerFactory(first_name="มานี", last_name="ใจดี", phone="0899999999")


def test_a_posted_search_redirects_to_an_address_without_the_name(client, social_worker, registry):
    # given
    client.force_login(social_worker)

    # when
    response = client.post(reverse("volunteers:volunteer_list"), {"q": "0812345678", "status": ""})

    # then: the address carries an encrypted token, not the phone number
    assert response.status_code == 302
    assert "0812345678" not in response["Location"]
    assert "q=" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "สมใจ" in page
    assert "มานี" not in page
    assert 'method="post"' in page


def test_the_live_search_is_posted_and_answers_the_rows(client, social_worker, registry):
    client.force_login(social_worker)

    response = client.post(reverse("volunteers:volunteer_list"), {"q": "มานี"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "มานี" in response.content.decode()
    assert "สมใจ" not in response.content.decode()


def test_a_name_written_into_the_url_is_not_used_as_a_search(client, social_worker, registry):
    client.force_login(social_worker)

    page = client.get(reverse("volunteers:volunteer_list") + "?q=สมใจ").content.decode()

    assert "สมใจ" in page
    assert "มานี" in page


def test_the_pager_links_carry_no_name(client, social_worker, settings):
    # given: more volunteers named alike than fit one page
    from pocketbook.volunteers.views import PAGE_SIZE

    for number in range(PAGE_SIZE + 1):
        VolunteerFactory(first_name=f"สมศรี{number:03d}")
    client.force_login(social_worker)
    found = client.post(reverse("volunteers:volunteer_list"), {"q": "สมศรี"})

    # when
    page = client.get(found["Location"]).content.decode()

    # then
    assert "page=2" in page
    assert "q=%E0" not in page
    assert "สมศรี" not in page.split('class="pager"')[1].split("</nav>")[0]


@pytest.fixture
def training(db):
    from pocketbook.volunteers.tests.factories import ParticipantFactory, SessionFactory

    session = SessionFactory()
    ParticipantFactory(project=session.project, first_name="สมใจ", last_name="อาสา", role="volunteer")
    ParticipantFactory(project=session.project, first_name="มานี", last_name="ใจดี", role="speaker")
    return session


def test_the_participants_search_is_posted_and_redirects_without_the_name(client, social_worker, training):
    # given
    client.force_login(social_worker)
    project_url = reverse("volunteers:project_detail", args=[training.project.pk])
    # when
    response = client.post(project_url, {"q": "สมใจ", "role": ""})
    # then
    assert response.status_code == 302
    assert "สมใจ" not in response["Location"]
    assert "q=" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "สมใจ อาสา" in page
    assert "มานี ใจดี" not in page
    assert 'method="post" class="vo-row" role="search"' in page
    # and a name written into the address is not used as a search
    both = client.get(project_url + "?q=สมใจ").content.decode()
    assert "สมใจ อาสา" in both
    assert "มานี ใจดี" in both


def test_the_check_in_tick_list_search_is_posted(client, social_worker, training):
    # given
    client.force_login(social_worker)
    list_url = reverse("volunteers:check_in_list", args=[training.pk])
    # when the page's search box posts what was typed
    found = client.post(list_url, {"q": "มานี"}, HTTP_HX_REQUEST="true").content.decode()
    # then
    assert "มานี ใจดี" in found
    assert "สมใจ อาสา" not in found
    # and the page's controls post to the list, none carries a search in an address
    page = client.get(reverse("volunteers:check_in", args=[training.pk])).content.decode()
    assert f'hx-post="{list_url}"' in page
    assert f'hx-get="{list_url}"' not in page
    assert "สมใจ อาสา" in client.get(list_url + "?q=มานี").content.decode()
