"""Choices of the cases app: statuses, stages, outcomes, agency kinds and the controlled list of services."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedStatus(models.TextChoices):
    SUGGESTED = "suggested", _("suggested")
    ACCEPTED = "accepted", _("being worked on")
    DISMISSED = "dismissed", _("dismissed")
    MET = "met", _("met")


class NeedSource(models.TextChoices):
    ASSESSMENT = "assessment", _("failed indicator")
    MANUAL = "manual", _("added by hand")
    INCIDENT = "incident", _("emergency report")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    HELPED = "helped", _("helped")
    SELF_RESOLVED = "self_resolved", _("resolved by the household itself")
    CLOSED = "closed", _("closed")


class CaseOutcome(models.TextChoices):
    MOVED_AWAY = "moved_away", _("moved away")
    DIED = "died", _("died")
    REFUSED = "refused", _("refused help")
    OTHER = "other", _("other")


class CaseStage(models.TextChoices):
    NEW = "new", _("new")
    PLAN = "plan", _("plan")
    REFERRED = "referred", _("referred")
    ASSISTING = "assisting", _("assisting")
    FOLLOW_UP = "follow_up", _("follow-up")
    CLOSED = "closed", _("closed")


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_PLAN_STATUSES = (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS)


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent, waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    DONE = "done", _("done")
    REVOKED = "revoked", _("revoked")


WAITING_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class AgencyKind(models.TextChoices):
    HOSPITAL = "hospital", _("hospital")
    HEALTH_PROMOTING_HOSPITAL = "health_promoting_hospital", _("health-promoting hospital (รพ.สต.)")
    SCHOOL = "school", _("school")
    SUBDISTRICT_ADMINISTRATION = "subdistrict_administration", _("subdistrict administration (อบต.)")
    MUNICIPALITY = "municipality", _("municipality (เทศบาล)")
    DISTRICT_OFFICE = "district_office", _("district office")
    MSDHS_UNIT = "msdhs_unit", _("MSDHS unit")
    NGO = "ngo", _("NGO")
    FOUNDATION = "foundation", _("foundation")
    OTHER = "other", _("other")


class AgencyService(models.TextChoices):
    """The controlled list of services an agency offers; each belongs to one of the five dimensions."""

    MEDICAL_CARE = "medical_care", _("medical care and check-ups")
    HOME_CARE = "home_care", _("home care for the bedridden and elderly")
    DISABILITY_REGISTRATION = "disability_registration", _("disability card and aids")
    HOUSING_REPAIR = "housing_repair", _("housing repair")
    WATER_AND_SANITATION = "water_and_sanitation", _("clean water and toilets")
    SCHOOLING = "schooling", _("school places and scholarships")
    VOCATIONAL_TRAINING = "vocational_training", _("vocational training")
    JOB_PLACEMENT = "job_placement", _("jobs and occupation support")
    CASH_GRANT = "cash_grant", _("emergency cash grants")
    WELFARE_REGISTRATION = "welfare_registration", _("welfare card and allowances registration")
    CIVIL_REGISTRATION = "civil_registration", _("civil registration and ID cards")
    LEGAL_AID = "legal_aid", _("legal aid")
    SHELTER = "shelter", _("shelter and protection")


SERVICE_DIMENSIONS: dict[str, str] = {
    AgencyService.MEDICAL_CARE: "health",
    AgencyService.HOME_CARE: "health",
    AgencyService.DISABILITY_REGISTRATION: "health",
    AgencyService.HOUSING_REPAIR: "living",
    AgencyService.WATER_AND_SANITATION: "living",
    AgencyService.SHELTER: "living",
    AgencyService.SCHOOLING: "education",
    AgencyService.VOCATIONAL_TRAINING: "education",
    AgencyService.JOB_PLACEMENT: "income",
    AgencyService.CASH_GRANT: "income",
    AgencyService.WELFARE_REGISTRATION: "access",
    AgencyService.CIVIL_REGISTRATION: "access",
    AgencyService.LEGAL_AID: "access",
}


class ContactKind(models.TextChoices):
    PHONE = "phone", _("phone")
    LINE = "line", _("LINE")
    EMAIL = "email", _("e-mail")


class AssistanceKind(models.TextChoices):
    CASH_GRANT = "cash_grant", _("cash grant")
    GOODS = "goods", _("goods")
    SERVICE = "service", _("service")
    TRAINING = "training", _("training")
    HOUSING_REPAIR = "housing_repair", _("housing repair")
    OTHER = "other", _("other")


class ReplyAction(models.TextChoices):
    """What happened on one use of a referral's reply link."""

    VIEWED = "viewed", _("opened")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused (expired, revoked or already answered)")


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("case opened")
    ASSIGNED = "assigned", _("case assigned")
    CLOSED = "closed", _("case closed")
    REOPENED = "reopened", _("case re-opened")
    NEED_ADDED = "need_added", _("need added")
    PLAN_ITEM_ADDED = "plan_item_added", _("plan item added")
    PLAN_ITEM_CHANGED = "plan_item_changed", _("plan item changed")
    REFERRAL_SENT = "referral_sent", _("referred to an agency")
    REFERRAL_ANSWERED = "referral_answered", _("agency answered")
    REFERRAL_REVOKED = "referral_revoked", _("referral revoked")
    ASSISTANCE_RECORDED = "assistance_recorded", _("assistance recorded")
    ASSISTANCE_REVERSED = "assistance_reversed", _("assistance reversed")
    FOLLOW_UP = "follow_up", _("follow-up visit")
