"""The API's field messages speak the request's language: Thai first, Pydantic's English on request."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

import pytest
from django.utils import translation
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticKnownError

from pocketbook.core.api_messages import MESSAGES, field_message


class Everything(BaseModel):
    """One field of each kind the API's schemas use, to fail each built-in check once."""

    model_config = ConfigDict(extra="forbid")

    required: str
    short: Annotated[str, Field(min_length=2)] = "ok"
    long: Annotated[str, Field(max_length=3)] = "ok"
    pattern: Annotated[str, Field(pattern=r"^\d{6}$")] = "920101"
    whole: int = 1
    positive: Annotated[int, Field(gt=0)] = 1
    at_least: Annotated[int, Field(ge=0)] = 1
    below: Annotated[int, Field(lt=10)] = 1
    at_most: Annotated[Decimal, Field(le=Decimal("10000000"))] = Decimal(1)
    places: Annotated[Decimal, Field(decimal_places=2)] = Decimal(1)
    real: Annotated[float, Field(allow_inf_nan=False)] = 1.0
    flag: bool = True
    kind: Literal["assault", "confinement", "gathering"] = "assault"
    day: dt.date = dt.date(2024, 1, 1)
    moment: dt.datetime = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    identifier: uuid.UUID = uuid.UUID(int=1)
    items: Annotated[list[int], Field(min_length=1)] = [1]
    mapping: dict[str, int] = {}


BAD = {
    "short": "x",
    "long": "xxxx",
    "pattern": "92",
    "whole": "twelve",
    "positive": 0,
    "at_least": -1,
    "below": 10,
    "at_most": "10000001",
    "places": "1.234",
    "real": "NaN",
    "flag": "perhaps",
    "kind": "fire",
    "day": "15/6/2567",
    "moment": "yesterday",
    "identifier": "not-a-uuid",
    "items": [],
    "mapping": [],
    "unexpected": 1,
}


def _errors() -> list[dict]:
    with pytest.raises(ValidationError) as raised:
        Everything.model_validate(BAD)
    return raised.value.errors(include_url=False)


def test_every_built_in_error_reads_in_thai_without_the_english_fallback():
    # given: one failure of each kind
    errors = _errors()
    assert {error["type"] for error in errors} >= {
        "missing",
        "string_too_short",
        "string_too_long",
        "string_pattern_mismatch",
        "int_parsing",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "decimal_max_places",
        "finite_number",
        "bool_parsing",
        "literal_error",
        "date_from_datetime_parsing",
        "datetime_from_date_parsing",
        "uuid_parsing",
        "too_short",
        "dict_type",
        "extra_forbidden",
    }

    # when
    with translation.override("th"):
        messages = {".".join(map(str, error["loc"])): field_message(error) for error in errors}

    # then: each is Thai, none fell back to quoting Pydantic's English
    assert all(error["type"] in MESSAGES for error in errors)
    for path, message in messages.items():
        assert "ค่านี้ไม่ถูกต้อง" not in message, path
        assert "should" not in message and "required" not in message, (path, message)
    assert messages["required"] == "กรุณากรอกช่องนี้"
    assert messages["at_most"] == "ต้องไม่เกิน 10,000,000"
    assert messages["short"] == "ต้องมีอย่างน้อย 2 ตัวอักษร"
    assert messages["kind"] == "เลือกค่าใดค่าหนึ่งต่อไปนี้: 'assault', 'confinement' หรือ 'gathering'"
    assert messages["unexpected"] == "ช่องนี้ไม่ใช่ส่วนหนึ่งของคำขอ กรุณานำออก"


def test_english_requests_keep_pydantics_own_wording():
    errors = _errors()
    with translation.override("en"):
        assert [field_message(error) for error in errors] == [error["msg"] for error in errors]


def test_a_message_the_project_wrote_is_not_replaced():
    # given: an error of a built-in type whose text is the project's own, already translated
    error = {"type": "decimal_parsing", "loc": ("income",), "msg": "ใส่จำนวนเงินเป็นตัวเลข", "ctx": {}}

    # then
    with translation.override("th"):
        assert field_message(error) == "ใส่จำนวนเงินเป็นตัวเลข"


def test_a_built_in_error_without_a_thai_message_still_answers_in_thai_with_the_detail():
    english = PydanticKnownError("complex_type").message()
    error = {"type": "complex_type", "loc": ("x",), "msg": english, "ctx": {}}
    with translation.override("th"):
        assert field_message(error) == f"ค่านี้ไม่ถูกต้อง ({english})"


@pytest.mark.django_db
def test_the_api_answers_thai_by_default_and_english_when_asked(client, volunteer):
    client.force_login(volunteer)

    thai = client.get("/api/v1/areas/search")
    english = client.get("/api/v1/areas/search", HTTP_ACCEPT_LANGUAGE="en")

    assert thai.status_code == english.status_code == 422
    assert thai.json()["error"]["fields"] == [{"path": "query.q", "message": "กรุณากรอกช่องนี้"}]
    assert english.json()["error"]["fields"] == [{"path": "query.q", "message": "Field required"}]
    assert english.json()["error"]["message"] == "Some fields are not valid."


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_told_so_in_the_requests_language(client, volunteer):
    client.force_login(volunteer)

    thai = client.post("/api/v1/households/search", "5", content_type="application/json")
    english = client.post("/api/v1/households/search", "5", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert thai.status_code == english.status_code == 422
    assert [field["message"] for field in thai.json()["error"]["fields"]] == ["กรุณาส่งออบเจกต์ JSON เช่น {}"]
    assert [field["message"] for field in english.json()["error"]["fields"]] == ["Send a JSON object, for example {}."]
