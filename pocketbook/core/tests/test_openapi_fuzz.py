"""Schemathesis against /api/v1/openapi.json: no server error and no answer that breaks its own schema.

Each operation gets a bounded number of generated requests (the whole run stays well under a minute on the
shared machine), sent in-process through the WSGI application with the API token of a social worker who also
takes ESS calls: the roles that write households, members, assessments and incidents. Half of the generated
ids are swapped for ids of real records in the worker's area, so the answers with bodies are checked too.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from pocketbook.accounts.roles import Role
from pocketbook.accounts.services import api_token_create
from pocketbook.accounts.tests.factories import UserFactory
from pocketbook.households import events
from pocketbook.households.tests.factories import HouseholdFactory, MemberFactory
from pocketbook.wsgi import application

EXAMPLES_PER_OPERATION = 10


@pytest.fixture(autouse=True)
def _test_transaction_survives_wsgi_calls():
    """Keep the test's connection open across calls into the WSGI application, as Django's test client does.

    Each call ends with `request_finished`, whose `close_old_connections` drops a connection found inside a
    transaction; on PostgreSQL that closed the test's own connection, and the next query failed.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def real_records(db) -> dict[str, str | int]:
    """A worker's token and records in the worker's subdistrict: a household with a member and a timeline."""
    worker = UserFactory(username="fuzz-worker", roles=[Role.SOCIAL_WORKER, Role.ESS_OPERATOR], areas=["920101"])
    household = HouseholdFactory(area_code="92010101", has_consent=True)
    member = MemberFactory(household=household)
    events.household_created(household=household, actor=worker)
    _, key = api_token_create(user=worker, name="schemathesis", actor=worker)
    return {"token": key, "household_id": household.pk, "member_id": member.pk, "code": "92010101"}


def _with_real_ids(case, records: dict[str, str | int]) -> None:
    for name, value in (case.path_parameters or {}).items():
        if name in records and hash(str(value)) % 2 == 0:
            case.path_parameters[name] = records[name]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_without_server_errors_or_schema_violations(case, real_records):
    # given
    _with_real_ids(case, real_records)

    # when
    # identity: the schema describes the JSON itself, not the gzip the pages middleware sends when asked
    response = case.call(headers={"Authorization": f"Bearer {real_records['token']}", "Accept-Encoding": "identity"})

    # then
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
