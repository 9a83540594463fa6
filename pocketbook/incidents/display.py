"""How incidents read on the pages: area names and timeline sentences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geothai
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pocketbook.incidents.choices import Channel, DispatchStatus, EventKind, SlaStep, Status
from pocketbook.incidents.models import IncidentEvent


def _name(area: Any, english: bool) -> str:
    return str(area.name_en if english and area.name_en else area.name_th)


def area_label(code: str) -> str:
    """The name of an area and those above it, read from geothai in memory (no query)."""
    english = (get_language() or "th").startswith("en")
    parts = []
    if len(code) >= 6 and (subdistrict := geothai.subdistrict(code[:6])) is not None:
        parts.append(("" if english else "ต.") + _name(subdistrict, english))
    if len(code) >= 4 and (district := geothai.district(code[:4])) is not None:
        parts.append(("" if english else "อ.") + _name(district, english))
    if (province := geothai.province(code[:2])) is not None:
        parts.append(("" if english else "จ.") + _name(province, english))
    if len(code) == 8:
        parts.insert(0, _("Moo %(number)s") % {"number": int(code[6:])})
    return (", " if english else " ").join(parts) or code


def area_labels(codes: Iterable[str]) -> dict[str, str]:
    """Labels for many area codes at once."""
    return {code: area_label(code) for code in codes if code}


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def describe(event: IncidentEvent) -> str:
    """One timeline entry as a sentence."""
    p = event.params
    kind = event.kind
    if kind == EventKind.OPENED:
        return _("Opened from %(channel)s.") % {"channel": _label(Channel, p.get("channel", ""))}
    if kind == EventKind.ROUTED:
        text = _("Placed in %(area)s and sent to %(unit)s.") % {
            "area": area_label(p.get("area_code", "")),
            "unit": p.get("unit") or _("no unit"),
        }
        if p.get("location_to_confirm"):
            text += " " + _("The location must be confirmed.")
        return text
    if kind == EventKind.STATUS_CHANGED:
        text = _("%(old)s → %(new)s") % {
            "old": _label(Status, p.get("old", "")),
            "new": _label(Status, p.get("new", "")),
        }
        return f"{text}. {p['note']}" if p.get("note") else text
    if kind == EventKind.REASSIGNED:
        text = _("Moved from %(old)s to %(new)s.") % {"old": p.get("old_unit") or _("no unit"), "new": p.get("unit")}
        return f"{text} {p['reason']}" if p.get("reason") else text
    if kind == EventKind.DISPATCHED:
        text = _("Sent %(names)s.") % {"names": ", ".join(p.get("responders", []))}
        return f"{text} {p['note']}" if p.get("note") else text
    if kind == EventKind.DISPATCH_UPDATED:
        text = _("%(responder)s: %(status)s.") % {
            "responder": p.get("responder", ""),
            "status": _label(DispatchStatus, p.get("status", "")),
        }
        return f"{text} {p['outcome']}" if p.get("outcome") else text
    if kind == EventKind.NOTE:
        return str(p.get("text", ""))
    if kind == EventKind.ATTACHMENT:
        return _("Attachment added: %(name)s.") % {"name": p.get("name", "")}
    if kind == EventKind.MERGED:
        return _("Closed as a duplicate of %(number)s.") % {"number": p.get("into", "")}
    if kind == EventKind.DUPLICATE_MERGED_IN:
        return _("%(number)s was merged into this incident.") % {"number": p.get("duplicate", "")}
    if kind == EventKind.LOCATION_SET:
        return _("Location set to %(area)s.") % {"area": area_label(p.get("area_code", ""))}
    if kind == EventKind.ESCALATED:
        notified = ", ".join(p.get("notified", [])) or _("nobody (the unit has no manager)")
        return _("Missed the target to %(step)s within %(minutes)s minutes; told %(notified)s.") % {
            "step": _label(SlaStep, p.get("step", "")).lower(),
            "minutes": p.get("minutes", ""),
            "notified": notified,
        }
    if kind == EventKind.REPORTER_NOTIFIED:
        return _("The reporter was told on LINE: %(status)s.") % {"status": _label(Status, p.get("status", ""))}
    if kind == EventKind.HOUSEHOLD_LINKED:
        return _("Linked to household no. %(number)s.") % {"number": p.get("household_id") or "—"}
    return _label(EventKind, kind)


def timeline_entries(events: Iterable[IncidentEvent]) -> list[dict[str, Any]]:
    """The timeline as the page shows it."""
    return [
        {
            "time": event.time,
            "kind": event.kind,
            "label": _label(EventKind, event.kind),
            "text": describe(event),
            "actor": event.actor_name or _("system"),
        }
        for event in events
    ]
