"""A map that needs no tiles and no JavaScript: each area a circle at its centre, sized by its households and
coloured by the share failing, drawn on the server as SVG (beside the same numbers in a table)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pocketbook.reports.places import Centre

# Five classes of the share failing, light to dark (ColorBrewer "Reds", readable in greyscale too).
SHARE_COLOURS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
WIDTH, HEIGHT, PADDING = 480, 360, 40
SMALLEST, LARGEST = 6.0, 30.0
LABEL_ROOM = 24  # below the lowest circle, for its name


@dataclass
class MapArea:
    """One circle: an area, where it is (None: not placed yet), how many households and the share failing."""

    code: str
    name: str
    centre: Centre | None
    households: int
    share: float | None  # 0..1; None when nothing is known (or suppressed)
    households_shown: str  # "< 5" for small cells when the viewer may not see people


def share_colour(share: float | None) -> str:
    """The fill of a share failing (grey when unknown)."""
    if share is None:
        return "#d0d5db"
    return SHARE_COLOURS[min(int(share * len(SHARE_COLOURS)), len(SHARE_COLOURS) - 1)]


def _project(areas: list[MapArea]) -> dict[str, tuple[float, float]]:
    """Screen positions of the placed areas: longitude scaled by the cosine of the mean latitude, fitted to the box."""
    placed = [area for area in areas if area.centre is not None]
    if not placed:
        return {}
    mean_latitude = sum(area.centre.latitude for area in placed if area.centre) / len(placed)
    squeeze = math.cos(math.radians(mean_latitude))
    xs = {area.code: area.centre.longitude * squeeze for area in placed if area.centre}
    ys = {area.code: -area.centre.latitude for area in placed if area.centre}
    span = max(max(xs.values()) - min(xs.values()), max(ys.values()) - min(ys.values())) or 1.0
    scale = min(WIDTH, HEIGHT) - 2 * PADDING - LABEL_ROOM
    left = (WIDTH - scale * (max(xs.values()) - min(xs.values())) / span) / 2
    top = (HEIGHT - LABEL_ROOM - scale * (max(ys.values()) - min(ys.values())) / span) / 2
    return {
        code: (left + scale * (xs[code] - min(xs.values())) / span, top + scale * (ys[code] - min(ys.values())) / span)
        for code in xs
    }


def circles_svg(areas: list[MapArea], *, title: str | Promise) -> SafeString:
    """The SVG of the placed areas, largest first so small circles stay on top and clickable."""
    positions = _project(areas)
    largest = max((area.households for area in areas if area.code in positions), default=0) or 1
    circles = []
    for area in sorted((a for a in areas if a.code in positions), key=lambda a: -a.households):
        x, y = positions[area.code]
        radius = SMALLEST + (LARGEST - SMALLEST) * math.sqrt(max(area.households, 0) / largest)
        share = "–" if area.share is None else f"{round(100 * area.share)}%"
        label = _("%(name)s: %(households)s households, %(share)s failing") % {
            "name": area.name,
            "households": area.households_shown,
            "share": share,
        }
        circles.append(
            format_html(
                '<g class="svgmap__area" data-area="{}"><circle cx="{}" cy="{}" r="{}" fill="{}" '
                'stroke="#5f6b7a" stroke-width="1"><title>{}</title></circle>'
                '<text x="{}" y="{}" text-anchor="middle" class="svgmap__label">{}</text></g>',
                area.code,
                f"{x:.1f}",
                f"{y:.1f}",
                f"{radius:.1f}",
                share_colour(area.share),
                label,
                f"{x:.1f}",
                f"{y + radius + 12:.1f}",
                area.name,
            )
        )
    legend = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="#5f6b7a"/>'
        '<text x="{}" y="{}" class="svgmap__legend">{}</text></g>',
        (
            (12, 12 + 20 * index, colour, 32, 24 + 20 * index, f"{20 * index}–{20 * (index + 1)}%")
            for index, colour in enumerate(SHARE_COLOURS)
        ),
    )
    return format_html(
        '<svg class="svgmap" viewBox="0 0 {} {}" role="img" aria-label="{}" preserveAspectRatio="xMidYMid meet">'
        '<rect width="100%" height="100%" fill="#f4f6f8"/>{}{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        mark_safe("".join(circles)),  # noqa: S308 - each part built by format_html above
        legend,
    )
