"""Every write of the offline app: devices seen and revoked, the records a phone sends, and conflicting edits.

`sync` stores each outbox record once; `conflicts` keeps an edit that met someone else's change until the
volunteer or the office chooses. Callers import from here.
"""

from pocketbook.offline.services.conflicts import (
    conflict_choices,
    conflict_resolve,
    member_conflicts_erase,
    member_conflicts_export,
)
from pocketbook.offline.services.sync import (
    CONFLICT,
    DUPLICATE,
    REFUSED,
    STORED,
    DeviceRevoked,
    SyncOutcome,
    device_revoke,
    device_seen,
    household_fields,
    household_version,
    member_fields,
    member_version,
    sync_record,
)

__all__ = [
    "CONFLICT",
    "DUPLICATE",
    "REFUSED",
    "STORED",
    "DeviceRevoked",
    "SyncOutcome",
    "conflict_choices",
    "conflict_resolve",
    "device_revoke",
    "device_seen",
    "household_fields",
    "household_version",
    "member_conflicts_erase",
    "member_conflicts_export",
    "member_fields",
    "member_version",
    "sync_record",
]
