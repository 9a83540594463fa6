"""Every API body must be a JSON object: 5, null, [] or "x" answer 422 on every endpoint that takes a body, never
"no filter" or "no change" (PUT /participants/{id}/scores once cleared both scores when sent "x")."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from pocketbook.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOT_OBJECTS = ["5", "null", "[]", '"x"']


def _body_operations(client: Client) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").json()
    return sorted(
        (method, path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation and "application/json" in operation["requestBody"].get("content", {})
    )


def test_every_json_body_that_is_not_an_object_is_refused_with_422():
    # given: a superuser (past every permission check), so only the body decides
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, areas=["92"]))
    operations = _body_operations(client)

    # when
    accepted = []
    for method, path in operations:
        url = re.sub(r"\{[^}]+\}", "1", path)
        for body in NOT_OBJECTS:
            response = client.generic(method.upper(), url, body, content_type="application/json")
            if response.status_code != 422:
                accepted.append((method, path, body, response.status_code))

    # then
    assert len(operations) > 20
    assert accepted == [], "\n".join(map(str, accepted))


def test_the_refusal_names_the_problem_in_thai():
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, areas=["92"]))

    response = client.put("/api/v1/participants/1/scores", '"x"', content_type="application/json")

    assert response.status_code == 422
    assert "JSON" in json.dumps(response.json(), ensure_ascii=False)
