"""Choices of the households app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    MOVED = "moved", _("moved away")
    DISSOLVED = "dissolved", _("dissolved")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("lives here")
    MOVED = "moved", _("moved to another household")
    LEFT = "left", _("left the area")
    DIED = "died", _("died")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    GRANDCHILD = "grandchild", _("grandchild")
    RELATIVE = "relative", _("relative")
    OTHER = "other", _("other")


class Title(models.TextChoices):
    """The usual Thai titles; the stored value is the Thai word, and any other title may be written instead."""

    MR = "นาย", _("Mr (นาย)")
    MRS = "นาง", _("Mrs (นาง)")
    MISS = "นางสาว", _("Miss (นางสาว)")
    BOY = "เด็กชาย", _("Master, a boy under 15 (เด็กชาย)")
    GIRL = "เด็กหญิง", _("Miss, a girl under 15 (เด็กหญิง)")


class EducationLevel(models.TextChoices):
    NONE = "none", _("no schooling")
    PRE_SCHOOL = "pre_school", _("pre-school")
    PRIMARY = "primary", _("primary (ป.1–ป.6)")
    LOWER_SECONDARY = "lower_secondary", _("lower secondary (ม.1–ม.3)")
    UPPER_SECONDARY = "upper_secondary", _("upper secondary (ม.4–ม.6)")
    VOCATIONAL = "vocational", _("vocational (ปวช./ปวส.)")
    BACHELOR = "bachelor", _("bachelor's degree")
    HIGHER = "higher", _("above a bachelor's degree")


class NoIdReason(models.TextChoices):
    NOT_YET_REGISTERED = "not_yet_registered", _("not registered yet (for example a newborn)")
    STATELESS = "stateless", _("no Thai registration status and no number")
    LOST_DOCUMENTS = "lost_documents", _("documents lost; number not known")
    REFUSED = "refused", _("did not want to give it")
    OTHER = "other", _("other reason")


class ConsentPurpose(models.TextChoices):
    POCKETBOOK = "pocketbook", _("record the household and its members in the family pocketbook")
    ASSISTANCE = "assistance", _("share with agencies to arrange help")
    CONTACT = "contact", _("contact the household by phone")


class EventKind(models.TextChoices):
    """The households app's own timeline kinds; other apps register theirs (pocketbook.households.timeline)."""

    CREATED = "created", _("household registered")
    UPDATED = "updated", _("household details changed")
    IMPORTED = "imported", _("imported from a file")
    CONSENT_GIVEN = "consent_given", _("consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent withdrawn")
    MEMBER_ADDED = "member_added", _("member added")
    MEMBER_UPDATED = "member_updated", _("member details changed")
    MEMBER_MOVED_IN = "member_moved_in", _("member moved in")
    MEMBER_MOVED_OUT = "member_moved_out", _("member moved out")
    MEMBER_LEFT = "member_left", _("member left the area")
    MEMBER_DIED = "member_died", _("member died")
    PHOTO_ADDED = "photo_added", _("photo added")
    PHOTO_REMOVED = "photo_removed", _("photo removed")


YES_NO_HELP = _("Y or N")
