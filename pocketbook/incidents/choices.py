"""The enumerations of the social emergency service: types, priorities, channels and statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    """The five ESS types of the LINE menu, `unknown` (silent SOS), and hotline 1300's ten issue groups."""

    # ESS (the LINE Official Account's menu)
    ASSAULT = "assault", _("Threatened with harm, or harmed")
    CONFINEMENT = "confinement", _("Unlawfully confined or detained")
    SEXUAL_ABUSE = "sexual_abuse", _("At risk of sexual abuse")
    DERANGED_PERSON = "deranged_person", _("A deranged person causing harm")
    GATHERING = "gathering", _("A gathering causing harm")
    UNKNOWN = "unknown", _("Not known yet (silent SOS)")
    # Hotline 1300's ten issue groups
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    TEENAGE_PREGNANCY = "teenage_pregnancy", _("Teenage or unready pregnancy")
    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")
    DRUGS = "drugs", _("Drugs")
    HOMELESS = "homeless", _("Homeless or destitute people")
    CHILDREN_YOUTH = "children_youth", _("Children and youth")
    MISSING_PERSON = "missing_person", _("Missing persons")
    ELDERLY = "elderly", _("Elderly people")
    DISABILITY = "disability", _("People with disabilities")
    BEGGARS = "beggars", _("Beggars")


ESS_TYPES = (
    IncidentType.ASSAULT,
    IncidentType.CONFINEMENT,
    IncidentType.SEXUAL_ABUSE,
    IncidentType.DERANGED_PERSON,
    IncidentType.GATHERING,
)
HOTLINE_TYPES = (
    IncidentType.DOMESTIC_VIOLENCE,
    IncidentType.TEENAGE_PREGNANCY,
    IncidentType.HUMAN_TRAFFICKING,
    IncidentType.DRUGS,
    IncidentType.HOMELESS,
    IncidentType.CHILDREN_YOUTH,
    IncidentType.MISSING_PERSON,
    IncidentType.ELDERLY,
    IncidentType.DISABILITY,
    IncidentType.BEGGARS,
)


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}

# The priority an incident gets when whoever opens it does not say: danger to a person now is high.
DEFAULT_PRIORITY: dict[str, str] = {
    IncidentType.ASSAULT: Priority.HIGH,
    IncidentType.CONFINEMENT: Priority.HIGH,
    IncidentType.SEXUAL_ABUSE: Priority.HIGH,
    IncidentType.DERANGED_PERSON: Priority.HIGH,
    IncidentType.GATHERING: Priority.HIGH,
    IncidentType.UNKNOWN: Priority.HIGH,
    IncidentType.DOMESTIC_VIOLENCE: Priority.HIGH,
    IncidentType.HUMAN_TRAFFICKING: Priority.HIGH,
    IncidentType.MISSING_PERSON: Priority.HIGH,
    IncidentType.TEENAGE_PREGNANCY: Priority.MEDIUM,
    IncidentType.DRUGS: Priority.MEDIUM,
    IncidentType.CHILDREN_YOUTH: Priority.MEDIUM,
    IncidentType.ELDERLY: Priority.MEDIUM,
    IncidentType.DISABILITY: Priority.MEDIUM,
    IncidentType.HOMELESS: Priority.LOW,
    IncidentType.BEGGARS: Priority.LOW,
}


class Channel(models.TextChoices):
    LINE = "line", _("LINE")
    HOTLINE = "hotline", _("Hotline 1300")
    WALK_IN = "walk_in", _("Walk-in")
    WEB = "web", _("Web")
    STAFF = "staff", _("Staff")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPATCHED = "dispatched", _("Dispatched")
    ON_SCENE = "on_scene", _("On scene")
    RESOLVED = "resolved", _("Resolved")
    REFERRED = "referred", _("Referred")
    FALSE_ALARM = "false_alarm", _("False alarm")
    DUPLICATE = "duplicate", _("Duplicate")


OPEN_STATUSES = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.DISPATCHED, Status.ON_SCENE)
CLOSED_STATUSES = (Status.RESOLVED, Status.REFERRED, Status.FALSE_ALARM, Status.DUPLICATE)

# Which status may follow which. Duplicate is reached only by merging (it needs the other incident).
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.ACKNOWLEDGED, Status.DISPATCHED, Status.RESOLVED, Status.REFERRED, Status.FALSE_ALARM),
    Status.ACKNOWLEDGED: (Status.DISPATCHED, Status.RESOLVED, Status.REFERRED, Status.FALSE_ALARM),
    Status.DISPATCHED: (Status.ACKNOWLEDGED, Status.ON_SCENE, Status.RESOLVED, Status.REFERRED, Status.FALSE_ALARM),
    Status.ON_SCENE: (Status.RESOLVED, Status.REFERRED, Status.FALSE_ALARM),
    Status.RESOLVED: (),
    Status.REFERRED: (),
    Status.FALSE_ALARM: (),
    Status.DUPLICATE: (),
}


class UnitKind(models.TextChoices):
    SOCIAL_DEVELOPMENT_OFFICE = "social_development_office", _("Provincial social-development office")
    HOTLINE_TEAM = "hotline_team", _("Hotline 1300 team")
    POLICE_STATION = "police_station", _("Police station")
    HOSPITAL = "hospital", _("Hospital")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    SHELTER = "shelter", _("Shelter")
    OTHER = "other", _("Other")


class DispatchStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Accepted")
    ON_SCENE = "on_scene", _("On scene")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_DISPATCH_STATUSES = (DispatchStatus.ASSIGNED, DispatchStatus.ACCEPTED, DispatchStatus.ON_SCENE)


class SlaStep(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    DISPATCH = "dispatch", _("Dispatch")
    ON_SCENE = "on_scene", _("On scene")


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    STATUS_CHANGED = "status_changed", _("Status changed")
    ROUTED = "routed", _("Routed")
    REASSIGNED = "reassigned", _("Reassigned")
    DISPATCHED = "dispatched", _("Dispatched")
    DISPATCH_UPDATED = "dispatch_updated", _("Responder update")
    NOTE = "note", _("Note")
    ATTACHMENT = "attachment", _("Attachment")
    MERGED = "merged", _("Merged")
    DUPLICATE_MERGED_IN = "duplicate_merged_in", _("Duplicate merged in")
    LOCATION_SET = "location_set", _("Location set")
    ESCALATED = "escalated", _("Escalated")
    REPORTER_NOTIFIED = "reporter_notified", _("Reporter notified")
    HOUSEHOLD_LINKED = "household_linked", _("Household linked")
