"""What other apps keep about a household's people, for PDPA export and erasure (a registry; no app named here).

An app that stores a copy of a person's values (assessments keep each member's facts with every visit;
incidents may name them in free text) registers a `PrivacyHook` in its `AppConfig.ready()`: `export` adds
its part to one person's export, `erase` takes the personal values of the given members out of its own
tables (statistics stay). `erase` is called inside the erasing transaction, before the households app
blanks the members, so a hook may still read the values it must look for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from pocketbook.audit.services import audit_forget_personal
from pocketbook.households.models import Consent, Household, Member

ERASED = "—"  # what a name typed in free text becomes


def person_names(member: Member) -> list[str]:
    """The values an app looks for in free text: the whole name first, then each name of two letters or more."""
    parts = [part for part in (member.first_name, member.last_name) if len(part.strip()) > 1]
    whole = " ".join(parts)
    return [whole, *parts] if len(parts) > 1 else parts


def text_without(text: str, names: Sequence[str]) -> str:
    """`text` with each of `names` replaced by ERASED."""
    for name in names:
        text = text.replace(name, ERASED)
    return text


def params_without(params: dict[str, Any], keys: Sequence[str], names: Sequence[str]) -> dict[str, Any]:
    """A timeline event's details with `names` taken out of its free-text ones (`keys`)."""
    return {
        key: text_without(value, names) if key in keys and isinstance(value, str) else value
        for key, value in params.items()
    }


@dataclass(frozen=True)
class FreeText:
    """Free-text fields of a model that workers or volunteers write about a household's people."""

    model: type[models.Model]
    household_path: str  # from the record to its household's id, e.g. "case__household_id"
    fields: tuple[str, ...]


def free_texts_erase(member: Member, texts: Sequence[FreeText]) -> list[models.Model]:
    """Replace the member's names in these free texts of the member's household; return the rows looked at.

    The caller passes the rows to `audit_forget_personal`, so the trail's earlier copies lose them too.
    """
    names = person_names(member)
    if not names:
        return []
    touched: list[models.Model] = []
    for text in texts:
        for row in text.model._default_manager.filter(**{text.household_path: member.household_id}):
            changes = {
                field: text_without(getattr(row, field), names)
                for field in text.fields
                if any(name in getattr(row, field) for name in names)
            }
            if changes:
                text.model._default_manager.filter(pk=row.pk).update(**changes)
            touched.append(row)
    return touched


def free_texts_erase_for(member_ids: Sequence[int], texts: Sequence[FreeText]) -> None:
    """A whole `erase` hook for an app whose only copies are free texts: names out, then out of the trail."""
    touched: list[models.Model] = []
    for member in Member.objects.filter(pk__in=member_ids):
        touched.extend(free_texts_erase(member, texts))
    audit_forget_personal(objs=touched)


@dataclass(frozen=True)
class PrivacyHook:
    key: str
    export: Callable[[Member], Any] | None = None
    erase: Callable[[Sequence[int]], None] | None = None


_hooks: dict[str, PrivacyHook] = {}


def privacy_hook_register(hook: PrivacyHook) -> None:
    """Register an app's part of export and erasure; another hook under a registered key is a mistake (the very
    same hook again changes nothing, so running `ready()` twice is harmless)."""
    if _hooks.get(hook.key, hook) != hook:
        raise ImproperlyConfigured(f"privacy hook {hook.key!r} registered twice")
    _hooks[hook.key] = hook


def privacy_exports(member: Member) -> dict[str, Any]:
    """Every registered app's part of one person's export, by key."""
    return {key: hook.export(member) for key, hook in sorted(_hooks.items()) if hook.export is not None}


def personal_data_erasing(*, members: Sequence[Member]) -> None:
    """Have every app erase its copies of these people's values (called before the members are blanked)."""
    member_ids = [member.pk for member in members]
    for hook in _hooks.values():
        if hook.erase is not None and member_ids:
            hook.erase(member_ids)


def personal_data_erased(*, household: Household | None, members: Sequence[Member]) -> None:
    """Take the erased people's values out of the audit rows written before they were left out."""
    touched: list[Any] = list(members)
    if household is not None:
        touched.append(household)
        touched.extend(Consent.objects.filter(household=household))
    audit_forget_personal(objs=touched)
