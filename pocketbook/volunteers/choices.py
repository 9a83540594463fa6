"""Choices of the volunteers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VolunteerStatus(models.TextChoices):
    # A context of their own: "active" of a household reads otherwise in Thai.
    ACTIVE = "active", pgettext_lazy("volunteer status", "active")
    PAUSED = "paused", pgettext_lazy("volunteer status", "paused")
    LEFT = "left", pgettext_lazy("volunteer status", "left")


class AssignmentBatchKind(models.TextChoices):
    ASSIGN = "assign", _("assigned")
    REASSIGN = "reassign", _("reassigned")
    RELEASE = "release", _("released")


class VisitKind(models.TextChoices):
    ASSESSMENT = "assessment", _("assessment")
    NOTE = "note", _("visit note")


class CadenceCondition(models.TextChoices):
    """What makes a cadence apply to a household; the interval of each is data (VisitCadence rows)."""

    DEFAULT = "default", _("every other household")
    VULNERABLE = "vulnerable", _("vulnerable household (latest assessment)")
    OPEN_CASE = "open_case", _("household with an open case")


class ParticipantRole(models.TextChoices):
    VOLUNTEER = "volunteer", _("volunteer")
    SPEAKER = "speaker", _("speaker")
    STAFF = "staff", _("staff")
    OBSERVER = "observer", _("observer")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("QR scan")
    TICK = "tick", _("ticked on the list")
    IMPORT = "import", _("imported")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")
    CANCELLED = "cancelled", _("cancelled")
