"""The LINE chat's state (`LineConversation`): its only writes, audited where they hold a person's data.

The state holds what a reporter has told so far (type, address or location, description, photos), so every
change of the state, the answers or the following flag leaves an audit row (without the values: the model
names them personal). Moving only the expiry forward (the reporter is still talking) is not a change worth a
row. The LINE worker locks the conversations of a whole batch of events with one query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change, record_creations, snapshot
from pocketbook.incidents.models import LineConversation


def line_conversations_lock(*, line_user_ids: list[str]) -> dict[str, LineConversation]:
    """Get the conversations of these LINE users, creating the missing ones, locked for the caller's transaction.

    Locks in the users' order, so two callers locking overlapping sets cannot deadlock. Must run inside a
    transaction (`select_for_update`).
    """
    wanted = sorted(set(line_user_ids))
    if not wanted:
        return {}
    existing = set(LineConversation.objects.filter(line_user_id__in=wanted).values_list("line_user_id", flat=True))
    new_ids = [user_id for user_id in wanted if user_id not in existing]
    if new_ids:
        LineConversation.objects.bulk_create(
            [LineConversation(line_user_id=user_id) for user_id in new_ids], ignore_conflicts=True
        )
    locked = {
        conversation.line_user_id: conversation
        for conversation in LineConversation.objects.select_for_update()
        .filter(line_user_id__in=wanted)
        .order_by("line_user_id")
    }
    if new_ids:
        record_creations(objs=[locked[user_id] for user_id in new_ids], actor=None)
    return locked


@transaction.atomic
def line_conversation_save(
    *,
    conversation: LineConversation,
    state: str,
    data: dict[str, Any],
    expires_at: datetime | None,
    is_following: bool | None = None,
) -> LineConversation:
    """Store where the chat stands; an audit row when the state, the answers or the following flag changed."""
    before = snapshot(conversation)
    changed = state != conversation.state or data != conversation.data
    conversation.state, conversation.data, conversation.expires_at = state, data, expires_at
    if is_following is not None:
        changed = changed or is_following != conversation.is_following
        conversation.is_following = is_following
    conversation.save(update_fields=["state", "data", "expires_at", "is_following", "updated_at"])
    if changed:
        record_change(obj=conversation, action=Action.UPDATE, actor=None, before=before)
    return conversation
