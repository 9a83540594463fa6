"""The signed, expiring, single-referral reply link printed as a QR code on the referral letter.

The token carries the referral's id and its nonce, signed with the project's secret and a salt of its own;
it expires after CASES_REPLY_LINK_DAYS. Each use is logged (`ReferralLinkUse`), answered or refused.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from .choices import ReplyAction
from .models import Referral, ReferralLinkUse

SALT = "pocketbook.cases.referral-reply"


def reply_token(referral: Referral) -> str:
    """The signed token of a referral's reply link."""
    return signing.dumps({"r": referral.pk, "n": referral.reply_nonce}, salt=SALT, compress=True)


def reply_url(referral: Referral, request: HttpRequest | None = None) -> str:
    """The full address of the reply page (SITE_BASE_URL, else the address of the current request)."""
    path = reverse("cases:referral_reply", args=[reply_token(referral)])
    base = getattr(settings, "SITE_BASE_URL", "").rstrip("/")
    if base:
        return base + path
    return request.build_absolute_uri(path) if request is not None else path


def referral_for_token(token: str) -> tuple[Referral | None, str]:
    """The referral a token opens, or None and why not ("expired", "invalid")."""
    max_age = int(getattr(settings, "CASES_REPLY_LINK_DAYS", 60)) * 24 * 3600
    try:
        payload: Any = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        return None, "expired"
    except signing.BadSignature:
        return None, "invalid"
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        return None, "invalid"
    referral = (
        Referral.objects.select_related("case__household", "need__indicator", "agency", "case__member")
        .filter(pk=payload["r"], reply_nonce=str(payload.get("n", "")))
        .first()
    )
    return (referral, "") if referral is not None else (None, "invalid")


def _client_address(request: HttpRequest) -> str | None:
    address = request.META.get("REMOTE_ADDR") or None
    return address


@transaction.atomic
def link_use_log(*, request: HttpRequest, referral: Referral | None, action: str, detail: str = "") -> None:
    """Log one use of a reply link (every view, answer and refusal)."""
    ReferralLinkUse.objects.create(
        referral=referral,
        action=ReplyAction(action),
        detail=detail[:200],
        ip_address=_client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
