"""Cases and their plan items: open, assign, close, re-open, the stage kept current."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.accounts.roles import Role
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.cases import events, listeners
from pocketbook.cases.choices import (
    OPEN_PLAN_STATUSES,
    CaseEventKind,
    CaseOutcome,
    CaseStage,
    CaseStatus,
    NeedSource,
    NeedStatus,
    PlanItemStatus,
    ReferralStatus,
)
from pocketbook.cases.models import (
    Agency,
    Case,
    Need,
    PlanItem,
)
from pocketbook.cases.rules import stale_days
from pocketbook.cases.services.guards import (
    PlanItemConflict,
    _audit_update,
    _require,
    _require_open,
    _require_scope,
    _text,
)
from pocketbook.households.models import Household, Member
from pocketbook.incidents.models import Incident

# --- cases ------------------------------------------------------------------------------------


def _check_worker(user: User | None, household: Household, *, field: str, role: str) -> None:
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
    actor: User,
    member: Member | None = None,
    worker: User | None = None,
    volunteer: User | None = None,
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


def _need_from_incident(*, case: Case, incident: Incident, actor: User) -> Need:
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
def case_assign(*, case: Case, actor: User, worker: User | None = None, volunteer: User | None = None) -> Case:
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
    listeners.case_changed(case, before=before)
    return case


CLOSING_STATUSES = (CaseStatus.HELPED, CaseStatus.SELF_RESOLVED, CaseStatus.CLOSED)


@transaction.atomic
def case_close(*, case: Case, status: str, actor: User, outcome: str = "", note: str = "") -> Case:
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
    listeners.case_changed(case, before=before)
    return case


@transaction.atomic
def case_reopen(*, case: Case, reason: str, actor: User) -> Case:
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
    listeners.case_changed(case, before=before)
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
    actor: User,
    need: Need | None = None,
    agency: Agency | None = None,
    responsible_user: User | None = None,
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


@dataclass
class PlanItemInput:
    """What a plan item's change may set; a PATCH merges the fields it sends onto `from_item`."""

    action: str
    agency: Agency | None
    responsible_user: User | None
    due_on: dt.date | None
    status: str

    @classmethod
    def from_item(cls, item: PlanItem) -> PlanItemInput:
        """The item's current values, the base a partial change is merged onto."""
        return cls(**{field: getattr(item, field) for field in PLAN_ITEM_FIELDS})


PLAN_ITEM_FIELDS = tuple(field.name for field in fields(PlanItemInput))


@transaction.atomic
def plan_item_update(*, item: PlanItem, version: int, actor: User, **changes: Any) -> PlanItem:
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
