"""The address of the person at the other end, as the trusted reverse proxies report it.

Behind a reverse proxy every request comes from the proxy's own address, so a lock-out keyed on
REMOTE_ADDR would lock out everyone at once. Each proxy appends the address it saw to
X-Forwarded-For; with `TRUSTED_PROXY_COUNT` proxies in front of the app, the client is the entry that
many places from the right. Entries further left were written by the client and are never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """Return the client's address: REMOTE_ADDR with no proxy, else the trusted proxies' header entry."""
    remote = request.META.get("REMOTE_ADDR")
    proxy_count: int = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote
    header = request.META.get(settings.TRUSTED_PROXY_HEADER, "")
    hops = [hop for hop in header.split(",") if hop.strip()]
    if len(hops) < proxy_count:
        # The request did not come through every proxy (or the header was dropped): use what we see.
        return remote
    return _valid_address(hops[-proxy_count]) or remote
