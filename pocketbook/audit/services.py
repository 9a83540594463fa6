"""Write the audit trail. Services of every app call these inside their own transaction.

The trail keeps who did what to which record and when, never a person's values: a model names its
personal fields in `audit_personal_fields`, and their values stay out of the before/after copies
(only the names of those that changed are kept) and out of the object's label. So erasing a person
(PDPA) leaves nothing of them here to erase, while the trail itself stays whole. We chose leaving
values out over encrypting them with a per-person key: the trail needs no personal value to say who
changed what, and there is then no key to manage, back up or destroy.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.core.middleware import current_request_id
from pocketbook.core.models import Viewer

# Field names never copied into the audit trail (they hold secrets or encrypted personal data).
REDACTED_FIELDS = frozenset({"password", "key_hash", "national_id_encrypted", "national_id_hash"})
# In a snapshot, in memory only: fingerprints of the personal values, to tell which of them changed.
_PERSONAL_FINGERPRINTS = "__personal__"
# In a stored copy: the personal fields that were set (created) or changed (updated), without values.
PERSONAL_CHANGED_KEY = "personal_fields_changed"


def personal_fields(obj: models.Model | type[models.Model]) -> tuple[str, ...]:
    """The fields of `obj` that hold a person's values (names, numbers, dates, addresses, free text)."""
    return tuple(getattr(obj, "audit_personal_fields", ()))


def _fingerprint(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Return the object's concrete field values as JSON-able data, secrets and personal values left out.

    A model may name more fields to leave out for one row with `audit_redacted_fields()`, e.g. an
    anonymous reporter's name and phone, which operators must not see in the audit trail either.
    Personal fields (`audit_personal_fields`) are left out; `record_change` notes which of them changed.
    """
    redacted = REDACTED_FIELDS | set(getattr(obj, "audit_redacted_fields", lambda: ())())
    personal = set(personal_fields(obj))
    data: dict[str, Any] = {}
    fingerprints: dict[str, str] = {}
    for field in obj._meta.concrete_fields:
        if field.name in redacted or getattr(field, "audit_redacted", False):
            continue
        value = field.value_from_object(obj)
        if field.name in personal:
            fingerprints[field.name] = _fingerprint(value)
            continue
        if hasattr(value, "name") and isinstance(field, models.FileField):
            value = value.name
        data[field.attname] = value
    if personal:
        data[_PERSONAL_FINGERPRINTS] = fingerprints
    return data


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The names of the fields that differ between two snapshots of one object, personal ones included."""
    old_prints = before.get(_PERSONAL_FINGERPRINTS, {})
    new_prints = after.get(_PERSONAL_FINGERPRINTS, {})
    plain = {k for k in after if k not in (_PERSONAL_FINGERPRINTS, "updated_at") and after[k] != before.get(k)}
    personal = {k for k in new_prints if new_prints[k] != old_prints.get(k)}
    return sorted(plain | personal)


def audit_label(obj: models.Model) -> str:
    """How the trail names a record: a record holding personal values by its type and number only."""
    if callable(own := getattr(obj, "audit_label", None)):
        return str(own())[:200]
    if personal_fields(obj):
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return str(obj)[:200]


def _stored_copies(obj: models.Model, action: Action, before: dict[str, Any] | None) -> tuple[Any, Any]:
    """The before/after copies as stored: no personal values, the names of the personal fields that changed."""
    after = None if action == Action.DELETE else snapshot(obj)
    old: dict[str, str] | None = None
    if before is not None:
        before = dict(before)
        old = before.pop(_PERSONAL_FINGERPRINTS, None)
    new = after.pop(_PERSONAL_FINGERPRINTS, None) if after is not None else None
    if after is not None and new is not None:
        blank = {_fingerprint(""), _fingerprint(None)}
        after[PERSONAL_CHANGED_KEY] = [
            name for name, value in new.items() if (old.get(name) != value if old else value not in blank)
        ]
    return before, after


def area_of(obj: models.Model) -> str:
    """The DOPA area code of an area-scoped record (its `area_field`, which may follow relations), else ""."""
    path = getattr(obj, "area_field", "")
    value: Any = obj
    for part in path.split("__") if path else ():
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value if isinstance(value, str) and path else ""


def _actor_fields(actor: Viewer | AnonymousUser | None) -> dict[str, Any]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return {"user": actor, "user_name": actor.get_username()}
    return {"user": None, "user_name": "system"}


def _object_fields(obj: models.Model) -> dict[str, Any]:
    return {
        "content_type": ContentType.objects.get_for_model(obj, for_concrete_model=False),
        "object_id": str(obj.pk),
        "object_repr": audit_label(obj),
        "area_code": area_of(obj),
    }


def record_change(
    *,
    obj: models.Model,
    action: Action,
    actor: Viewer | AnonymousUser | None,
    before: dict[str, Any] | None = None,
) -> ObjectChange:
    """Record that `actor` created, updated or deleted `obj`; `before` is a `snapshot` taken earlier."""
    before, after = _stored_copies(obj, action, before)
    return ObjectChange.objects.create(
        **_actor_fields(actor),
        **_object_fields(obj),
        request_id=current_request_id(),
        action=action,
        before=before,
        after=after,
    )


def admin_change_record(
    *, obj: models.Model, action: str, before: models.Model | None, actor: Viewer | AnonymousUser
) -> None:
    """Record a change an administrator saved in the admin (core's admin change listener, registered in ready()).

    The admin saves models that have no service of their own (villages, units, responders, SLA targets, users and
    their areas); their rows reach the trail as a service's would, personal fields left out the same way.
    """
    record_change(obj=obj, action=Action(action), actor=actor, before=None if before is None else snapshot(before))


def record_creations(*, objs: list[Any], actor: Viewer | AnonymousUser | None) -> int:
    """Record that `actor` created each of `objs`, in one insert; return how many rows."""
    common = {**_actor_fields(actor), "request_id": current_request_id(), "action": Action.CREATE, "before": None}
    ObjectChange.objects.bulk_create(
        [
            ObjectChange(**common, **_object_fields(obj), after=_stored_copies(obj, Action.CREATE, None)[1])
            for obj in objs
        ]
    )
    return len(objs)


def record_access_many(*, objs: list[Any], actor: Viewer | AnonymousUser | None, purpose: str) -> int:
    """Record that `actor` read each of `objs` (a list answer), in one insert; return how many rows."""
    common = {**_actor_fields(actor), "request_id": current_request_id(), "purpose": purpose[:100]}
    AccessLog.objects.bulk_create([AccessLog(**common, **_object_fields(obj)) for obj in objs])
    return len(objs)


def record_access(*, obj: models.Model, actor: Viewer | AnonymousUser | None, purpose: str) -> AccessLog:
    """Record that `actor` read `obj` (a person's record, or one of its masked fields)."""
    return AccessLog.objects.create(
        **_actor_fields(actor),
        **_object_fields(obj),
        request_id=current_request_id(),
        purpose=purpose[:100],
    )


def audit_forget_personal(*, objs: list[models.Model]) -> int:
    """Take personal values out of the trail rows of `objs` written before they were left out (PDPA erasure).

    The rows keep who, what and when; only values of the models' personal fields and the old labels go.
    This is the one sanctioned change to the append-only trail, so it goes around `save()`.
    """
    changed = 0
    for obj in objs:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        fields = set(personal_fields(obj)) | {f"{name}_id" for name in personal_fields(obj)}
        label = audit_label(obj)
        rows = ObjectChange.objects.filter(content_type=content_type, object_id=str(obj.pk))
        for row_id, before, after in rows.values_list("pk", "before", "after"):
            ObjectChange.objects.filter(pk=row_id).update(
                object_repr=label, before=_without(before, fields), after=_without(after, fields)
            )
            changed += 1
        changed += AccessLog.objects.filter(content_type=content_type, object_id=str(obj.pk)).update(object_repr=label)
    return changed


def _without(copy: Any, fields: set[str]) -> Any:
    if not isinstance(copy, dict):
        return copy
    return {key: value for key, value in copy.items() if key not in fields}
