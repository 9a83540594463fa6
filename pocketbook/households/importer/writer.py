"""Write checked households in chunks: one transaction per chunk, COPY on PostgreSQL, executemany on SQLite.

The per-row ORM would manage about 16,000 rows/s (PERFORMANCE.md); this writes straight through the
database driver. A chunk is all-or-nothing; when the database refuses a chunk (a race, a constraint),
each household of it is written again on its own, so one bad household never takes its neighbours
down and never stays half-written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pocketbook.core import crypto
from pocketbook.geo.models import Village
from pocketbook.geo.services import villages_ensure
from pocketbook.households.choices import ConsentPurpose, EventKind, MemberStatus, NoIdReason
from pocketbook.households.importer.rows import HouseholdGroup, MemberRow, Rejection
from pocketbook.households.models import Consent, Household, HouseholdEvent, Member

logger = logging.getLogger(__name__)

# Member columns the import sets, in the order rows are written.
MEMBER_FIELDS = (
    "household_id",
    "status",
    "title",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_year_only",
    "national_id_encrypted",
    "national_id_hash",
    "national_id_last_digit",
    "no_id_reason",
    "relation",
    "education_level",
    "is_studying",
    "occupation",
    "monthly_income",
    "has_disability",
    "has_disability_card",
    "chronic_illness",
    "is_bedridden",
    "is_pregnant",
    "has_welfare_card",
    "receives_elderly_allowance",
    "receives_disability_allowance",
    "receives_child_support",
    "created_at",
    "updated_at",
    "import_run_id",
)
# The imported facts compared to decide whether an existing member changed.
COMPARED = (
    "title",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "relation",
    "education_level",
    "occupation",
    "monthly_income",
    "has_disability",
    "chronic_illness",
    "is_bedridden",
    "has_welfare_card",
)
HOUSEHOLD_FIELDS = (
    "id",
    "household_key",
    "area_code",
    "house_no",
    "address",
    "phone",
    "status",
    "has_consent",
    "created_at",
    "updated_at",
    "import_run_id",
)


@dataclass
class Counts:
    households_created: int = 0
    households_updated: int = 0
    households_unchanged: int = 0
    members_created: int = 0
    members_updated: int = 0
    members_unchanged: int = 0
    villages_created: int = 0
    rejected_rows: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ChunkResult:
    counts: Counts = field(default_factory=Counts)
    rejections: list[Rejection] = field(default_factory=list)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


class Writer:
    """Writes chunks of checked household groups; keeps the villages it has seen."""

    def __init__(self, *, actor: Any, source: str, with_consent: bool, run_id: int | None = None) -> None:
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

    # ------------------------------------------------------------ reads

    def _in_list(self, column: str) -> str:
        """`column` is one of a list given as one parameter (see `_list`), which the column's index serves."""
        if self.postgres:
            return f"{column} = ANY(%s)"
        return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - a column name from this module

    def _list(self, values: list[Any]) -> Any:
        return values if self.postgres else json.dumps(values)

    def _existing_households(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        if self.keys_in_memory is not None:
            keys = [key for key in keys if key in self.keys_in_memory]
            if not keys:
                return {}
        names = ("id", "household_key", "area_code", "house_no", "phone", "has_consent")
        with connection.cursor() as cursor:
            cursor.execute(
                # "NOT household_key = ''" repeats the unique index's condition, so SQLite may use that index.
                f"SELECT {_columns(names)} FROM {_table(Household)} "  # noqa: S608
                f"WHERE {self._in_list('household_key')} AND NOT household_key = ''",
                [self._list(keys)],
            )
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            row["has_consent"] = bool(row["has_consent"])
        return {row["household_key"]: row for row in rows}

    def _existing_members(self, households: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
        if not households:
            return {}
        found: dict[int, list[dict[str, Any]]] = {}
        rows = Member.objects.filter(
            household_id__in=[h["id"] for h in households], status=MemberStatus.ACTIVE
        ).values("id", "household_id", "national_id_hash", *COMPARED)
        for row in rows:
            found.setdefault(row["household_id"], []).append(row)
        return found

    def _remember_written_ids(self) -> None:
        if self.holders_in_memory is not None:
            for lookup, household_id in self._written_ids:
                self.holders_in_memory[bytes.fromhex(lookup)] = household_id
        if self.keys_in_memory is not None:
            self.keys_in_memory.update(self._written_keys)
        self._written_ids = []
        self._written_keys = []

    def _active_id_holders(self, hashes: list[str]) -> dict[str, tuple[int, str]]:
        if not hashes:
            return {}
        if self.holders_in_memory is not None:
            return self._holders_from_memory(hashes)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.national_id_hash, m.household_id, h.household_key FROM {_table(Member)} m "  # noqa: S608
                f"JOIN {_table(Household)} h ON h.id = m.household_id "
                f"WHERE m.status = %s AND {self._in_list('m.national_id_hash')}",
                [MemberStatus.ACTIVE.value, self._list(hashes)],
            )
            return {h: (household_id, key or "") for h, household_id, key in cursor.fetchall()}

    def _holders_from_memory(self, hashes: list[str]) -> dict[str, tuple[int, str]]:
        assert self.holders_in_memory is not None
        found = {h: household_id for h in hashes if (household_id := self.holders_in_memory.get(bytes.fromhex(h)))}
        if not found:
            return {}
        keys = dict(Household.objects.filter(pk__in=set(found.values())).values_list("id", "household_key"))
        return {h: (household_id, keys.get(household_id) or "") for h, household_id in found.items()}

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

    # ------------------------------------------------------------ values

    def _phone(self, group: HouseholdGroup) -> str:
        return next((row.phone for row in group.rows if row.phone), "")

    def _compared(self, row: MemberRow, named: bool) -> tuple[Any, ...]:
        return (
            row.title if named else "",
            row.first_name if named else "",
            row.last_name if named else "",
            row.sex,
            row.birth_date if named else dt.date(row.birth_date.year, 7, 1),
            row.relation,
            row.education_level,
            row.occupation if named else "",
            row.monthly_income,
            row.has_disability,
            row.chronic_illness,
            row.is_bedridden,
            row.has_welfare_card,
        )

    def _member_values(
        self, household_id: int, row: MemberRow, hashes: dict[str, str], now: dt.datetime
    ) -> tuple[Any, ...]:
        named = self.with_consent
        (
            title,
            first_name,
            last_name,
            sex,
            birth_date,
            relation,
            education,
            occupation,
            income,
            disability,
            chronic,
            bedridden,
            welfare,
        ) = self._compared(row, named)
        if named and row.national_id:
            encrypted, lookup, last, no_id = (
                crypto.encrypt(row.national_id),
                hashes[row.national_id],
                row.national_id[-1],
                "",
            )
        else:
            encrypted, lookup, last, no_id = "", "", "", (NoIdReason.OTHER if named else "")
        return (
            household_id,
            MemberStatus.ACTIVE,
            title,
            first_name,
            last_name,
            sex,
            self._date(birth_date),
            not named,
            encrypted,
            lookup,
            last,
            no_id,
            relation,
            education,
            False,
            occupation,
            self._decimal(income),
            disability,
            False,
            chronic,
            bedridden,
            False,
            welfare,
            False,
            False,
            False,
            self._time(now),
            self._time(now),
            self.run_id,
        )

    def _encrypt_new_ids(self, groups: list[HouseholdGroup]) -> dict[str, str]:
        """The encrypted form of every national ID of new named members, in one batch."""
        if not self.with_consent:
            return {}
        numbers = [row.national_id for group in groups for row in group.rows if row.national_id]
        return dict(zip(numbers, crypto.encrypt_many(numbers), strict=True))

    def _named_member(
        self, household_id: int, row: MemberRow, hashes: dict[str, str], encrypted: dict[str, str]
    ) -> tuple[Any, ...]:
        """The member columns (MEMBER_FIELDS) of a new member of a household with consent."""
        number = row.national_id
        stamp = self._now
        return (
            household_id,
            "active",
            row.title,
            row.first_name,
            row.last_name,
            row.sex,
            row.birth_date if self.postgres else row.birth_date.isoformat(),
            False,
            encrypted[number] if number else "",
            hashes[number] if number else "",
            number[-1] if number else "",
            "" if number else NoIdReason.OTHER.value,
            row.relation,
            row.education_level,
            False,
            row.occupation,
            row.monthly_income if self.postgres or row.monthly_income is None else str(row.monthly_income),
            row.has_disability,
            False,
            row.chronic_illness,
            row.is_bedridden,
            False,
            row.has_welfare_card,
            False,
            False,
            False,
            stamp,
            stamp,
            self.run_id,
        )

    def _created_params(self, members: int) -> str:
        params = self._params_cache.get(members)
        if params is None:
            values: dict[str, Any] = {"source": self.source, "members_created": members, "created": True}
            if self.run_id is not None:
                values["run"] = self.run_id
            params = json.dumps(values)
            self._params_cache[members] = params
        return params

    def _event(self, household_id: int, kind: str, params: dict[str, Any], now: dt.datetime) -> tuple[Any, ...]:
        return (household_id, kind, json.dumps(params), self.actor_id, self._time(now))

    def _consent(self, household_id: int, now: dt.datetime) -> tuple[Any, ...]:
        return (
            household_id,
            _("Imported from %(file)s") % {"file": self.source},
            self._time(now),
            json.dumps([ConsentPurpose.POCKETBOOK]),
            self.actor_id,
            "",
            self._time(now),
            self._time(now),
        )

    def _date(self, value: dt.date) -> Any:
        return value if self.postgres else value.isoformat()

    def _decimal(self, value: Any) -> Any:
        return value if self.postgres or value is None else str(value)

    def _time(self, value: dt.datetime) -> Any:
        if self.postgres:
            return value
        if value is not self._time_cache[0]:
            self._time_cache = (value, connection.ops.adapt_datetimefield_value(value))
        return self._time_cache[1]

    # ------------------------------------------------------------ writes

    def _ensure_villages(self, codes: Iterable[str], result: ChunkResult) -> None:
        missing = sorted(code for code in codes if code not in self.villages)
        if not missing:
            return
        created = villages_ensure(codes=missing, actor=self.actor)
        self.villages.update(missing)
        result.counts.villages_created += len(created)

    def _allocate_household_ids(self, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Household._meta.db_table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the transaction is IMMEDIATE, so nobody else writes until it ends.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_table(Household)}")  # noqa: S608 - table name from the model
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    @contextmanager
    def _sending(self, model: Any, fields: Sequence[str]) -> Iterator[Callable[[list[tuple[Any, ...]]], None]]:
        """Insert rows given inside the block; on PostgreSQL they are on their way while the block goes on."""
        if not self.postgres:
            collected: list[tuple[Any, ...]] = []
            yield collected.extend
            self._insert(model, fields, collected)
            return
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {_table(model)} ({_columns(fields)}) FROM STDIN") as copy,
        ):
            write_row = copy.write_row

            def send(rows: list[tuple[Any, ...]]) -> None:
                for row in rows:
                    write_row(row)

            yield send

    def _insert(self, model: Any, fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        table, columns = _table(model), _columns(fields)
        # The driver's own cursor is used below: wrap_database_errors turns its errors into Django's, which
        # write() catches to retry household by household.
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["?"] * len(fields))
                connection.connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608

    def _update_members(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        sets = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in COMPARED)
        id_sets = (
            "national_id_encrypted = COALESCE(%s, national_id_encrypted), "
            "national_id_hash = COALESCE(%s, national_id_hash), "
            "national_id_last_digit = COALESCE(%s, national_id_last_digit), updated_at = %s, "
            "import_run_id = COALESCE(%s, import_run_id)"
        )
        prepared = [self._prepare_update(row) for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {_table(Member)} SET {sets}, {id_sets} WHERE id = %s", prepared)  # noqa: S608

    def _prepare_update(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        values[4] = self._date(values[4])
        values[8] = self._decimal(values[8])
        values[-2] = self._time(values[-2])
        values.insert(-1, self.run_id)
        return tuple(values)

    def _update_households(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        prepared = [
            (area, house_no, phone, self._time(now), self.run_id, pk) for area, house_no, phone, now, pk in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {_table(Household)} SET area_code = %s, house_no = %s, phone = %s, updated_at = %s, "  # noqa: S608
                "import_run_id = COALESCE(%s, import_run_id) WHERE id = %s",
                prepared,
            )

    def _trace_households(self, household_ids: list[int]) -> None:
        """Point the households whose members alone changed at the run (their own details and time stay)."""
        if not household_ids or self.run_id is None:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_table(Household)} SET import_run_id = %s WHERE {self._in_list('id')}",  # noqa: S608
                [self.run_id, self._list(household_ids)],
            )


# SQLite's page cache during an import, in KiB: the member indexes' pages stay in memory between chunks instead of
# being read back from the file (its default is 2 MiB).
SQLITE_IMPORT_CACHE_KIB = 131_072


@contextmanager
def sqlite_page_cache() -> Iterator[None]:
    """On SQLite, give this connection a larger page cache while the import runs."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _reject_group(group: HouseholdGroup, reason: str) -> list[Rejection]:
    return [Rejection(row.row, "household_key", group.key, reason) for row in group.rows]
