"""Every read of households, members, consent and the timeline; always given the viewer."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.audit.services import record_access, record_access_many
from pocketbook.core.search import prefix_q
from pocketbook.geo.selectors import village_condition
from pocketbook.households import national_id
from pocketbook.households.choices import MemberStatus
from pocketbook.households.models import Consent, Household, HouseholdEvent, HouseholdPhoto, Member
from pocketbook.households.timeline import kinds_hidden_from

# Each kind of match (house number or key, first name, last name, ID) looks at no more than this many households,
# so a search costs the same in a village and in the country; past that the user types more letters.
SEARCH_LIMIT = 100

# What a list of households shows of its members (Household.head, Member.full_name, counts).
LIST_MEMBER_FIELDS = ("id", "household_id", "status", "relation", "title", "first_name", "last_name")


def member_search_arms(search: str, *, prefix: str = "") -> list[Q]:
    """The conditions a typed search matches members by, each one served by one index.

    A 13-digit ID matches by its keyed hash; two or more words match first name and last-name prefix; one word
    matches a first-name prefix or a last-name prefix (two arms, so neither needs the other's index).
    """
    text = " ".join((search or "").split())
    if not text:
        return []
    digits = national_id.normalize(text)
    if digits.isdigit() and len(digits) == 13:
        lookup = national_id.lookup_hash(digits)
        return [Q(**{f"{prefix}national_id_hash": lookup or "-"})]
    parts = text.split(" ")
    if len(parts) >= 2:
        return [Q(**{f"{prefix}first_name": parts[0]}) & prefix_q(f"{prefix}last_name", " ".join(parts[1:]))]
    return [prefix_q(f"{prefix}first_name", text), prefix_q(f"{prefix}last_name", text)]


def member_search_q(search: str, *, prefix: str = "") -> Q | None:
    """Members matching a typed search: a 13-digit ID (by hash) or a name prefix (first, last, or both)."""
    arms = member_search_arms(search, prefix=prefix)
    if not arms:
        return None
    condition = arms[0]
    for arm in arms[1:]:
        condition |= arm
    return condition


def household_list(
    *,
    viewer: AnyUser,
    search: str = "",
    area_code: str = "",
    status: str = "",
    volunteer: User | None = None,
    mine_only: bool = False,
    village: str = "",
) -> QuerySet[Household]:
    """Households the viewer may see, optionally searched by name, house number or national ID, and by village
    (its name, หมู่ number or an area code: geo.village_condition)."""
    households = Household.objects.for_user(viewer, "view")
    if area_code:
        households = households.filter(area_code__startswith=area_code)
    if village:
        households = households.filter(village_condition(viewer=viewer, field="area_code", text=village))
    if status:
        households = households.filter(status=status)
    if volunteer is not None:
        households = households.filter(volunteer=volunteer)
    elif mine_only:
        households = households.filter(volunteer_id=viewer.pk)
    text = " ".join((search or "").split())
    if text:
        households = households.filter(_matching(viewer=viewer, scoped=households, text=text))
    # A list row shows the head's name and counts the members; the other member columns stay in the database.
    active_members = Member.objects.filter(status=MemberStatus.ACTIVE).order_by("id").only(*LIST_MEMBER_FIELDS)
    return households.select_related("volunteer").prefetch_related(Prefetch("members", queryset=active_members))


def _search_arms(
    *, viewer: AnyUser, scoped: QuerySet[Household], text: str
) -> list[QuerySet[Household, int] | QuerySet[Member, int]]:
    """One bounded query per way a household can match, each served by its own index.

    An OR across arms would make PostgreSQL build a bitmap of every match in the country before the limit; one
    arm at a time, each index scan stops after SEARCH_LIMIT rows.
    """
    households = scoped.order_by().values_list("id", flat=True)
    # "NOT household_key = ''" repeats the condition of the key's (partial) unique index, so SQLite may use it.
    by_key = households.filter(household_key=text).exclude(household_key="")
    members = Member.objects.for_user(viewer, "view").filter(status=MemberStatus.ACTIVE).order_by()
    return [households.filter(house_no=text)[:SEARCH_LIMIT], by_key[:SEARCH_LIMIT]] + [
        members.filter(arm).values_list("household_id", flat=True)[:SEARCH_LIMIT] for arm in member_search_arms(text)
    ]


def _matching(*, viewer: AnyUser, scoped: QuerySet[Household], text: str) -> Q:
    """Households matching a search, as a condition on their primary key.

    The matches are a set the database joins, so the few households are fetched by primary key and sorted; with
    `id IN (1, 2, ...)` and the page's ORDER BY area_code ... LIMIT, PostgreSQL may instead walk the area index in
    order testing each household against the list (the fewer the matches, the longer the walk). PostgreSQL takes
    the arms as one UNION inside the page's query (one round trip); SQLite allows no LIMIT inside a UNION, so its
    arms run first (in-process, no round trip to speak of) and their ids go in as one JSON array.
    """
    arms = _search_arms(viewer=viewer, scoped=scoped, text=text)
    if connection.features.supports_slicing_ordering_in_compound:
        return Q(pk__in=arms[0].union(*arms[1:]))
    ids = sorted({pk for arm in arms for pk in arm})
    return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),)))


def household_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Household:
    """One household the viewer may see; raise Household.DoesNotExist when missing or out of the viewer's areas."""
    return Household.objects.for_user(viewer, action).select_related("volunteer").get(pk=pk)


def household_photos(*, viewer: AnyUser, household: Household) -> list[HouseholdPhoto]:
    """The photos of a household the viewer may see (none when the household is out of the viewer's areas)."""
    if not Household.objects.for_user(viewer, "view").filter(pk=household.pk).exists():
        return []
    return list(HouseholdPhoto.objects.filter(household_id=household.pk))


def household_photo_get(*, viewer: AnyUser, pk: int, action: str = "view") -> HouseholdPhoto:
    """One photo of a household the viewer may `action`; raise HouseholdPhoto.DoesNotExist otherwise."""
    household_ids = Household.objects.for_user(viewer, action).values("pk")
    return HouseholdPhoto.objects.select_related("household").get(pk=pk, household_id__in=household_ids)


def household_photo_open(*, viewer: AnyUser, pk: int) -> HouseholdPhoto:
    """Fetch a photo to show it and write the read to the access log (a photo of a home is personal data)."""
    photo = household_photo_get(viewer=viewer, pk=pk)
    record_access(obj=photo, actor=viewer, purpose="household photo")
    return photo


def household_open(*, viewer: AnyUser, pk: int, purpose: str = "household page") -> Household:
    """Fetch a household to show it (its page, its printed pocketbook) and write the read to the access log."""
    household = household_get(viewer=viewer, pk=pk)
    if household.has_consent:
        record_access(obj=household, actor=viewer, purpose=purpose)
    return household


def member_list(
    *, viewer: AnyUser, household: Household | None = None, include_former: bool = False, search: str = ""
) -> QuerySet[Member]:
    """Members the viewer may see, of one household or all."""
    members = Member.objects.for_user(viewer, "view").select_related("household")
    if household is not None:
        members = members.filter(household=household)
    if not include_former:
        members = members.filter(status=MemberStatus.ACTIVE)
    if search and (condition := member_search_q(search)) is not None:
        members = members.filter(condition)
    return members.order_by("household_id", "id")


def member_get(*, viewer: AnyUser, pk: int, action: str = "view") -> Member:
    """One member the viewer may see; raise Member.DoesNotExist otherwise."""
    return Member.objects.for_user(viewer, action).select_related("household").get(pk=pk)


def member_open(*, viewer: AnyUser, pk: int, purpose: str, action: str = "view") -> Member:
    """Fetch one person's record to show it, and write the read to the access log (PDPA)."""
    member = member_get(viewer=viewer, pk=pk, action=action)
    if member.household.has_consent:
        record_access(obj=member, actor=viewer, purpose=purpose)
    return member


def members_read(*, viewer: AnyUser, members: list[Member], purpose: str) -> list[Member]:
    """Write the reads of a list of people's records (an API page of members) to the access log at once."""
    record_access_many(objs=[m for m in members if m.household.has_consent], actor=viewer, purpose=purpose)
    return members


def member_by_national_id(*, viewer: AnyUser, number: str) -> Member | None:
    """The active member with this national ID in the viewer's areas, found through the keyed hash."""
    lookup = national_id.lookup_hash(number)
    if lookup is None:
        return None
    return (
        Member.objects.for_user(viewer, "view")
        .filter(national_id_hash=lookup, status=MemberStatus.ACTIVE)
        .select_related("household")
        .first()
    )


def member_ids_visible(*, viewer: User, pks: list[int]) -> set[int]:
    """Which of these members the viewer may see (for example among possible duplicates across areas)."""
    return set(Member.objects.for_user(viewer, "view").filter(pk__in=pks).values_list("pk", flat=True))


def household_timeline(*, viewer: AnyUser, household: Household, limit: int = 100) -> list[HouseholdEvent]:
    """The household's timeline, newest first, without the kinds of entry this viewer may not see."""
    return list(
        HouseholdEvent.objects.for_user(viewer, "view")
        .filter(household=household)
        .exclude(kind__in=kinds_hidden_from(viewer))
        .select_related("actor")
        .order_by("-time", "-id")[:limit]
    )


def consent_current(*, viewer: AnyUser, household: Household) -> Consent | None:
    """The consent in force for the household, or None (also when the household is out of the viewer's areas)."""
    consents = Consent.objects.for_user(viewer, "view").filter(household=household, withdrawn_at__isnull=True)
    return consents.order_by("-given_at").first()


def consent_history(*, viewer: AnyUser, household: Household) -> list[Consent]:
    """Every consent of the household, newest first ([] when the household is out of the viewer's areas)."""
    consents = Consent.objects.for_user(viewer, "view").filter(household=household)
    return list(consents.select_related("recorded_by").order_by("-given_at", "-id"))


def move_targets(*, viewer: AnyUser, member: Member, search: str = "") -> QuerySet[Household]:
    """Households a member could move to: active, in the viewer's areas, not the member's own."""
    return household_list(viewer=viewer, search=search, status="active").exclude(pk=member.household_id)[:20]
