"""The Thai texts the reporter receives about their incident."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from pocketbook.incidents.choices import Status
from pocketbook.incidents.models import Incident


def _status_sentence(incident: Incident) -> str:
    sentences = {
        Status.RECEIVED: _("We have received your report."),
        Status.ACKNOWLEDGED: _("An officer has taken up your report and is arranging help."),
        Status.DISPATCHED: _("Officials are on their way."),
        Status.ON_SCENE: _("Officials have arrived at the place."),
        Status.RESOLVED: _("Your report has been dealt with."),
        Status.REFERRED: _("Your report has been passed to the agency that can help."),
        Status.FALSE_ALARM: _("Officials checked and found no emergency; the report is closed."),
    }
    if incident.status == Status.DUPLICATE and incident.merged_into is not None:
        return _("Your report is the same event as %(number)s; follow that number from now on.") % {
            "number": incident.merged_into.number
        }
    return str(sentences.get(Status(incident.status), Status(incident.status).label))


def status_text(incident: Incident, language: str = "th") -> str:
    """The message telling the reporter where their incident stands, in Thai by default."""
    with translation.override(language):
        lines = [
            _("Report %(number)s: %(status)s") % {"number": incident.number, "status": Status(incident.status).label},
            _status_sentence(incident),
        ]
        if incident.status == Status.RESOLVED and incident.outcome:
            lines.append(_("Outcome: %(outcome)s") % {"outcome": incident.outcome[:300]})
        if incident.is_open:
            lines.append(_("If you are in danger now, call 1300 (24 hours) or 191."))
        return "\n".join(lines)
