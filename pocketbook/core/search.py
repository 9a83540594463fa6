"""Searches by name, phone or national ID never travel in a URL in clear.

The search box posts its text; a page that must be linkable (a redirect, the pager) carries the text
encrypted in `s`, so names and IDs never reach web server logs, browser history or Referer headers.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.http import HttpRequest

from pocketbook.core import crypto

SEARCH_MAX_LENGTH = 100
# The highest code point: on SQLite (BINARY collation, byte order) `name >= prefix AND name < prefix + MAX_CHAR`
# is a prefix match its B-tree index serves.
MAX_CHAR = "\U0010ffff"


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, in the form the database's own index serves.

    PostgreSQL: LIKE 'prefix%' on a `varchar_pattern_ops` index, right whatever the database's collation.
    SQLite: a range, since its LIKE is case-insensitive and never uses an index.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + MAX_CHAR})


def search_text(request: HttpRequest) -> str:
    """The search typed: posted by the form (`q`), or carried encrypted in `s` by links."""
    if request.method == "POST":
        return request.POST.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    return search_decrypted(request.GET.get("s", ""))


def search_decrypted(token: str) -> str:
    """The search a link (or an export job's filters) carries encrypted in `s`; "" when missing or tampered."""
    if not token:
        return ""
    try:
        return crypto.decrypt(token)[:SEARCH_MAX_LENGTH]
    except ValueError:
        return ""


def search_params(search: str) -> dict[str, str]:
    """The query parameters that carry `search` in a link: encrypted, or nothing."""
    return {"s": crypto.encrypt(search)} if search else {}
