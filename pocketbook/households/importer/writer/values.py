"""The rows the import writes, as tuples in the columns' order (columns.py), in the form each database takes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from pocketbook.core import crypto
from pocketbook.households.choices import ConsentPurpose, MemberStatus, NoIdReason
from pocketbook.households.importer.rows import HouseholdGroup, MemberRow


class RowValues:
    """The values half of Writer: builds member, event and consent rows (no database access but the time format)."""

    postgres: bool
    with_consent: bool
    source: str
    run_id: int | None
    actor_id: int | None
    _now: Any
    _time_cache: tuple[Any, Any]
    _params_cache: dict[int, str]

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
