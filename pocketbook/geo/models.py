"""Thailand's administrative areas: Province > District > Subdistrict (from geothai) > Village.

Codes are DOPA codes and are hierarchical: province 2 digits, district 4, subdistrict 6, village 8
(subdistrict + two-digit หมู่ number). Every area-scoped record stores one of these codes, and a
user assigned to a code sees every record whose code starts with it.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pocketbook.core.models import ScopedManager, TimeStampedModel

AREA_CODE_LENGTHS = {2: "province", 4: "district", 6: "subdistrict", 8: "village"}
area_code_validator = RegexValidator(
    r"^(\d{2}|\d{4}|\d{6}|\d{8})$",
    _("An area code has 2, 4, 6 or 8 digits (province, district, subdistrict, village)."),
)


class NamedArea(models.Model):
    """An area with a DOPA code and Thai and English names."""

    area_field = "code"

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name_th = models.CharField(_("Thai name"), max_length=120, db_index=True)
    name_en = models.CharField(_("English name"), max_length=120, db_index=True)

    objects = ScopedManager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if (get_language() or "th").startswith("en") and self.name_en else self.name_th


class Province(NamedArea):
    """A province (จังหวัด), loaded from geothai."""

    class Meta(NamedArea.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(NamedArea):
    """A district (อำเภอ / เขต), loaded from geothai."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta(NamedArea.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Subdistrict(NamedArea):
    """A subdistrict (ตำบล / แขวง), loaded from geothai, with its postal codes."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    postal_codes = models.CharField(_("postal codes"), max_length=60, blank=True)

    class Meta(NamedArea.Meta):
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")


class Village(TimeStampedModel):
    """A village (หมู่บ้าน, หมู่ที่ N) inside a subdistrict, added by administrators.

    Its code is the subdistrict's six digits and the two-digit หมู่ number.
    """

    area_field = "code"

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="villages")
    number = models.PositiveSmallIntegerField(
        _("village number (หมู่ที่)"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    name = models.CharField(_("village name"), max_length=120)

    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "number"], name="geo_village_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Moo %(number)s %(name)s") % {"number": self.number, "name": self.name}

    @staticmethod
    def code_for(subdistrict_code: str, number: int) -> str:
        """Build a village code from its subdistrict's code and its หมู่ number."""
        return f"{subdistrict_code}{number:02d}"
