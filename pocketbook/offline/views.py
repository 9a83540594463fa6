"""The installable app's pieces served by Django: the service worker at the site root, the manifest, the app shell."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.offline import selectors, services

THEME_COLOUR = "#0b5cab"
# Bumped when the service worker's caching changes, so phones drop the old caches.
SERVICE_WORKER_VERSION = "1"


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that it may control every page (scope "/")."""
    response = render(
        request,
        "offline/sw.js",
        {
            "version": SERVICE_WORKER_VERSION,
            "workbox": [
                static(f"vendor/workbox/workbox-{name}.prod.js") for name in ("core", "routing", "strategies")
            ],
            "shell_url": reverse("offline:shell"),
            "precache": [
                reverse("offline:shell"),
                static("css/app.css"),
                static("js/htmx.min.js"),
                static("js/app.js"),
                static("offline/offline.js"),
                static("vendor/idb/idb.umd.js"),
                static("fonts/sarabun-subset/sarabun-thai-400-normal.woff2"),
                static("fonts/sarabun-subset/sarabun-latin-400-normal.woff2"),
                static("fonts/sarabun-subset/sarabun-thai-700-normal.woff2"),
                static("fonts/sarabun-subset/sarabun-latin-700-normal.woff2"),
                static("offline/icon-192.png"),
            ],
            "static_url": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: Thai name, icons, theme colour, starting at My households."""
    response = JsonResponse(
        {
            "name": _("Pocketbook for volunteers"),
            "short_name": _("Pocketbook"),
            "lang": "th",
            "start_url": reverse("households:household_list") + "?source=pwa",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f5f7fa",
            "theme_color": THEME_COLOUR,
            "icons": [
                {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("offline/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def shell(request: HttpRequest) -> HttpResponse:
    """The offline app's page: it draws My households, a household, the forms and the outbox from the phone.

    It holds no personal data itself (the service worker keeps it for any user), so it needs no sign-in.
    """
    return render(request, "offline/shell.html")


@login_required
def device_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The phones that keep caseloads, each with a button to revoke it (office roles see everyone's)."""
    devices = selectors.device_list(viewer=request.user)
    if request.method == "POST":
        chosen = {str(device.pk): device for device in devices}.get(request.POST.get("device", ""))
        if chosen is None:
            raise Http404
        services.device_revoke(device=chosen, actor=request.user)
        messages.success(request, _("The phone's offline access has been revoked."))
        return redirect("offline:device_list")
    return render(request, "offline/device_list.html", {"devices": devices})
