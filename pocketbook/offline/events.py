"""The household timeline entries of the offline app: the visit notes of its first version (now volunteers' visits).

Nothing writes a `visit_note` entry any more (a phone's visit note is stored by volunteers' `visit_record`), but
databases that ran the first version hold such entries, and their `VisitNote` rows are still kept. The kind stays
registered so those old entries still render with their label and stay hidden from viewers without
`offline.view_visitnote` (an unregistered kind would read "Timeline entry: visit_note" and be shown to anyone who
sees the household).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pocketbook.households.timeline import TimelineKind

VISIT_NOTE = "visit_note"
KINDS = (TimelineKind(VISIT_NOTE, _("Visit note"), permission="offline.view_visitnote"),)
