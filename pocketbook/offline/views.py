"""The installable app's pieces served by Django: the service worker at the site root, the manifest, the app shell."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from pocketbook.accounts.http import AuthenticatedHttpRequest
from pocketbook.offline import selectors, services
from pocketbook.offline.models import SyncConflict

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


def _may_resolve_conflicts(request: HttpRequest) -> None:
    if not request.user.has_perm("offline.change_syncconflict"):
        raise PermissionDenied


@login_required
def conflict_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The edits from phones that met someone else's change, in the viewer's areas, both versions field by field."""
    _may_resolve_conflicts(request)
    return render(request, "offline/conflict_list.html", {"conflicts": selectors.conflict_list(viewer=request.user)})


# What each button of a conflict takes from the phone: nothing, everything it changed, or the fields ticked.
KEEP_OFFICE, TAKE_PHONE, BY_FIELD = "office", "phone", "fields"


@login_required
@require_POST
def conflict_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Resolve one conflict with the office's version, the phone's, or a choice per field."""
    try:
        conflict = selectors.conflict_get(viewer=request.user, pk=pk)
    except SyncConflict.DoesNotExist:
        raise Http404 from None
    choice = request.POST.get("choice", "")
    offered = services.conflict_choices(conflict)
    if choice == KEEP_OFFICE:
        taken: set[str] = set()
    elif choice == TAKE_PHONE:
        taken = offered
    elif choice == BY_FIELD:
        taken = {name for name in offered if request.POST.get(f"field_{name}") == TAKE_PHONE}
    else:
        messages.error(request, _("Choose which version to keep."))
        return redirect("offline:conflict_list")
    try:
        services.conflict_resolve(conflict=conflict, take_from_phone=taken, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("offline:conflict_list") + f"#conflict-{conflict.pk}")
    messages.success(request, _("The conflict is resolved; the phone will stop waiting."))
    return redirect("offline:conflict_list")
