"""The project's URLs plus one view that fails, to see the product's own error pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from pocketbook.urls import handler400, handler403, handler404, handler500
from pocketbook.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("planted failure")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


urlpatterns = [path("test-broken/", broken), path("test-forbidden/", forbidden), *project_urlpatterns]
