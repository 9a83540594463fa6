"""The dashboard sections shown as tabs on every reports page; each engineer adds their section here.

A section is listed only when its URL name resolves, so a section whose views are not there yet is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    """One tab: its key (also the URL's path segment), label and URL name."""

    key: str
    label: str | Promise
    url_name: str


SECTIONS: list[Section] = [
    Section("households", _("Households"), "reports:households"),
    Section("poverty", _("Poverty"), "reports:poverty"),
    Section("help", _("Help"), "reports:help"),
    Section("ess", _("Emergencies"), "reports:ess"),
    Section("volunteers", _("Volunteers"), "reports:volunteers"),
    Section("map", _("Map"), "reports:map"),
    Section("printouts", _("Printouts"), "reports:printouts"),
]


def sections_available() -> list[tuple[Section, str]]:
    """The sections whose page exists, with their URL."""
    found = []
    for section in SECTIONS:
        try:
            found.append((section, reverse(section.url_name)))
        except NoReverseMatch:
            continue
    return found
