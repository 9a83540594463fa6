"""Every read of the offline app: the caseload a volunteer's phone keeps, with what the phone needs to work alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from pocketbook.accounts.http import AnyUser
from pocketbook.accounts.models import User
from pocketbook.assessments import selectors as assessment_selectors
from pocketbook.assessments.facts import household_facts, snapshot_members
from pocketbook.assessments.forms import DimensionStepForm
from pocketbook.assessments.messages import STATUS_WORDS
from pocketbook.assessments.models import Assessment, IndicatorSet
from pocketbook.audit.services import record_access_many
from pocketbook.geo.selectors import area_children, areas_get
from pocketbook.households.choices import ConsentPurpose, HouseholdStatus, MemberStatus, NoIdReason, Relation, Sex
from pocketbook.households.models import Household, Member
from pocketbook.offline import editable
from pocketbook.offline.models import OfflineDevice, SyncConflict
from pocketbook.offline.services import household_fields, household_version, member_fields, member_version

# A caseload is a volunteer's own households: tens, rarely hundreds. The cap keeps a misassigned bulk off a phone.
CASELOAD_LIMIT = 300

# What else travels with each household of the caseload (the volunteers app's visit schedule, registered by
# OfflineConfig.ready()): key -> function (viewer, households) -> {household id: JSON value}.
CaseloadExtra = Callable[[User, Sequence[Household]], dict[int, Any]]
_caseload_extras: dict[str, CaseloadExtra] = {}


def caseload_extra_register(key: str, values: CaseloadExtra) -> None:
    """Add a JSON value to each household of the phone's caseload (e.g. "visits"); registered in ready()."""
    if _caseload_extras.get(key, values) is not values:
        raise ImproperlyConfigured(f"caseload extra {key!r} registered twice")
    _caseload_extras[key] = values


def caseload_extra_unregister(key: str) -> None:
    """Take an extra away again (tests that register their own)."""
    _caseload_extras.pop(key, None)


def caseload_households(*, viewer: AnyUser) -> list[Household]:
    """The viewer's own active households (those they are the volunteer of), within their areas."""
    active_members = Member.objects.filter(status=MemberStatus.ACTIVE).order_by("id")
    return list(
        Household.objects.for_user(viewer, "view")
        .filter(volunteer_id=viewer.pk, status=HouseholdStatus.ACTIVE)
        .prefetch_related(Prefetch("members", queryset=active_members))
        .order_by("area_code", "house_no", "id")[:CASELOAD_LIMIT]
    )


def _member_json(member: Member, number: int) -> dict[str, Any]:
    return {
        "id": member.pk,
        "name": member.full_name or f"#{number}",
        "sex": member.get_sex_display(),
        "age": member.age,
        "relation": member.get_relation_display(),
        "monthly_income": str(member.monthly_income) if member.monthly_income is not None else "",
        "is_studying": member.is_studying,
        "has_occupation_and_income": bool(member.occupation) and (member.monthly_income or 0) > 0,
        "version": member_version(member),
        "form": member_fields(member),
    }


def _latest_json(assessment: Assessment | None, dimension_names: dict[str, str]) -> dict[str, Any] | None:
    if assessment is None:
        return None
    return {
        "id": assessment.pk,
        "assessed_on": assessment.assessed_on.isoformat(),
        "dimensions": [
            {"name": dimension_names.get(key, key), "status": status, "label": str(STATUS_WORDS.get(status, status))}
            for key, status in assessment.dimension_results.items()
        ],
    }


def questionnaire(*, household: Household, members: list[Member], indicator_set: IndicatorSet) -> list[dict]:
    """The New assessment form's questions for this household as data, built by the online form's own code.

    The phone shows them and checks that each is answered; the server checks the whole visit again at sync.
    """
    spec = assessment_selectors.indicator_set_spec(indicator_set)
    snapshot = snapshot_members(members, {})
    facts = household_facts(assessed_on=timezone.localdate(), answers={"household": {}, "members": snapshot})
    names = {str(m.pk): (m.first_name or f"#{i}") for i, m in enumerate(members, 1)}
    steps = []
    for key, name in indicator_set.dimension_names().items():
        form = DimensionStepForm(spec=spec, dimension=key, facts=facts, member_names=names)
        groups = []
        for group in form.groups:
            fields = []
            for bound in group["fields"]:
                scope, member_key, question_key = form.targets[bound.name]
                choices = [(str(value), str(label)) for value, label in getattr(bound.field, "choices", [])]
                fields.append(
                    {
                        "name": bound.name,
                        "label": str(bound.label),
                        "scope": scope,
                        "member": member_key,
                        "key": question_key,
                        "kind": _kind(choices),
                        "choices": choices,
                    }
                )
            groups.append({"number": group["number"], "text": group["text"], "fields": fields})
        steps.append({"key": key, "name": name, "groups": groups})
    return steps


def _kind(choices: list[tuple[str, str]]) -> str:
    if not choices:
        return "number"
    return "boolean" if [value for value, _label in choices] == ["yes", "no"] else "choice"


def _choices(choices: Any) -> list[list[str]]:
    return [[str(value), str(label)] for value, label in choices]


def _areas_for_new_households(viewer: User) -> list[list[str]]:
    """The villages (or subdistricts) the viewer may register a household in."""
    codes = viewer.area_codes()
    areas: list[list[str]] = []
    for code, area in sorted(areas_get(codes).items()):
        if area.level == "village":
            areas.append([code, area.name])
        elif area.level == "subdistrict":
            areas.extend([child.code, child.name] for child in area_children(code))
            areas.append([code, area.name])
    return areas[:200]


def caseload_for(*, viewer: User) -> dict[str, Any]:
    """What the phone keeps: the viewer's own households with members, latest assessment and questions."""
    households = caseload_households(viewer=viewer)
    try:
        indicator_set: IndicatorSet | None = assessment_selectors.indicator_set_current()
    except IndicatorSet.DoesNotExist:
        indicator_set = None
    dimension_names = indicator_set.dimension_names() if indicator_set else {}
    latest = {
        a.household_id: a for a in Assessment.objects.filter(household__in=[h.pk for h in households], is_latest=True)
    }
    extras = {key: values(viewer, households) for key, values in _caseload_extras.items()}
    rows = []
    every_member: list[Member] = []
    for household in households:
        members = household.active_members()
        every_member.extend(members)
        row = {
            "id": household.pk,
            "label": str(household),
            "version": household_version(household),
            "area_code": household.area_code,
            "has_consent": household.has_consent,
            **household_fields(household),
            "members": [_member_json(m, i) for i, m in enumerate(members, 1)],
            "latest_assessment": _latest_json(latest.get(household.pk), dimension_names),
            "questions": (
                questionnaire(household=household, members=members, indicator_set=indicator_set)
                if indicator_set is not None and members
                else []
            ),
        }
        for key, values in extras.items():
            row[key] = values.get(household.pk)
        rows.append(row)
    record_access_many(objs=every_member, actor=viewer, purpose="offline caseload")
    area_names = areas_get({h.area_code for h in households})
    for row in rows:
        area = area_names.get(row["area_code"])
        row["area_name"] = area.name if area else row["area_code"]
    return {
        "user": {"id": viewer.pk, "name": viewer.get_short_name() or viewer.username},
        "generated_at": timezone.now().isoformat(),
        "max_days_without_sign_in": settings.OFFLINE_MAX_DAYS_WITHOUT_SIGN_IN,
        "indicator_set": indicator_set.code if indicator_set else None,
        "households": rows,
        "settled_records": settled_records(viewer=viewer),
        "member_form": editable.member_form_spec(),
        "areas": _areas_for_new_households(viewer),
        "choices": {
            "sex": _choices(Sex.choices),
            "relation": _choices(Relation.choices),
            "no_id_reason": _choices(NoIdReason.choices),
            "consent_purposes": _choices(ConsentPurpose.choices),
        },
    }


def device_list(*, viewer: AnyUser) -> list[OfflineDevice]:
    """The phones the viewer may see and revoke (their own, or everyone's for an office role)."""
    if not isinstance(viewer, User):
        return []
    devices = OfflineDevice.objects.select_related("user")
    if not viewer.has_perm("offline.view_offlinedevice"):
        devices = devices.filter(user=viewer)
    return list(devices[:500])


# --- conflicting edits from phones, for the office -----------------------------------------------

CONFLICT_PAGE_LIMIT = 100
# A phone drops the outbox records whose conflicts were resolved this recently (it may be offline for a while).
SETTLED_DAYS = 60


@dataclass(frozen=True)
class ConflictView:
    """One open conflict as the office page shows it: the record, its household and member, both versions."""

    conflict: SyncConflict
    household: Household
    member: Member | None
    rows: list[editable.ConflictRow]
    area_name: str


def _open_conflicts(viewer: AnyUser) -> QuerySet[SyncConflict]:
    return SyncConflict.objects.for_user(viewer, "change").filter(status=SyncConflict.Status.OPEN)


def conflict_open_count(user: AnyUser) -> int | None:
    """The menu's number beside Conflicting edits: the open ones in the user's areas (None when none)."""
    return _open_conflicts(user).count() or None


def conflict_rows(conflict: SyncConflict) -> list[editable.ConflictRow]:
    """The phone's changed fields beside the office's values now, as users read them."""
    if conflict.member is not None:
        return editable.conflict_rows(
            model=Member,
            phone=conflict.phone_fields,
            office=editable.member_values(conflict.member),
            phone_id_last_digit=conflict.phone_national_id_last_digit,
            office_id_last_digit=conflict.member.national_id_last_digit,
        )
    return editable.conflict_rows(
        model=Household, phone=conflict.phone_fields, office=editable.household_values(conflict.household)
    )


def conflict_list(*, viewer: AnyUser) -> list[ConflictView]:
    """The open conflicting edits in the viewer's areas, oldest first, each with both versions field by field."""
    conflicts = list(
        _open_conflicts(viewer)
        .select_related("household", "member", "user")
        .order_by("created_at", "id")[:CONFLICT_PAGE_LIMIT]
    )
    record_access_many(
        objs=[c.member for c in conflicts if c.member is not None], actor=viewer, purpose="conflicting edits page"
    )
    areas = areas_get({c.household.area_code for c in conflicts})
    return [
        ConflictView(c, c.household, c.member, conflict_rows(c), _area_name(areas, c.household.area_code))
        for c in conflicts
    ]


def _area_name(areas: dict[str, Any], code: str) -> str:
    area = areas.get(code)
    return area.name if area else code


def conflict_get(*, viewer: AnyUser, pk: int) -> SyncConflict:
    """One conflict the viewer may resolve; outside their areas or role it does not exist (DoesNotExist)."""
    return SyncConflict.objects.for_user(viewer, "change").select_related("household", "member").get(pk=pk)


def settled_records(*, viewer: User) -> list[str]:
    """The ids of the viewer's phone records whose conflicts are resolved: the phone stops waiting on them."""
    since = timezone.now() - dt.timedelta(days=SETTLED_DAYS)
    return [
        str(client_id)
        for client_id in SyncConflict.objects.filter(
            user=viewer, status=SyncConflict.Status.RESOLVED, resolved_at__gte=since
        ).values_list("client_id", flat=True)[:500]
    ]
