"""A map that needs no tiles and no JavaScript: each area a circle at its centre, sized by its households and
coloured by the share failing, drawn on the server as SVG (beside the same numbers in a table). Areas whose
centre is not known yet (no GPS point recorded there) still get their circle, in a grid band at the bottom."""

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
GRID_COLUMNS = 5  # areas with no location yet are drawn in rows of this many


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


def _grid(codes: list[str], *, top: float, height: float) -> dict[str, tuple[float, float]]:
    """Positions in rows of at most GRID_COLUMNS, in code order, filling the band [top, top + height]."""
    if not codes:
        return {}
    columns = min(len(codes), GRID_COLUMNS)
    rows = math.ceil(len(codes) / columns)
    cell_width, cell_height = (WIDTH - 2 * PADDING) / columns, height / rows
    return {
        code: (PADDING + cell_width * (index % columns + 0.5), top + cell_height * (index // columns + 0.4))
        for index, code in enumerate(codes)
    }


def _project(areas: list[MapArea]) -> dict[str, tuple[float, float]]:
    """Screen positions: placed areas by longitude (scaled by the cosine of the mean latitude) and latitude, fitted
    to the box; areas with no location yet in a grid band at the bottom (the whole box when none is placed)."""
    placed = [area for area in areas if area.centre is not None]
    unplaced = [area.code for area in areas if area.centre is None]
    if not placed:
        return _grid(unplaced, top=PADDING, height=HEIGHT - 2 * PADDING)
    band = min(HEIGHT / 3, 70.0 * math.ceil(len(unplaced) / GRID_COLUMNS)) if unplaced else 0.0
    mean_latitude = sum(area.centre.latitude for area in placed if area.centre) / len(placed)
    squeeze = math.cos(math.radians(mean_latitude))
    xs = {area.code: area.centre.longitude * squeeze for area in placed if area.centre}
    ys = {area.code: -area.centre.latitude for area in placed if area.centre}
    span = max(max(xs.values()) - min(xs.values()), max(ys.values()) - min(ys.values())) or 1.0
    box_height = HEIGHT - band
    scale = min(WIDTH, box_height) - 2 * PADDING - LABEL_ROOM
    left = (WIDTH - scale * (max(xs.values()) - min(xs.values())) / span) / 2
    top = (box_height - LABEL_ROOM - scale * (max(ys.values()) - min(ys.values())) / span) / 2
    positions = {
        code: (left + scale * (xs[code] - min(xs.values())) / span, top + scale * (ys[code] - min(ys.values())) / span)
        for code in xs
    }
    positions.update(_grid(unplaced, top=box_height, height=band - PADDING / 2))
    return positions


def circles_svg(areas: list[MapArea], *, title: str | Promise) -> SafeString:
    """The SVG of the placed areas, largest first so small circles stay on top and clickable."""
    positions = _project(areas)
    largest = max((area.households for area in areas if area.code in positions), default=0) or 1
    radius_cap = LARGEST if all(area.centre for area in areas) else min(LARGEST, 90 / GRID_COLUMNS)
    circles = []
    for area in sorted((a for a in areas if a.code in positions), key=lambda a: -a.households):
        x, y = positions[area.code]
        radius = SMALLEST + (radius_cap - SMALLEST) * math.sqrt(max(area.households, 0) / largest)
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
