"""The agency directory: agencies, the services they offer, the areas they serve and how to reach them.

The office's shared reference data (no personal values); `cases.models` re-exports these models.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pocketbook.cases.choices import (
    AgencyKind,
    AgencyService,
    ContactKind,
)
from pocketbook.core.models import TimeStampedModel
from pocketbook.geo.models import area_code_validator


def localized(thai: str, english: str) -> str:
    return english if (get_language() or "th").startswith("en") and english else thai


class Agency(TimeStampedModel):
    """An agency the office refers households to: hospital, รพ.สต., school, อบต., NGO, foundation ...

    The directory is shared by the whole province (not personal data), so it is not area-scoped; the
    areas an agency covers say where it works. `search_text` holds the name, aliases and service labels
    without spaces, for a plain contains-search in Thai.
    """

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    key = models.CharField(
        _("key"), max_length=60, blank=True, help_text=_("The key a CSV file uses for this agency.")
    )

    objects = models.Manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="cases_agency_key_unique")]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)

    def covers(self, area_code: str) -> bool:
        """True when one of the agency's areas contains `area_code` (from the prefetch cache when filled)."""
        return any(area_code.startswith(area.area_code) for area in self.areas.all())


class AgencyServiceOffered(models.Model):
    """One service from the controlled list that an agency offers."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=40, choices=AgencyService.choices)

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [models.UniqueConstraint(fields=["agency", "service"], name="cases_agency_service_unique")]

    def __str__(self) -> str:
        return self.get_service_display()


class AgencyArea(models.Model):
    """An area (province, district, subdistrict or village code) an agency covers."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="areas")
    area_code = models.CharField(_("area code"), max_length=8, validators=[area_code_validator])

    class Meta:
        verbose_name = _("area covered")
        verbose_name_plural = _("areas covered")
        constraints = [models.UniqueConstraint(fields=["agency", "area_code"], name="cases_agency_area_unique")]

    def __str__(self) -> str:
        return self.area_code


class AgencyContact(models.Model):
    """A way to reach an agency: a phone number, a LINE id or an e-mail address, with a contact person."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    value = models.CharField(_("number or address"), max_length=200)
    person = models.CharField(_("contact person"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
