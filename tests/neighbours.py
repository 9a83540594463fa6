"""What the neighbour-access tests share: who the neighbours are, their own households, and how a refusal looks.

The home household lives in ต.ทับเที่ยง (920101, fixture `home` in tests/conftest.py). The neighbours work in
ต.นาพละ (920104, the same district) and ต.กันตัง (920201, another district of the same province).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pocketbook.households import services
from pocketbook.households.models import Household
from pocketbook.households.services import HouseholdInput
from pocketbook.households.tests.factories import make_national_id

NEIGHBOURS = [
    "neighbour_volunteer",
    "neighbour_social_worker",
    "district_neighbour_volunteer",
    "district_neighbour_social_worker",
]
# The office roles too: a manager of another district of the province.
NEIGHBOURS_AND_MANAGER = [*NEIGHBOURS, "district_neighbour_manager"]
OFFICE_NEIGHBOURS = ["neighbour_social_worker", "district_neighbour_social_worker", "district_neighbour_manager"]
HOME_VILLAGE = "92010101"
NEIGHBOUR_VILLAGES = {"920104": "92010401", "920201": "92020101", "9202": "92020101"}
NATIONAL_ID = make_national_id("310990054321")


def own_household(user: Any) -> Household:
    """A household in the neighbour's own area (to mix with the home household's records, or to move into)."""
    village = NEIGHBOUR_VILLAGES[user.area_codes()[0]]
    return services.household_create(data=HouseholdInput(area_code=village, house_no="1"), actor=user)


def page_date(day: dt.date) -> str:
    """A date as the pages' forms take it: day/month/Buddhist year."""
    return f"{day.day}/{day.month}/{day.year + 543}"


def still_in_their_care(household: Household, user: Any) -> None:
    """The household still names the neighbour as its volunteer in charge (they moved away): the area alone keeps
    them out, not the volunteer-only rule "the households I look after"."""
    Household.objects.filter(pk=household.pk).update(volunteer=user)


def send(client: Any, method: str, url: str, data: dict[str, Any]) -> Any:
    """POST a page's form, or send an API call's JSON body."""
    if url.startswith("/api/"):
        return getattr(client, method)(url, data, content_type="application/json")
    return client.post(url, data)


def read_statuses(client: Any, user: Any, urls: list[str]) -> dict[str, int]:
    """{url: status} of each page or endpoint, read by `user`."""
    client.force_login(user)
    return {url: client.get(url).status_code for url in urls}


def answers(client: Any, requests: list[tuple[str, str, dict[str, Any]]]) -> dict[str, int]:
    """{"post /url": status} of each write."""
    return {f"{method} {url}": send(client, method, url, data).status_code for method, url, data in requests}


def not_refused(statuses: dict[str, int]) -> dict[str, int]:
    """The requests that were answered as if the record were there to see or change (neither 403 nor 404)."""
    return {key: status for key, status in statuses.items() if status not in (403, 404)}


def refused(statuses: dict[str, int]) -> dict[str, int]:
    """The requests that were answered as missing or forbidden (403 or 404)."""
    return {key: status for key, status in statuses.items() if status in (403, 404)}
