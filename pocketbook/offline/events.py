"""The household timeline entries of the offline app: the visit notes of its first version (now volunteers' visits)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pocketbook.households.timeline import TimelineKind

VISIT_NOTE = "visit_note"
KINDS = (TimelineKind(VISIT_NOTE, _("Visit note"), permission="offline.view_visitnote"),)
