"""Write the audit trail. Services of every app call these inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.core.middleware import current_request_id
from pocketbook.core.models import Viewer

# Field names never copied into the audit trail (they hold secrets or encrypted personal data).
REDACTED_FIELDS = frozenset({"password", "key_hash", "national_id_encrypted", "national_id_hash"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Return the object's concrete field values as JSON-able data, secrets left out.

    A model may name more fields to leave out for one row with `audit_redacted_fields()`, e.g. an
    anonymous reporter's name and phone, which operators must not see in the audit trail either.
    """
    redacted = REDACTED_FIELDS | set(getattr(obj, "audit_redacted_fields", lambda: ())())
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in redacted or getattr(field, "audit_redacted", False):
            continue
        value = field.value_from_object(obj)
        if hasattr(value, "name") and isinstance(field, models.FileField):
            value = value.name
        data[field.attname] = value
    return data


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
        "object_repr": str(obj)[:200],
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
    after = None if action == Action.DELETE else snapshot(obj)
    return ObjectChange.objects.create(
        **_actor_fields(actor),
        **_object_fields(obj),
        request_id=current_request_id(),
        action=action,
        before=before,
        after=after,
    )


def record_creations(*, objs: list[Any], actor: Viewer | AnonymousUser | None) -> int:
    """Record that `actor` created each of `objs`, in one insert; return how many rows."""
    common = {**_actor_fields(actor), "request_id": current_request_id(), "action": Action.CREATE, "before": None}
    ObjectChange.objects.bulk_create(
        [ObjectChange(**common, **_object_fields(obj), after=snapshot(obj)) for obj in objs]
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
