"""Users, their roles (groups) and the areas they work in, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pocketbook.accounts.roles import STAFF_ROLES, Role
from pocketbook.core.models import ScopedManager, TimeStampedModel
from pocketbook.geo.models import area_code_validator
from pocketbook.geo.selectors import Area, area_get


class User(AbstractUser):
    """A person who signs in: volunteer, social worker, operator, responder, manager, analyst or admin.

    Roles are Django groups named after `Role` values; areas are `AreaAssignment` rows.
    """

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Set on the request's user by django-otp's middleware: whether this session proved a second factor.
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles (group names that are roles)."""
        return frozenset(self.groups.filter(name__in=Role.values).values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        """True when the user holds any of `roles` (superusers hold every role)."""
        return self.is_superuser or bool(self.roles.intersection(roles))

    @property
    def is_staff_role(self) -> bool:
        """True for roles that must use two-factor login in production."""
        return self.is_superuser or bool(self.roles.intersection(STAFF_ROLES))

    def area_codes(self) -> list[str]:
        """The area codes this user is assigned to (cached on the instance for one request)."""
        if not hasattr(self, "_area_codes_cache"):
            self._area_codes_cache = sorted(self.area_assignments.values_list("area_code", flat=True))
        return self._area_codes_cache

    def covers(self, area_code: str) -> bool:
        """True when `area_code` lies inside one of the user's areas (a superuser covers every area)."""
        return self.is_superuser or any(area_code.startswith(area) for area in self.area_codes())

    def areas(self) -> list[Area]:
        """The user's areas with their names, for showing (codes no longer in the geography are left out)."""
        return [area for code in self.area_codes() if (area := area_get(code)) is not None]

    def role_labels(self) -> list[str]:
        """Human names of the user's roles, in Role order."""
        return [str(label) for value, label in Role.choices if value in self.roles]


class AreaAssignment(TimeStampedModel):
    """An area a user works in: a province, district, subdistrict or village code."""

    area_field = "area_code"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="area_assignments")
    area_code = models.CharField(_("area code"), max_length=8, validators=[area_code_validator], db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("area assignment")
        verbose_name_plural = _("area assignments")
        constraints = [models.UniqueConstraint(fields=["user", "area_code"], name="accounts_area_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.area_code}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    PREFIX = "pbk_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    key_prefix = models.CharField(_("starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Whether the session that minted it had proven a second factor. A token minted while two-factor
    # sign-in was relaxed stops working once its owner must use two factors.
    created_with_two_factors = models.BooleanField(_("created with two factors"), default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_key(cls) -> str:
        """Make a new random token text."""
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(key: str) -> str:
        """Hash a token text the way it is stored."""
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class TwoFactorEnrolment(models.Model):
    """A one-time code an administrator hands a person (in person or by phone) to enrol a second factor.

    Without it, whoever learnt a password could enrol their own authenticator before the real person and
    keep the account. Only the code's SHA-256 is stored; it expires, and a few wrong tries void it.
    """

    MAX_ATTEMPTS = 5
    VALID_FOR_HOURS = 72

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="two_factor_enrolments")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("two-factor enrolment code")
        verbose_name_plural = _("two-factor enrolment codes")

    def __str__(self) -> str:
        return f"{self.user} ({self.issued_at:%Y-%m-%d})"

    def audit_redacted_fields(self) -> tuple[str, ...]:
        return ("code_hash",)

    @staticmethod
    def hash_code(code: str) -> str:
        """Hash an enrolment code the way it is stored (spaces, dashes and case ignored)."""
        normalised = "".join(ch for ch in code.upper() if ch.isalnum())
        return hashlib.sha256(normalised.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.failed_attempts < self.MAX_ATTEMPTS and self.expires_at > timezone.now()
