"""Write checked households in chunks: one transaction per chunk, COPY on PostgreSQL, executemany on SQLite.

A chunk is all-or-nothing; when the database refuses a chunk (a race, a constraint), each household of it is
written again on its own, so one bad household never takes its neighbours down and never stays half-written.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.accounts.models import User
from pocketbook.core import crypto
from pocketbook.geo.models import Village
from pocketbook.households.choices import EventKind
from pocketbook.households.importer.rows import HouseholdGroup, Rejection
from pocketbook.households.importer.writer.columns import COMPARED, HOUSEHOLD_FIELDS, MEMBER_FIELDS, ChunkResult
from pocketbook.households.importer.writer.tables import TableAccess
from pocketbook.households.models import Consent, Household, HouseholdEvent, Member

logger = logging.getLogger(__name__)


class Writer(TableAccess):
    """Writes chunks of checked household groups; keeps the villages it has seen."""

    def __init__(self, *, actor: User | None, source: str, with_consent: bool, run_id: int | None = None) -> None:
        self.actor = actor
        # The import run every household and member written or changed points at (None: not an import).
        self.run_id = run_id
        self.actor_id = actor.pk if actor is not None else None
        self.source = source
        self.with_consent = with_consent
        self.postgres = connection.vendor == "postgresql"
        self.villages = set(Village.objects.values_list("code", flat=True))
        self._time_cache: tuple[Any, Any] = (None, None)
        self._now: Any = None
        self._params_cache: dict[int, str] = {}
        self._consent_tail: tuple[Any, ...] = ()
        # First load only: the household holding each national ID (by its hash's bytes) this import wrote.
        self.holders_in_memory: dict[bytes, int] | None = None
        self._written_ids: list[tuple[str, int]] = []
        # First load only, when no household had a key before it: the keys this import wrote.
        self.keys_in_memory: set[str] | None = None
        self._written_keys: list[str] = []

    # ------------------------------------------------------------ public

    def track_id_holders_in_memory(self) -> None:
        """Know who holds each ID from what this import writes instead of asking the database.

        Only for a first load (FirstLoad): the member table was empty and stays locked for the whole import, so
        the only active holders of an ID are the members this import wrote, and the hash index is not there yet.
        """
        self.holders_in_memory = {}

    def track_household_keys_in_memory(self) -> None:
        """Know which household keys exist from what this import writes instead of asking the database.

        Only for a first load that began with no household carrying a key: then a key exists only if this import
        wrote it. A key someone else adds meanwhile meets the unique index, and that household is refused.
        """
        self.keys_in_memory = set()

    def write(self, groups: list[HouseholdGroup]) -> ChunkResult:
        """Write one chunk atomically; on a database refusal, write its households one by one."""
        try:
            with transaction.atomic():
                result = self._write(groups)
            self._remember_written_ids()
            return result
        except DatabaseError as error:
            logger.warning("import chunk refused (%s); writing its %s households one by one", error, len(groups))
        result = ChunkResult()
        for group in groups:
            try:
                with transaction.atomic():
                    one = self._write([group])
                self._remember_written_ids()
            except DatabaseError as error:
                logger.warning("import: household %s refused by the database: %s", group.key, error)
                result.rejections.extend(
                    _reject_group(
                        group,
                        _("The database refused this household: %(error)s")
                        % {"error": str(error).splitlines()[0][:200]},
                    )
                )
                result.counts.rejected_rows += len(group.rows)
            else:
                result.counts.add(one.counts)
                result.rejections.extend(one.rejections)
        return result

    # ------------------------------------------------------------ one chunk

    def _write(self, groups: list[HouseholdGroup]) -> ChunkResult:
        result = ChunkResult()
        now = timezone.now()
        self._now = self._time(now)
        # A consent row without its household: the same for every household of the chunk.
        self._consent_tail = self._consent(0, now)[1:]
        self._written_ids = []
        self._written_keys = [group.key for group in groups]  # a few may be refused below: then the database is asked
        self._ensure_villages({group.first.area_code for group in groups}, result)
        existing_households = self._existing_households([group.key for group in groups])
        existing_members = self._existing_members(list(existing_households.values()))
        numbers = [row.national_id for group in groups for row in group.rows if row.national_id]
        hashes = dict(zip(numbers, crypto.lookup_hashes(numbers), strict=True))
        holders = self._active_id_holders(list(hashes.values()))

        new_households: list[HouseholdGroup] = []
        updates: list[tuple[dict[str, Any], HouseholdGroup]] = []
        for group in groups:
            current = existing_households.get(group.key)
            conflict = self._id_conflicts(group, hashes, holders, current)
            if conflict:
                result.rejections.extend(conflict)
                result.counts.rejected_rows += len(group.rows)
                continue
            if current is None:
                new_households.append(group)
            else:
                updates.append((current, group))

        ids = self._allocate_household_ids(len(new_households))
        named = self.with_consent
        stamp = self._now
        household_rows = [
            (
                household_id,
                group.key,
                group.first.area_code,
                group.first.house_no if named else "",
                "",
                self._phone(group) if named else "",
                "active",
                named,
                stamp,
                stamp,
                self.run_id,
            )
            for household_id, group in zip(ids, new_households, strict=True)
        ]
        member_rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        consents: list[tuple[Any, ...]] = []
        member_updates: list[tuple[Any, ...]] = []
        household_updates: list[tuple[Any, ...]] = []
        household_traces: list[int] = []
        # The households go first; PostgreSQL works through them (indexes, checks) while the members are prepared.
        with self._sending(Household, HOUSEHOLD_FIELDS) as send:
            send(household_rows)
            encrypted = self._encrypt_new_ids(new_households)
            for household_id, group in zip(ids, new_households, strict=True):
                if named:
                    member_rows.extend(self._named_member(household_id, row, hashes, encrypted) for row in group.rows)
                    self._written_ids.extend(
                        (hashes[row.national_id], household_id) for row in group.rows if row.national_id
                    )
                    consents.append((household_id, *self._consent_tail))
                else:
                    member_rows.extend(self._member_values(household_id, row, hashes, now) for row in group.rows)
                events.append(
                    (household_id, EventKind.IMPORTED, self._created_params(len(group.rows)), self.actor_id, stamp)
                )
                result.counts.households_created += 1
                result.counts.members_created += len(group.rows)
            for current, group in updates:
                self._plan_update(
                    current,
                    group,
                    existing_members.get(current["id"], []),
                    hashes,
                    now,
                    member_rows,
                    member_updates,
                    household_updates,
                    household_traces,
                    events,
                    result,
                )

        self._insert(
            Consent,
            (
                "household_id",
                "given_by_name",
                "given_at",
                "purposes",
                "recorded_by_id",
                "withdrawn_reason",
                "created_at",
                "updated_at",
            ),
            consents,
        )
        self._insert(Member, MEMBER_FIELDS, member_rows)
        self._update_members(member_updates)
        self._update_households(household_updates)
        self._trace_households(household_traces)
        self._insert(HouseholdEvent, ("household_id", "kind", "params", "actor_id", "time"), events)
        return result

    def _remember_written_ids(self) -> None:
        if self.holders_in_memory is not None:
            for lookup, household_id in self._written_ids:
                self.holders_in_memory[bytes.fromhex(lookup)] = household_id
        if self.keys_in_memory is not None:
            self.keys_in_memory.update(self._written_keys)
        self._written_ids = []
        self._written_keys = []

    # ------------------------------------------------------------ decisions

    def _id_conflicts(
        self,
        group: HouseholdGroup,
        hashes: dict[str, str],
        holders: dict[str, tuple[int, str]],
        current: dict[str, Any] | None,
    ) -> list[Rejection]:
        for row in group.rows:
            if not row.national_id:
                continue
            holder = holders.get(hashes[row.national_id])
            if holder is not None and (current is None or holder[0] != current["id"]):
                if self._may_see(holder[0]):
                    reason = _(
                        "This person is already an active member of another household (%(key)s). "
                        "Move them in Pocketbook, or fix the household_key."
                    ) % {"key": holder[1] or holder[0]}
                else:  # naming a household outside the user's areas would say where that person lives
                    reason = _(
                        "This person is already an active member of a household outside your areas. "
                        "Ask the office to move them, or fix the household_key."
                    )
                others = _("Not imported: row %(row)s of the same household has a problem.") % {"row": row.row}
                return [
                    Rejection(
                        r.row, "national_id" if r is row else "household_key", "", reason if r is row else others
                    )
                    for r in group.rows
                ]
        # Two households in one chunk claiming one person: the second one is refused.
        for row in group.rows:
            if row.national_id:
                holders.setdefault(hashes[row.national_id], (current["id"] if current else -1, group.key))
        return []

    def _may_see(self, household_id: int) -> bool:
        """True when the importing user may see that household (an import without a user sees all)."""
        if self.actor is None or self.actor.is_superuser:
            return True
        return bool(Household.objects.for_user(self.actor, "view").filter(pk=household_id).exists())

    def _plan_update(
        self,
        current: dict[str, Any],
        group: HouseholdGroup,
        members: list[dict[str, Any]],
        hashes: dict[str, str],
        now: dt.datetime,
        member_rows: list[tuple[Any, ...]],
        member_updates: list[tuple[Any, ...]],
        household_updates: list[tuple[Any, ...]],
        household_traces: list[int],
        events: list[tuple[Any, ...]],
        result: ChunkResult,
    ) -> None:
        household_id = current["id"]
        first = group.first
        house_no = first.house_no if current["has_consent"] else ""
        phone = (self._phone(group) or current["phone"]) if current["has_consent"] else ""
        changed_household = (first.area_code, house_no, phone) != (
            current["area_code"],
            current["house_no"],
            current["phone"],
        )
        if changed_household:
            household_updates.append((first.area_code, house_no, phone, now, household_id))
        by_hash = {m["national_id_hash"]: m for m in members if m["national_id_hash"]}
        by_name = {(m["first_name"], m["last_name"], m["birth_date"]): m for m in members if not m["national_id_hash"]}
        created = updated = 0
        for row in group.rows:
            match = by_hash.get(hashes[row.national_id]) if row.national_id else None
            if match is None:
                match = by_name.get((row.first_name, row.last_name, row.birth_date))
            if match is None:
                member_rows.append(self._member_values(household_id, row, hashes, now))
                if row.national_id and self.with_consent:
                    self._written_ids.append((hashes[row.national_id], household_id))
                created += 1
                continue
            values = self._compared(row, current["has_consent"])
            old = tuple(match[name] for name in COMPARED)
            id_missing = bool(row.national_id) and not match["national_id_hash"]
            if values == old and not id_missing:
                result.counts.members_unchanged += 1
                continue
            encrypted = hashes_value = last = None
            if id_missing and current["has_consent"]:
                encrypted, hashes_value, last = (
                    crypto.encrypt(row.national_id),
                    hashes[row.national_id],
                    row.national_id[-1],
                )
            if hashes_value:
                self._written_ids.append((hashes_value, household_id))
            member_updates.append((*values, encrypted, hashes_value, last, now, match["id"]))
            updated += 1
        result.counts.members_created += created
        result.counts.members_updated += updated
        if changed_household or created or updated:
            result.counts.households_updated += 1
            if not changed_household:
                household_traces.append(household_id)  # its members changed: the household points at the run too
            params = {"source": self.source, "members_created": created, "members_updated": updated, "created": False}
            if self.run_id is not None:
                params["run"] = self.run_id
            events.append(self._event(household_id, EventKind.IMPORTED, params, now))
        else:
            result.counts.households_unchanged += 1


def _reject_group(group: HouseholdGroup, reason: str) -> list[Rejection]:
    return [Rejection(row.row, "household_key", group.key, reason) for row in group.rows]
