"""Small rules the services and selectors share: the settings they read at call time and the search folding."""

from __future__ import annotations

from django.conf import settings


def referral_answer_days() -> int:
    """Days an agency has to answer a referral before it is overdue."""
    return int(getattr(settings, "CASES_REFERRAL_ANSWER_DAYS", 14))


def stale_days() -> int:
    """Days without a follow-up after which an open case is stale."""
    return int(getattr(settings, "CASES_STALE_DAYS", 30))


def search_key(text: str) -> str:
    """Text folded for a contains-search: lower case, no spaces, no zero-width characters."""
    return "".join(ch for ch in text.lower() if not ch.isspace() and ch not in "\u200b\u200c\u200d\ufeff")
