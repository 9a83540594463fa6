"""Every write to users, roles, areas and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pocketbook.accounts.models import ApiToken, AreaAssignment, TwoFactorEnrolment, User
from pocketbook.accounts.roles import ROLE_PERMISSIONS, Role
from pocketbook.accounts.two_factor import two_factor_required
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, snapshot
from pocketbook.geo import selectors as geo_selectors


def roles_sync() -> None:
    """Make one group per role holding exactly the permissions ROLE_PERMISSIONS gives it."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = ROLE_PERMISSIONS.get(role, set())
        permissions = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


def roles_sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate hook: sync the roles once, after the last installed app with models has migrated.

    Django sends post_migrate for every app with models, in the order of INSTALLED_APPS; by the last one every
    app's permissions exist, whichever apps are installed. Syncing is idempotent, so a second run changes nothing.
    """
    with_models = [config for config in django_apps.get_app_configs() if config.models_module is not None]
    if with_models and getattr(sender, "label", None) == with_models[-1].label:
        roles_sync()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    roles: list[str],
    area_codes: list[str],
    actor: User | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
) -> User:
    """Create a user with roles and areas; every area code must exist."""
    for code in area_codes:
        geo_selectors.area_require(code)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, phone=phone)
    user.is_staff = Role.ADMINISTRATOR in roles  # the Django admin is for administrators only
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[Role(role).value for role in roles]))
    AreaAssignment.objects.bulk_create([AreaAssignment(user=user, area_code=code) for code in area_codes])
    record_change(obj=user, action=Action.CREATE, actor=actor)
    return user


@transaction.atomic
def api_token_create(
    *, user: User, name: str, actor: User, expires_at: datetime | None = None, with_two_factors: bool = False
) -> tuple[ApiToken, str]:
    """Create a personal API token; return it and the token text, which is never shown again.

    `with_two_factors` says whether the minting session proved a second factor; a token minted without
    one stops working as soon as its owner must use two factors.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, for example the program that will use it.")})
    key = ApiToken.new_key()
    token = ApiToken(
        user=user,
        name=name[:80],
        key_prefix=key[: len(ApiToken.PREFIX) + 4],
        key_hash=ApiToken.hash_key(key),
        expires_at=expires_at,
        created_with_two_factors=with_two_factors,
    )
    token.full_clean()
    token.save()
    record_change(obj=token, action=Action.CREATE, actor=actor)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token at once; revoking twice changes nothing."""
    if token.revoked_at is not None:
        return token
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_change(obj=token, action=Action.UPDATE, actor=actor, before=before)
    return token


def api_token_authenticate(key: str) -> User | None:
    """Return the active user whose active token this is, and note when it was last used."""
    if not key.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    if not token.created_with_two_factors and two_factor_required(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# No 0/O or 1/I: the code is read out over the phone.
ENROLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transaction.atomic
def two_factor_enrolment_issue(*, user: User, actor: User | None) -> str:
    """Issue a one-time enrolment code for `user` (earlier unused codes lapse); return it, shown once."""
    now = timezone.now()
    TwoFactorEnrolment.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    code = "".join(secrets.choice(ENROLMENT_CODE_ALPHABET) for _ in range(10))
    enrolment = TwoFactorEnrolment.objects.create(
        user=user,
        code_hash=TwoFactorEnrolment.hash_code(code),
        issued_by=actor,
        expires_at=now + timedelta(hours=TwoFactorEnrolment.VALID_FOR_HOURS),
    )
    record_change(obj=enrolment, action=Action.CREATE, actor=actor)
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def two_factor_enrolment_redeem(*, user: User, code: str) -> bool:
    """Use up `user`'s enrolment code when `code` is it; a wrong code counts towards voiding it."""
    enrolment = TwoFactorEnrolment.objects.select_for_update().filter(user=user, used_at__isnull=True).first()
    if enrolment is None or not enrolment.is_usable:
        return False
    if not secrets.compare_digest(enrolment.code_hash, TwoFactorEnrolment.hash_code(code)):
        enrolment.failed_attempts += 1
        enrolment.save(update_fields=["failed_attempts"])
        return False
    before = snapshot(enrolment)
    enrolment.used_at = timezone.now()
    enrolment.save(update_fields=["used_at"])
    record_change(obj=enrolment, action=Action.UPDATE, actor=user, before=before)
    return True


@transaction.atomic
def two_factor_device_pending(*, user: User, name: str) -> TOTPDevice:
    """The authenticator `user` is scanning: the unconfirmed one, or a new one with a fresh secret.

    The trail records it against the person (the device's secret key must never be copied there).
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=False)
        record_change(obj=user, action=Action.UPDATE, actor=user)
    return device


@transaction.atomic
def two_factor_device_confirm(*, device: TOTPDevice) -> TOTPDevice:
    """Turn on a newly scanned authenticator; it replaces the person's other devices (a lost phone)."""
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_change(obj=user, action=Action.UPDATE, actor=user)
    return device
