"""What `/healthz` checks: the database can be written, the disk has room, and whatever the apps register.

A check returns None when all is well, or a reason a person can act on. Apps register their own checks in
`AppConfig.ready()` (incidents: LINE events waiting without a worker); core names no domain app.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

HealthCheck = Callable[[], str | None]

_checks: dict[str, HealthCheck] = {}


def health_check_register(name: str, check: HealthCheck) -> None:
    """Add a check to /healthz under a name (registering a name again replaces it)."""
    _checks[name] = check


def database_writable() -> str | None:
    """Write inside a transaction that is then rolled back: a read-only or full database fails here."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE django_migrations SET id = id WHERE id = (SELECT MIN(id) FROM django_migrations)"
                )
            transaction.set_rollback(True)
    except Exception as error:
        detail = f"{type(error).__name__}: {str(error)[:200]}"
        return f"the database cannot be written ({detail}); check its disk space and permissions"
    return None


def _data_folders() -> list[Path]:
    folders = [Path(settings.MEDIA_ROOT)]
    name = str(settings.DATABASES["default"].get("NAME") or "")
    if connection.vendor == "sqlite" and name and not name.startswith(("file:", ":memory:")):
        folders.append(Path(name).parent)
    return folders


def disk_has_room() -> str | None:
    """Free space where the database file and uploads live, against HEALTHZ_MIN_FREE_BYTES."""
    minimum = int(settings.HEALTHZ_MIN_FREE_BYTES)
    for folder in _data_folders():
        existing = next((path for path in [folder, *folder.parents] if path.exists()), None)
        if existing is None:
            continue
        free = shutil.disk_usage(existing).free
        if free < minimum:
            return (
                f"the disk holding {folder} has {free // (1024 * 1024)} MiB free, under the "
                f"{minimum // (1024 * 1024)} MiB minimum (HEALTHZ_MIN_FREE_BYTES): free some space"
            )
    return None


def health_problems() -> dict[str, str]:
    """Every failing check's name and reason (empty when healthy)."""
    problems = {}
    for name, check in [("database", database_writable), ("disk", disk_has_room), *_checks.items()]:
        reason = check()
        if reason:
            problems[name] = reason
            if name == "database":
                break  # the other checks read the database
    return problems
