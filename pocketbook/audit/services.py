"""Write the audit trail. Services of every app call these inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pocketbook.audit.models import AccessLog, Action, ObjectChange
from pocketbook.core.middleware import current_request_id

# Field names never copied into the audit trail (they hold secrets or encrypted personal data).
REDACTED_FIELDS = frozenset({"password", "key_hash", "national_id_encrypted", "national_id_hash"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Return the object's concrete field values as JSON-able data, secrets left out."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in REDACTED_FIELDS or getattr(field, "audit_redacted", False):
            continue
        value = field.value_from_object(obj)
        if hasattr(value, "name") and isinstance(field, models.FileField):
            value = value.name
        data[field.attname] = value
    return data


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return {"user": actor, "user_name": actor.get_username()}
    return {"user": None, "user_name": "system"}


def record_change(
    *, obj: models.Model, action: Action, actor: Any, before: dict[str, Any] | None = None
) -> ObjectChange:
    """Record that `actor` created, updated or deleted `obj`; `before` is a `snapshot` taken earlier."""
    after = None if action == Action.DELETE else snapshot(obj)
    return ObjectChange.objects.create(
        **_actor_fields(actor),
        request_id=current_request_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
    )


def record_access(*, obj: models.Model, actor: Any, purpose: str) -> AccessLog:
    """Record that `actor` read `obj` (a person's record, or one of its masked fields)."""
    return AccessLog.objects.create(
        **_actor_fields(actor),
        request_id=current_request_id(),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        purpose=purpose[:100],
    )
