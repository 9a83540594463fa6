"""The LINE conversation's state is written by a service, with an audit row that keeps no personal value (#7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from pocketbook.audit.models import Action, ObjectChange
from pocketbook.incidents import services
from pocketbook.incidents.models import LineConversation
from pocketbook.incidents.tests.line.conftest import USER_ID, text_event

pytestmark = pytest.mark.django_db


def _changes() -> list[tuple[str, str, list[str]]]:
    rows = ObjectChange.objects.filter(content_type__model="lineconversation").order_by("pk")
    return [(row.action, row.user_name, (row.after or {}).get("personal_fields_changed", [])) for row in rows]


def test_each_step_of_a_report_leaves_an_audit_row_without_the_reporters_words(chat):
    # when: a reporter starts a report, picks a type and types an address
    chat(text_event("แจ้งเหตุ"))
    chat(text_event("1"))
    chat(text_event("99 หมู่ 3 ตำบลนาบอน"))

    # then: the conversation was created and changed three times, by the system, each audited
    assert _changes() == [
        (Action.CREATE, "system", ["line_user_id", "data"]),
        (Action.UPDATE, "system", []),
        (Action.UPDATE, "system", ["data"]),
        (Action.UPDATE, "system", ["data"]),
    ]
    # and no personal value is in the trail
    stored = str(list(ObjectChange.objects.values_list("before", "after", "object_repr")))
    assert "นาบอน" not in stored
    assert USER_ID not in stored
    assert LineConversation.objects.get(line_user_id=USER_ID).state == "awaiting_details"


def test_moving_only_the_expiry_forward_is_saved_without_an_audit_row():
    # given
    conversation = LineConversation.objects.create(line_user_id=USER_ID, state="choosing_type", data={})
    later = timezone.now() + timedelta(minutes=30)

    # when
    services.line_conversation_save(conversation=conversation, state="choosing_type", data={}, expires_at=later)

    # then
    assert LineConversation.objects.get(pk=conversation.pk).expires_at == later
    assert _changes() == []


def test_locking_a_batch_creates_the_missing_conversations_in_one_audited_insert():
    # given: one user known, two new
    LineConversation.objects.create(line_user_id="U1")

    # when
    with transaction.atomic():
        locked = services.line_conversations_lock(line_user_ids=["U3", "U1", "U2", "U3"])

    # then
    assert sorted(locked) == ["U1", "U2", "U3"]
    assert LineConversation.objects.count() == 3
    assert [action for action, _user, _fields in _changes()] == [Action.CREATE, Action.CREATE]
