"""Every write of the cases app: needs, cases, plan items, referrals, funds, assistance and follow-ups.

Keyword-only, atomic, given the acting user; each records its audit entry and timeline entries itself.
Bad input raises ValidationError naming the field; a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.roles import Role
from pocketbook.assessments.models import Assessment, Indicator
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.core.dates import format_date
from pocketbook.households.choices import ConsentPurpose
from pocketbook.households.models import Consent, Household, Member
from pocketbook.incidents.models import Incident

from . import events, listeners
from .choices import (
    OPEN_PLAN_STATUSES,
    AgencyKind,
    AgencyService,
    AssistanceKind,
    CaseEventKind,
    CaseOutcome,
    CaseStage,
    CaseStatus,
    ContactKind,
    NeedSource,
    NeedStatus,
    PlanItemStatus,
    ReferralStatus,
)
from .models import (
    Agency,
    AgencyArea,
    AgencyContact,
    AgencyServiceOffered,
    Assistance,
    Case,
    FollowUp,
    Fund,
    FundBudget,
    Need,
    PlanItem,
    Referral,
)
from .rules import referral_answer_days, search_key, stale_days

logger = logging.getLogger(__name__)

SUGGEST_BATCH = 5000
MAX_AMOUNT = Decimal("9999999999.99")


class PlanItemConflict(Exception):
    """Someone else saved the plan item since it was read: nothing was saved; `current` is what is stored now."""

    def __init__(self, current: PlanItem) -> None:
        super().__init__(
            _(
                "Someone else changed this plan item while you were editing it. Nothing was saved: "
                "check the current version below and make your change again."
            )
        )
        self.current = current


# --- small guards -----------------------------------------------------------------------------


def _require(actor: Any, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise PermissionDenied


def _require_scope(model: Any, obj: Any, actor: Any, action: str) -> None:
    """Refuse when `obj` lies outside what `actor` may `action` (the services are given fetched objects)."""
    if not model.objects.for_user(actor, action).filter(pk=obj.pk).exists():
        raise PermissionDenied


def _text(value: Any, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValidationError({field: _("%(field)s is required.") % {"field": label}})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("%(field)s is too long: at most %(limit)s characters.") % {"field": label, "limit": max_length}}
        )
    return text


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError({"case": _("The case is closed. Re-open it first.")})


def _audit_update(obj: Any, before: dict[str, Any], actor: Any) -> None:
    record_change(obj=obj, action=Action.UPDATE, actor=actor, before=before)


def parse_amount(value: Any, *, field: str = "amount") -> Decimal:
    """A positive amount in baht with at most two decimals ("1,500.50" is fine)."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("Write the amount in baht as a number, for example 1500 or 1500.50.")}
        ) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than 0 baht.")})
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError({field: _("The amount may have at most two decimals (satang).")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def fiscal_year_be(day: dt.date) -> int:
    """The Thai fiscal year of a date in the Buddhist Era (1 October 2566 starts fiscal year 2567)."""
    return (day.year + 1 if day.month >= 10 else day.year) + 543


# --- needs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestReport:
    households: int
    suggested: int
    met: int


def needs_suggest_for_rescored(household_ids: Sequence[int]) -> None:
    """Follow a re-scoring batch (the assessments listener)."""
    needs_suggest_for_households(household_ids)


def needs_suggest_for_assessment(assessment: Assessment) -> None:
    """Suggest needs from a just-submitted assessment (the assessments listener)."""
    needs_suggest_for_households([assessment.household_id])


def needs_suggest_for_households(household_ids: Sequence[int]) -> SuggestReport:
    """Bring the households' standing needs in line with their latest assessments, set-based.

    A failed indicator without a standing need gets a suggested need; a standing need whose indicator now
    passes is marked met at that assessment. Reads and writes go by batches of households in a few
    queries each, so a re-scoring of a whole province is followed in seconds. One log line, no per-row audit
    (like the re-scoring that calls it, this is the system's own work).
    """
    suggested = met = 0
    ids = list(dict.fromkeys(household_ids))
    indicator_ids: dict[tuple[int, str], int] = {
        (set_id, code): pk for pk, set_id, code in Indicator.objects.values_list("id", "indicator_set_id", "code")
    }
    for start in range(0, len(ids), SUGGEST_BATCH):
        with transaction.atomic():
            batch_suggested, batch_met = _suggest_batch(ids[start : start + SUGGEST_BATCH], indicator_ids)
        suggested += batch_suggested
        met += batch_met
    if len(ids) > 1:
        logger.info("needs: %d households, %d suggested, %d met", len(ids), suggested, met)
    return SuggestReport(len(ids), suggested, met)


def _suggest_batch(household_ids: list[int], indicator_ids: dict[tuple[int, str], int]) -> tuple[int, int]:
    wanted = set(household_ids)
    latest = [row for row in _fetch(_LATEST_RESULTS, household_ids) if row[1] in wanted]
    failed: dict[tuple[int, str], tuple[str, int, int]] = {}
    passed: dict[tuple[int, str], tuple[int, dt.date]] = {}
    for assessment_id, household_id, set_id, assessed_on, results_text in latest:
        if isinstance(assessed_on, str):  # SQLite through a raw cursor
            assessed_on = dt.date.fromisoformat(assessed_on)
        for code, result in orjson.loads(results_text or "{}").items():
            if result.get("status") == "fail":
                failed[household_id, code] = (result.get("dimension", ""), set_id, assessment_id)
            elif result.get("status") == "pass":
                passed[household_id, code] = (assessment_id, assessed_on)
    standing = {
        (household_id, code): (pk, status)
        for pk, household_id, code, status in _fetch(_STANDING_NEEDS, household_ids)
        if household_id in wanted
    }
    now = connection.ops.adapt_datetimefield_value(timezone.now())  # adapted once, not once a row
    new_rows = [
        (
            now,
            now,
            household_id,
            NeedSource.ASSESSMENT,
            NeedStatus.SUGGESTED,
            dimension,
            code,
            indicator_ids.get((set_id, code)),
            assessment_id,
        )
        for (household_id, code), (dimension, set_id, assessment_id) in failed.items()
        if (household_id, code) not in standing
    ]
    met_rows = [
        (
            NeedStatus.DISMISSED if status == NeedStatus.DISMISSED else NeedStatus.MET,
            passed[key][0],
            passed[key][1],
            now,
            pk,
        )
        for key, (pk, status) in standing.items()
        if key in passed
    ]
    # A province's worth of rows: no model instances and no CASE-WHEN updates. PostgreSQL copies the new rows and
    # updates the met ones from one VALUES list per chunk; SQLite runs prepared statements (no round trips there).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _postgresql_write(cursor, new_rows, met_rows)
        else:
            if new_rows:
                cursor.executemany(_NEED_INSERT, new_rows)
            if met_rows:
                cursor.executemany(_NEED_MET_UPDATE, met_rows)
    return len(new_rows), len(met_rows)


def _postgresql_write(cursor: Any, new_rows: list[tuple[Any, ...]], met_rows: list[tuple[Any, ...]]) -> None:
    if new_rows:
        with cursor.cursor.copy(_NEED_COPY) as copy:
            for row in new_rows:
                copy.write_row((*row, "", ""))
    for start in range(0, len(met_rows), 1000):
        chunk = met_rows[start : start + 1000]
        values = ", ".join(["(%s, %s::bigint, %s::date, %s::timestamptz, %s::bigint)"] * len(chunk))
        cursor.execute(
            f"UPDATE {Need._meta.db_table} AS need SET status = v.status, met_assessment_id = v.assessment, "  # noqa: S608 - table names from the models, values bound
            f"met_on = v.day, updated_at = v.stamp FROM (VALUES {values}) AS v(status, assessment, day, stamp, id) "
            "WHERE need.id = v.id",
            [value for row in chunk for value in row],
        )


def _fetch(query: str, household_ids: list[int]) -> list[tuple[Any, ...]]:
    """Rows of `query` for a batch of households: by id range when the ids are dense (a re-scoring's batch, read
    without building a long IN list), else by the list; the caller drops rows of households outside the batch."""
    low, high = min(household_ids), max(household_ids)
    json_text = "::text" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        if high - low < 2 * len(household_ids):
            cursor.execute(query.format(json_text=json_text, households="BETWEEN %s AND %s"), [low, high])
        else:
            marks = ", ".join(["%s"] * len(household_ids))
            cursor.execute(query.format(json_text=json_text, households=f"IN ({marks})"), household_ids)
        return cursor.fetchall()


_LATEST_RESULTS = (
    "SELECT id, household_id, indicator_set_id, assessed_on, indicator_results{json_text} "  # noqa: S608 - table names from the models, values bound
    f"FROM {Assessment._meta.db_table} WHERE is_latest AND household_id {{households}}"
)
_STANDING_NEEDS = (
    f"SELECT id, household_id, indicator_code, status FROM {Need._meta.db_table} "  # noqa: S608 - table names from the models, values bound
    "WHERE met_on IS NULL AND indicator_code <> '' AND household_id {households}"
)
_NEED_INSERT = (
    f"INSERT INTO {Need._meta.db_table} (created_at, updated_at, household_id, source, status, dimension, "  # noqa: S608 - table names from the models, values bound
    "indicator_code, indicator_id, assessment_id, description, dismissed_reason) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '', '')"
)
_NEED_COPY = (
    f"COPY {Need._meta.db_table} (created_at, updated_at, household_id, source, status, dimension, indicator_code, "
    "indicator_id, assessment_id, description, dismissed_reason) FROM STDIN"
)
_NEED_MET_UPDATE = (
    f"UPDATE {Need._meta.db_table} SET status = %s, met_assessment_id = %s, met_on = %s, updated_at = %s WHERE id = %s"  # noqa: S608 - table names from the models, values bound
)


@transaction.atomic
def need_add(
    *,
    household: Household,
    description: str,
    actor: Any,
    dimension: str = "",
    case: Case | None = None,
    incident: Incident | None = None,
) -> Need:
    """Add a need by hand (or from an emergency report); it is accepted at once, into the case when given."""
    _require(actor, "cases.add_need")
    _require_scope(Household, household, actor, "view")
    text = _text(description, field="description", label=_("Description"), max_length=400)
    if dimension and dimension not in DIMENSIONS:
        raise ValidationError({"dimension": _("Choose one of the five dimensions.")})
    if case is not None and case.household_id != household.pk:
        raise ValidationError({"case": _("The case belongs to another household.")})
    need = Need(
        household=household,
        case=case,
        source=NeedSource.INCIDENT if incident is not None else NeedSource.MANUAL,
        status=NeedStatus.ACCEPTED if case is not None else NeedStatus.SUGGESTED,
        dimension=dimension,
        description=text,
        incident=incident,
        created_by=actor,
    )
    need.save()
    record_change(obj=need, action=Action.CREATE, actor=actor)
    if case is not None:
        events.case_event(case=case, kind=CaseEventKind.NEED_ADDED, actor=actor, need_id=need.pk)
    return need


DIMENSIONS = ("health", "living", "education", "income", "access")


@transaction.atomic
def need_dismiss(*, need: Need, reason: str, actor: Any) -> Need:
    """Dismiss a suggested need with a reason; the same failure is not suggested again while it stands."""
    _require(actor, "cases.change_need")
    _require_scope(Need, need, actor, "change")
    if need.status != NeedStatus.SUGGESTED:
        raise ValidationError({"need": _("Only a suggested need can be dismissed.")})
    before = snapshot(need)
    need.dismissed_reason = _text(reason, field="reason", label=_("Reason"), max_length=300)
    need.status = NeedStatus.DISMISSED
    need.save(update_fields=["status", "dismissed_reason", "updated_at"])
    _audit_update(need, before, actor)
    return need


# --- cases ------------------------------------------------------------------------------------


def _check_worker(user: Any, household: Household, *, field: str, role: str) -> None:
    if user is None:
        return
    if not user.is_active or not user.has_role(role) or not user.covers(household.area_code):
        message = (
            _("This person is not a social worker of the household's area.")
            if role == Role.SOCIAL_WORKER
            else _("This person is not a volunteer of the household's area.")
        )
        raise ValidationError({field: message})


@transaction.atomic
def case_open(
    *,
    household: Household,
    title: str,
    actor: Any,
    member: Member | None = None,
    worker: Any = None,
    volunteer: Any = None,
    needs: Iterable[Need] = (),
    incident: Incident | None = None,
) -> Case:
    """Open a case for a household (one open case at a time), taking in the chosen needs."""
    _require(actor, "cases.add_case")
    _require_scope(Household, household, actor, "view")
    title = _text(title, field="title", label=_("Summary"), max_length=200)
    if Case.objects.filter(household=household, status=CaseStatus.OPEN).exists():
        raise ValidationError({"household": _("This household already has an open case.")})
    if member is not None and member.household_id != household.pk:
        raise ValidationError({"member": _("The member belongs to another household.")})
    if worker is None and actor.has_role(Role.SOCIAL_WORKER):
        worker = actor
    _check_worker(worker, household, field="worker", role=Role.SOCIAL_WORKER)
    volunteer = volunteer if volunteer is not None else household.volunteer
    _check_worker(volunteer, household, field="volunteer", role=Role.VOLUNTEER)
    if incident is not None and incident.household_id not in (None, household.pk):
        raise ValidationError({"incident": _("The emergency report concerns another household.")})
    needs = list(needs)
    if any(need.household_id != household.pk or need.case_id is not None for need in needs):
        raise ValidationError({"needs": _("A chosen need belongs to another household or case.")})
    case = Case(
        household=household,
        member=member,
        title=title,
        worker=worker,
        volunteer=volunteer,
        incident=incident,
        opened_by=actor,
    )
    case.save()
    if needs:
        Need.objects.filter(pk__in=[need.pk for need in needs]).update(
            case=case, status=NeedStatus.ACCEPTED, updated_at=timezone.now()
        )
    if incident is not None:
        needs.append(_need_from_incident(case=case, incident=incident, actor=actor))
    record_change(obj=case, action=Action.CREATE, actor=actor)
    events.case_event(
        case=case,
        kind=CaseEventKind.OPENED,
        actor=actor,
        need_ids=[need.pk for need in needs],
        incident_id=incident.pk if incident else None,
    )
    case_refresh(case)
    listeners.case_changed(case)
    return case


def _need_from_incident(*, case: Case, incident: Incident, actor: Any) -> Need:
    """The emergency the incident reported, as the case's first need."""
    text = " — ".join(part for part in (incident.get_incident_type_display(), incident.description) if part)
    need = Need.objects.create(
        household=case.household,
        case=case,
        source=NeedSource.INCIDENT,
        status=NeedStatus.ACCEPTED,
        description=text[:400],
        incident=incident,
        created_by=actor,
    )
    record_change(obj=need, action=Action.CREATE, actor=actor)
    return need


@transaction.atomic
def case_assign(*, case: Case, actor: Any, worker: Any = None, volunteer: Any = None) -> Case:
    """Assign the case to a social worker and a volunteer of the household's area."""
    _require(actor, "cases.change_case")
    _require_scope(Case, case, actor, "change")
    _check_worker(worker, case.household, field="worker", role=Role.SOCIAL_WORKER)
    _check_worker(volunteer, case.household, field="volunteer", role=Role.VOLUNTEER)
    before = snapshot(case)
    case.worker, case.volunteer = worker, volunteer
    case.save(update_fields=["worker", "volunteer", "updated_at"])
    _audit_update(case, before, actor)
    events.case_event(
        case=case,
        kind=CaseEventKind.ASSIGNED,
        actor=actor,
        worker_id=getattr(worker, "pk", None),
        volunteer_id=getattr(volunteer, "pk", None),
    )
    listeners.case_changed(case)
    return case


CLOSING_STATUSES = (CaseStatus.HELPED, CaseStatus.SELF_RESOLVED, CaseStatus.CLOSED)


@transaction.atomic
def case_close(*, case: Case, status: str, actor: Any, outcome: str = "", note: str = "") -> Case:
    """Close a case as helped, resolved by the household, or closed with an outcome.

    Open plan items need a reason (the note); they stay as they are, so re-opening finds them.
    """
    _require(actor, "cases.change_case")
    _require_scope(Case, case, actor, "change")
    _require_open(case)
    if status not in CLOSING_STATUSES:
        raise ValidationError({"status": _("Choose how the case ends.")})
    if status == CaseStatus.CLOSED and outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome: moved away, died, refused or other.")})
    if status != CaseStatus.CLOSED:
        outcome = ""
    note = _text(note, field="note", label=_("Note"), max_length=500, required=False)
    open_items = case.plan_items.filter(status__in=OPEN_PLAN_STATUSES).count()
    if open_items and not note:
        raise ValidationError(
            {"note": _("%(count)s plan items are still open: say why the case closes anyway.") % {"count": open_items}}
        )
    if status == CaseStatus.CLOSED and outcome == CaseOutcome.OTHER and not note:
        raise ValidationError({"note": _("Say what the other outcome is.")})
    before = snapshot(case)
    case.status, case.outcome, case.close_note, case.closed_at = status, outcome, note, timezone.now()
    case.save(update_fields=["status", "outcome", "close_note", "closed_at", "updated_at"])
    _audit_update(case, before, actor)
    events.case_event(
        case=case, kind=CaseEventKind.CLOSED, actor=actor, status=status, outcome=outcome, open_items=open_items
    )
    case_refresh(case)
    listeners.case_changed(case)
    return case


@transaction.atomic
def case_reopen(*, case: Case, reason: str, actor: Any) -> Case:
    """Re-open a closed case, with the reason on its timeline."""
    _require(actor, "cases.change_case")
    _require_scope(Case, case, actor, "change")
    if case.is_open:
        raise ValidationError({"case": _("The case is already open.")})
    reason = _text(reason, field="reason", label=_("Reason"), max_length=300)
    if Case.objects.filter(household_id=case.household_id, status=CaseStatus.OPEN).exists():
        raise ValidationError({"case": _("The household has another open case.")})
    before = snapshot(case)
    case.status, case.outcome, case.closed_at = CaseStatus.OPEN, "", None
    case.last_contact_on = timezone.localdate()
    case.save(update_fields=["status", "outcome", "closed_at", "last_contact_on", "updated_at"])
    _audit_update(case, before, actor)
    events.case_event(case=case, kind=CaseEventKind.REOPENED, actor=actor, reason=reason)
    case_refresh(case)
    listeners.case_changed(case)
    return case


def case_refresh(case: Case) -> None:
    """Recompute the case's stage and the date it needs attention from what exists (called by every service)."""
    stage: str
    attention: dt.date | None
    if not case.is_open:
        stage, attention = CaseStage.CLOSED, None
    else:
        stage = _stage(case)
        candidates: list[dt.date | None] = [case.last_contact_on + dt.timedelta(days=stale_days())]
        candidates.append(
            case.plan_items.filter(status__in=OPEN_PLAN_STATUSES).aggregate(first=Min("due_on"))["first"]
        )
        candidates.append(
            case.referrals.filter(status=ReferralStatus.SENT).aggregate(first=Min("answer_due_on"))["first"]
        )
        last_visit = case.follow_ups.order_by("-visited_on", "-id").values_list("next_visit_on", flat=True).first()
        candidates.append(last_visit)
        attention = min(day for day in candidates if day is not None)
    if (stage, attention) != (case.stage, case.attention_on):
        case.stage, case.attention_on = stage, attention
        Case.objects.filter(pk=case.pk).update(stage=stage, attention_on=attention)


def _stage(case: Case) -> str:
    if case.follow_ups.exists():
        return CaseStage.FOLLOW_UP
    if case.assistance.exists():
        return CaseStage.ASSISTING
    if case.referrals.exclude(status=ReferralStatus.REVOKED).exists():
        return CaseStage.REFERRED
    if case.plan_items.exists():
        return CaseStage.PLAN
    return CaseStage.NEW


# --- plan items -------------------------------------------------------------------------------


def _check_due(due_on: dt.date | None) -> None:
    if due_on is not None and due_on < timezone.localdate() - dt.timedelta(days=365):
        raise ValidationError(
            {"due_on": _("The due date is more than a year ago. Check the year (พ.ศ. = ค.ศ. + 543).")}
        )


@transaction.atomic
def plan_item_add(
    *,
    case: Case,
    action: str,
    actor: Any,
    need: Need | None = None,
    agency: Agency | None = None,
    responsible_user: Any = None,
    due_on: dt.date | None = None,
) -> PlanItem:
    """Add a step to the case's plan."""
    _require(actor, "cases.add_planitem")
    _require_scope(Case, case, actor, "change")
    _require_open(case)
    if need is not None and need.household_id != case.household_id:
        raise ValidationError({"need": _("The need belongs to another household.")})
    _check_due(due_on)
    item = PlanItem(
        case=case,
        need=need,
        action=_text(action, field="action", label=_("Action"), max_length=300),
        agency=agency,
        responsible_user=responsible_user,
        due_on=due_on,
    )
    item.save()
    if need is not None and need.case_id is None:
        Need.objects.filter(pk=need.pk).update(case=case, status=NeedStatus.ACCEPTED, updated_at=timezone.now())
    record_change(obj=item, action=Action.CREATE, actor=actor)
    events.case_event(case=case, kind=CaseEventKind.PLAN_ITEM_ADDED, actor=actor, plan_item_id=item.pk)
    case_refresh(case)
    return item


PLAN_ITEM_FIELDS = ("action", "agency", "responsible_user", "due_on", "status")


@transaction.atomic
def plan_item_update(*, item: PlanItem, version: int, actor: Any, **changes: Any) -> PlanItem:
    """Change a plan item if nobody saved it since `version` was read; else raise PlanItemConflict.

    The version check and the write are one UPDATE, so two workers saving at once cannot both win.
    """
    _require(actor, "cases.change_planitem")
    _require_scope(PlanItem, item, actor, "change")
    _require_open(item.case)
    unknown = set(changes) - set(PLAN_ITEM_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    if "action" in changes:
        changes["action"] = _text(changes["action"], field="action", label=_("Action"), max_length=300)
    if "status" in changes and changes["status"] not in PlanItemStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if "due_on" in changes:
        _check_due(changes["due_on"])
    before = snapshot(item)
    values = {
        ("agency_id" if k == "agency" else "responsible_user_id" if k == "responsible_user" else k): (
            getattr(v, "pk", v) if k in ("agency", "responsible_user") else v
        )
        for k, v in changes.items()
    }
    updated = PlanItem.objects.filter(pk=item.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    item.refresh_from_db()
    if not updated:
        raise PlanItemConflict(item)
    _audit_update(item, before, actor)
    events.case_event(
        case=item.case, kind=CaseEventKind.PLAN_ITEM_CHANGED, actor=actor, plan_item_id=item.pk, fields=sorted(changes)
    )
    case_refresh(item.case)
    return item


# --- referrals --------------------------------------------------------------------------------


def household_consents_to_sharing(household: Household) -> bool:
    """True when the household's current consent covers sharing with agencies to arrange help."""
    consent = Consent.objects.filter(household=household, withdrawn_at__isnull=True).order_by("-given_at").first()
    return consent is not None and ConsentPurpose.ASSISTANCE in consent.purposes


@transaction.atomic
def referral_create(
    *,
    case: Case,
    agency: Agency,
    request: str,
    actor: Any,
    need: Need | None = None,
    consent_override_reason: str = "",
    confirm_outside_area: bool = False,
) -> Referral:
    """Refer the case to an agency for a need.

    Without the household's consent to share with agencies, an override reason is required (and audited).
    An agency that does not cover the household's area is refused until the sender confirms.
    """
    _require(actor, "cases.add_referral")
    _require_scope(Case, case, actor, "change")
    _require_open(case)
    household = case.household
    request = _text(request, field="request", label=_("What we ask of the agency"), max_length=2000)
    if not agency.is_active:
        raise ValidationError({"agency": _("This agency is no longer active.")})
    if need is not None and need.household_id != case.household_id:
        raise ValidationError({"need": _("The need belongs to another household.")})
    override = _text(
        consent_override_reason, field="consent_override_reason", label=_("Reason"), max_length=500, required=False
    )
    if household_consents_to_sharing(household):
        override = ""
    elif not override:
        raise ValidationError(
            {
                "consent_override_reason": _(
                    "The household has not consented to sharing with agencies. "
                    "Give the reason for sending anyway (it is recorded)."
                )
            }
        )
    if not agency.covers(household.area_code) and not confirm_outside_area:
        raise ValidationError(
            {
                "confirm_outside_area": _("%(agency)s does not cover this household's area. Tick to send anyway.")
                % {"agency": agency}
            }
        )
    referral = Referral(
        case=case,
        need=need,
        agency=agency,
        request=request,
        answer_due_on=timezone.localdate() + dt.timedelta(days=referral_answer_days()),
        consent_override_reason=override,
        outside_area_confirmed=not agency.covers(household.area_code),
        reply_nonce=secrets.token_hex(8),
        created_by=actor,
    )
    referral.save()
    if need is not None and need.case_id is None:
        Need.objects.filter(pk=need.pk).update(case=case, status=NeedStatus.ACCEPTED, updated_at=timezone.now())
    record_change(obj=referral, action=Action.CREATE, actor=actor)
    events.case_event(
        case=case,
        kind=CaseEventKind.REFERRAL_SENT,
        actor=actor,
        referral_id=referral.pk,
        agency_id=agency.pk,
        consent_override=bool(override),
    )
    case_refresh(case)
    return referral


ANSWERS: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.DONE),
    ReferralStatus.ACCEPTED: (ReferralStatus.DECLINED, ReferralStatus.DONE),
}


@transaction.atomic
def referral_answer(
    *, referral: Referral, status: str, answered_by_name: str, actor: Any = None, reason: str = "", note: str = ""
) -> Referral:
    """Record the agency's answer: accepted, declined (reason required) or done (note required).

    Called from the reply link (no user: the agency has no account) or by a worker who took the answer by phone.
    """
    if actor is not None:
        _require(actor, "cases.change_referral")
        _require_scope(Referral, referral, actor, "change")
    referral = Referral.objects.select_for_update().select_related("case__household").get(pk=referral.pk)
    if status not in ANSWERS.get(referral.status, ()):
        raise ValidationError({"status": _("This referral cannot take that answer any more.")})
    name = _text(answered_by_name, field="answered_by_name", label=_("Your name"), max_length=200)
    reason = _text(
        reason, field="reason", label=_("Reason"), max_length=500, required=status == ReferralStatus.DECLINED
    )
    note = _text(note, field="note", label=_("Note"), max_length=2000, required=status == ReferralStatus.DONE)
    before = snapshot(referral)
    referral.status, referral.answered_by_name, referral.answered_at = status, name, timezone.now()
    if status == ReferralStatus.DECLINED:
        referral.decline_reason = reason
    if status == ReferralStatus.DONE:
        referral.agency_note = note
    referral.save(
        update_fields=["status", "answered_by_name", "answered_at", "decline_reason", "agency_note", "updated_at"]
    )
    _audit_update(referral, before, actor)
    events.case_event(
        case=referral.case,
        kind=CaseEventKind.REFERRAL_ANSWERED,
        actor=actor,
        referral_id=referral.pk,
        status=status,
        via_link=actor is None,
    )
    case_refresh(referral.case)
    return referral


@transaction.atomic
def referral_revoke(*, referral: Referral, reason: str, actor: Any) -> Referral:
    """Withdraw a referral that is not done; its reply link stops working."""
    _require(actor, "cases.change_referral")
    _require_scope(Referral, referral, actor, "change")
    if referral.status not in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        raise ValidationError({"referral": _("Only a referral that is sent or accepted can be revoked.")})
    before = snapshot(referral)
    referral.revoked_reason = _text(reason, field="reason", label=_("Reason"), max_length=500)
    referral.status = ReferralStatus.REVOKED
    referral.save(update_fields=["status", "revoked_reason", "updated_at"])
    _audit_update(referral, before, actor)
    events.case_event(case=referral.case, kind=CaseEventKind.REFERRAL_REVOKED, actor=actor, referral_id=referral.pk)
    case_refresh(referral.case)
    return referral


# --- funds and assistance ---------------------------------------------------------------------


@transaction.atomic
def fund_create(*, name: str, owner: str, area_code: str, actor: Any) -> Fund:
    """Add a fund serving an area."""
    _require(actor, "cases.add_fund")
    if not actor.covers(area_code):
        raise ValidationError({"area_code": _("The area is outside your areas.")})
    fund = Fund(
        name=_text(name, field="name", label=_("Name"), max_length=200),
        owner=_text(owner, field="owner", label=_("Owner"), max_length=200),
        area_code=area_code,
    )
    fund.full_clean()
    fund.save()
    record_change(obj=fund, action=Action.CREATE, actor=actor)
    return fund


@transaction.atomic
def fund_budget_set(*, fund: Fund, fiscal_year: int, amount: Any, actor: Any) -> FundBudget:
    """Set a fund's budget for a fiscal year (BE); it cannot go below what was already given that year."""
    _require(actor, "cases.change_fundbudget")
    _require_scope(Fund, fund, actor, "change")
    if not isinstance(fiscal_year, int) or not 2500 <= fiscal_year <= 2700:
        raise ValidationError({"fiscal_year": _("Write the fiscal year in the Buddhist Era, for example 2568.")})
    value = Decimal("0") if str(amount).strip() in ("0", "0.00") else parse_amount(amount)
    used = fund_used(fund=fund, fiscal_year=fiscal_year)
    if value < used:
        raise ValidationError(
            {
                "amount": _("%(used)s baht were already given in %(year)s: the budget cannot be less.")
                % {"used": f"{used:,.2f}", "year": fiscal_year}
            }
        )
    budget = FundBudget.objects.filter(fund=fund, fiscal_year=fiscal_year).first()
    if budget is None:
        budget = FundBudget.objects.create(fund=fund, fiscal_year=fiscal_year, amount=value)
        record_change(obj=budget, action=Action.CREATE, actor=actor)
    else:
        before = snapshot(budget)
        budget.amount = value
        budget.save(update_fields=["amount"])
        _audit_update(budget, before, actor)
    return budget


def fund_used(*, fund: Fund, fiscal_year: int) -> Decimal:
    """What a fund has given in a fiscal year, reversals subtracted."""
    total = Assistance.objects.filter(fund=fund, fiscal_year=fiscal_year).aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


@transaction.atomic
def assistance_record(
    *,
    household: Household,
    kind: str,
    amount: Any,
    given_on: dt.date,
    actor: Any,
    fund: Fund | None = None,
    case: Case | None = None,
    member: Member | None = None,
    description: str = "",
) -> Assistance:
    """Record assistance given; from a fund it must fit in the fund's remaining budget for that fiscal year."""
    _require(actor, "cases.add_assistance")
    _require_scope(Household, household, actor, "view")
    if kind not in AssistanceKind.values:
        raise ValidationError({"kind": _("Choose what was given.")})
    value = parse_amount(amount)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date is in the future.")})
    if case is not None and case.household_id != household.pk:
        raise ValidationError({"case": _("The case belongs to another household.")})
    if member is not None and member.household_id != household.pk:
        raise ValidationError({"member": _("The member belongs to another household.")})
    year = fiscal_year_be(given_on)
    if fund is not None:
        _require_scope(Fund, fund, actor, "view")
        _check_budget(fund=fund, fiscal_year=year, amount=value)
    entry = Assistance(
        household=household,
        case=case,
        member=member,
        kind=kind,
        description=_text(description, field="description", label=_("Description"), max_length=300, required=False),
        amount=value,
        fund=fund,
        fiscal_year=year,
        given_on=given_on,
        given_by=actor,
    )
    entry.save()
    record_change(obj=entry, action=Action.CREATE, actor=actor)
    if case is not None:
        events.case_event(
            case=case, kind=CaseEventKind.ASSISTANCE_RECORDED, actor=actor, assistance_id=entry.pk, kind_code=kind
        )
        case_refresh(case)
    return entry


def _check_budget(*, fund: Fund, fiscal_year: int, amount: Decimal) -> None:
    # Lock the year's budget row so two recordings at once cannot both fit in the same remainder.
    budget = FundBudget.objects.select_for_update().filter(fund=fund, fiscal_year=fiscal_year).first()
    if budget is None:
        raise ValidationError(
            {"fund": _("%(fund)s has no budget for fiscal year %(year)s.") % {"fund": fund, "year": fiscal_year}}
        )
    used = fund_used(fund=fund, fiscal_year=fiscal_year)
    remaining = budget.amount - used
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _(
                    "Over budget: %(fund)s has %(budget)s baht for fiscal year %(year)s, %(used)s already "
                    "given, %(remaining)s remaining; this entry asks for %(amount)s."
                )
                % {
                    "fund": fund,
                    "budget": f"{budget.amount:,.2f}",
                    "year": fiscal_year,
                    "used": f"{used:,.2f}",
                    "remaining": f"{remaining:,.2f}",
                    "amount": f"{amount:,.2f}",
                }
            }
        )


@transaction.atomic
def assistance_reverse(*, assistance: Assistance, reason: str, actor: Any) -> Assistance:
    """Undo an entry by a counter-entry with the negative amount and a reason; the entry itself stays."""
    _require(actor, "cases.add_assistance")
    _require_scope(Assistance, assistance, actor, "change")
    reason = _text(reason, field="reason", label=_("Reason"), max_length=300)
    if assistance.is_reversal:
        raise ValidationError({"assistance": _("A reversal cannot be reversed.")})
    if Assistance.objects.filter(reverses=assistance).exists():
        raise ValidationError({"assistance": _("This entry is already reversed.")})
    counter = Assistance(
        household_id=assistance.household_id,
        case=assistance.case,
        member=assistance.member,
        kind=assistance.kind,
        description=assistance.description,
        amount=-assistance.amount,
        fund=assistance.fund,
        fiscal_year=assistance.fiscal_year,
        given_on=timezone.localdate(),
        given_by=actor,
        reverses=assistance,
        reversal_reason=reason,
    )
    counter.save()
    record_change(obj=counter, action=Action.CREATE, actor=actor)
    if assistance.case is not None:
        events.case_event(
            case=assistance.case,
            kind=CaseEventKind.ASSISTANCE_REVERSED,
            actor=actor,
            assistance_id=assistance.pk,
            reversal_id=counter.pk,
        )
    return counter


# --- follow-up --------------------------------------------------------------------------------


@transaction.atomic
def followup_record(
    *, case: Case, visited_on: dt.date, note: str, actor: Any, next_visit_on: dt.date | None = None
) -> FollowUp:
    """Record a follow-up visit and when to visit next; the case is no longer stale."""
    _require(actor, "cases.add_followup")
    _require_scope(Case, case, actor, "view")
    _require_open(case)
    today = timezone.localdate()
    if visited_on > today:
        raise ValidationError({"visited_on": _("The visit date is in the future.")})
    if visited_on < case.opened_on:
        raise ValidationError(
            {
                "visited_on": _("The visit is before the case was opened (%(date)s).")
                % {"date": format_date(case.opened_on)}
            }
        )
    if next_visit_on is not None and next_visit_on <= visited_on:
        raise ValidationError({"next_visit_on": _("The next visit must come after this one.")})
    visit = FollowUp(
        case=case,
        visited_on=visited_on,
        note=_text(note, field="note", label=_("Note"), max_length=2000),
        next_visit_on=next_visit_on,
        visited_by=actor,
    )
    visit.save()
    record_change(obj=visit, action=Action.CREATE, actor=actor)
    if visited_on > case.last_contact_on:
        case.last_contact_on = visited_on
        Case.objects.filter(pk=case.pk).update(last_contact_on=visited_on)
    events.case_event(case=case, kind=CaseEventKind.FOLLOW_UP, actor=actor, follow_up_id=visit.pk)
    case_refresh(case)
    return visit


# --- agencies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyInput:
    name: str
    kind: str
    name_en: str = ""
    address: str = ""
    note: str = ""
    key: str = ""
    services: tuple[str, ...] = ()
    area_codes: tuple[str, ...] = ()
    contacts: tuple[tuple[str, str, str], ...] = ()  # (kind, value, person)


def _agency_search_text(agency: Agency, services: Sequence[str]) -> str:
    labels = dict(AgencyService.choices)
    parts = [agency.name, agency.name_en, agency.get_kind_display(), agency.address, agency.note]
    parts += [str(labels.get(code, code)) for code in services]
    return "|".join(search_key(part) for part in parts if part)


@transaction.atomic
def agency_save(*, data: AgencyInput, actor: Any, agency: Agency | None = None) -> Agency:
    """Create or replace an agency with its services, areas and contacts (admin, CSV load)."""
    _require(actor, "cases.change_agency" if agency else "cases.add_agency")
    if data.kind not in AgencyKind.values:
        raise ValidationError({"kind": _("Choose the kind of agency.")})
    for code in data.services:
        if code not in AgencyService.values:
            raise ValidationError({"services": _("Unknown service: %(code)s") % {"code": code}})
    for kind, _value, _person in data.contacts:
        if kind not in ContactKind.values:
            raise ValidationError({"contacts": _("Unknown contact kind: %(kind)s") % {"kind": kind}})
    before = snapshot(agency) if agency else None
    agency = agency or Agency()
    agency.name = _text(data.name, field="name", label=_("Name"), max_length=200)
    agency.name_en = _text(data.name_en, field="name_en", label=_("Name in English"), max_length=200, required=False)
    agency.kind, agency.address, agency.note, agency.key = data.kind, data.address, data.note, data.key
    agency.search_text = _agency_search_text(agency, data.services)
    agency.full_clean()
    agency.save()
    agency.services.all().delete()
    agency.areas.all().delete()
    agency.contacts.all().delete()
    AgencyServiceOffered.objects.bulk_create(
        [AgencyServiceOffered(agency=agency, service=code) for code in dict.fromkeys(data.services)]
    )
    for code in dict.fromkeys(data.area_codes):
        area = AgencyArea(agency=agency, area_code=code)
        area.full_clean(exclude=["agency"])
        area.save()
    AgencyContact.objects.bulk_create(
        [AgencyContact(agency=agency, kind=kind, value=value, person=person) for kind, value, person in data.contacts]
    )
    record_change(obj=agency, action=Action.UPDATE if before else Action.CREATE, actor=actor, before=before)
    return agency


def agency_refresh_search(agency: Agency) -> None:
    """Rebuild an agency's search text after its services were edited elsewhere (the admin)."""
    services = list(agency.services.values_list("service", flat=True))
    Agency.objects.filter(pk=agency.pk).update(search_text=_agency_search_text(agency, services))
