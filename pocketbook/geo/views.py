"""Villages: list (area-scoped), one village, and the form administrators use to add one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pocketbook.core.http import ViewerRequest
from pocketbook.geo import selectors, services
from pocketbook.geo.forms import VillageForm
from pocketbook.geo.models import Subdistrict, Village


@login_required
def village_list(request: HttpRequest) -> HttpResponse:
    """Villages in the user's areas, optionally narrowed to one area."""
    within = request.GET.get("within", "").strip()
    query = request.GET.get("q", "").strip()[:100]
    villages = selectors.village_list(viewer=request.user, subdistrict_code=within if within.isdigit() else "")
    if query:
        villages = villages.filter(
            Q(name__icontains=query) | Q(code__startswith=query) | Q(subdistrict__name_th__icontains=query)
        )
    page = Paginator(villages, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "geo/village_list.html",
        {
            "page": page,
            "villages": page.object_list,
            "within": within,
            "q": query,
            "can_add": request.user.has_perm("geo.add_village"),
        },
    )


@login_required
def village_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One village; outside the user's areas it answers 404 like a village that does not exist."""
    try:
        village = selectors.village_get(viewer=request.user, code=code)
    except Village.DoesNotExist:
        raise Http404 from None
    return render(request, "geo/village_detail.html", {"village": village, "area": selectors.village_area(village)})


@login_required
@permission_required("geo.add_village", raise_exception=True)
def village_create(request: ViewerRequest) -> HttpResponse:
    """Add a village under a subdistrict inside the administrator's areas."""
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            village = services.village_create(
                subdistrict_code=form.cleaned_data["subdistrict_code"],
                number=form.cleaned_data["number"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except Subdistrict.DoesNotExist:
            form.add_error("subdistrict_code", _("This subdistrict is outside your areas."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(village)s has been added.") % {"village": village})
            return redirect("geo:village_detail", code=village.code)
    return render(request, "geo/village_form.html", {"form": form})
