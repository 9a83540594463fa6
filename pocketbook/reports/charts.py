"""Charts drawn on the server as SVG, each followed by the same numbers as a table (no JavaScript needed).

    bar_chart([ChartRow("สุขภาพ", 12, "12"), ...], title="Failing per dimension", unit="%")
    stacked_bar([("2568", [3, 5, 2])], series=["better", "same", "worse"], title=...)
    line_chart(["2567", "2568"], {"M0": [0.12, 0.10]}, title=...)

Each returns safe markup: a <figure> with an <svg role="img"> and a <details> holding a <table> that screen
readers and people copying into a spreadsheet can use. A suppressed value ("< 5") is drawn as no bar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

PALETTE = ("#1f6f8b", "#e07a1f", "#6a8d2f", "#a23b72", "#5b5f97", "#c9a227", "#3f7f5f")
_ids = count(1)
Label = str | Promise


@dataclass(frozen=True)
class ChartRow:
    """One bar: its label, its value (None when suppressed) and the text shown for it."""

    label: Label
    value: float | None
    shown: str = ""

    @property
    def text(self) -> str:
        if self.shown:
            return self.shown
        return "" if self.value is None else f"{self.value:,}"


def _short(label: Label, limit: int = 24) -> str:
    """A label that fits beside a bar; the full text stays in the bar's tooltip and the table."""
    text = str(label)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _table(caption: Label, head: Sequence[Label], body: Sequence[Sequence[str | Label]]) -> SafeString:
    header = format_html_join("", "<th scope='col'>{}</th>", ((h,) for h in head))
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th>{}</tr>",
        ((row[0], format_html_join("", "<td class='num'>{}</td>", ((cell,) for cell in row[1:]))) for row in body),
    )
    return format_html(
        "<details class='chart-data'><summary>{}</summary><table class='table'><caption>{}</caption>"
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></details>",
        _("Figures as a table"),
        caption,
        header,
        rows,
    )


def _svg(width: int, height: int, chart_id: str, parts: list[SafeString]) -> SafeString:
    return format_html(
        "<svg viewBox='0 0 {} {}' width='100%' role='img' aria-labelledby='{}' class='chart-svg'>{}</svg>",
        width,
        max(height, 1),
        chart_id,
        mark_safe("".join(parts)),  # noqa: S308 - each part went through format_html
    )


def _figure(title: Label, svg: SafeString, table: SafeString, chart_id: str) -> SafeString:
    return format_html(
        "<figure class='chart' aria-labelledby='{}'><figcaption id='{}'>{}</figcaption>{}{}</figure>",
        chart_id,
        chart_id,
        title,
        svg,
        table,
    )


def bar_chart(
    rows: Sequence[ChartRow], *, title: Label, unit: str = "", max_value: float | None = None, label_header: Label = ""
) -> SafeString:
    """Horizontal bars, one per row, with the value written at the end of each bar."""
    chart_id = f"chart-{next(_ids)}"
    top = max_value or max((row.value or 0 for row in rows), default=0) or 1
    bar_height, gap, label_width, width = 22, 8, 160, 560
    height = len(rows) * (bar_height + gap) + gap
    parts: list[SafeString] = []
    for index, row in enumerate(rows):
        y = gap + index * (bar_height + gap)
        length = 0 if row.value is None else max(0.0, row.value) / top * (width - label_width - 70)
        parts.append(
            format_html(
                "<text x='{}' y='{}' text-anchor='end' class='chart-label'>{}</text>"
                "<rect x='{}' y='{}' width='{}' height='{}' fill='{}'><title>{}: {}{}</title></rect>"
                "<text x='{}' y='{}' class='chart-value'>{}{}</text>",
                label_width - 6,
                f"{y + bar_height * 0.7:.1f}",
                _short(row.label),
                label_width,
                y,
                f"{length:.1f}",
                bar_height,
                PALETTE[0],
                row.label,
                row.text,
                unit,
                f"{label_width + length + 4:.1f}",
                f"{y + bar_height * 0.7:.1f}",
                row.text,
                unit,
            )
        )
    svg = _svg(width, height, chart_id, parts)
    head = [label_header or _("Item"), (_("Value") + (f" ({unit})" if unit else ""))]
    return _figure(title, svg, _table(title, head, [(row.label, row.text) for row in rows]), chart_id)


def stacked_bar(
    rows: Sequence[tuple[Label, Sequence[int]]], *, series: Sequence[Label], title: Label, label_header: Label = ""
) -> SafeString:
    """One horizontal bar per row, split into the series (shares of the row's total), with a legend."""
    chart_id = f"chart-{next(_ids)}"
    bar_height, gap, label_width, width = 22, 8, 160, 560
    legend_height = 24
    height = legend_height + len(rows) * (bar_height + gap) + gap
    parts = [
        format_html(
            "<rect x='{}' y='4' width='12' height='12' fill='{}'/><text x='{}' y='15' class='chart-legend'>{}</text>",
            label_width + index * 130,
            PALETTE[index % len(PALETTE)],
            label_width + index * 130 + 16,
            name,
        )
        for index, name in enumerate(series)
    ]
    for row_index, (label, values) in enumerate(rows):
        y = legend_height + gap + row_index * (bar_height + gap)
        total = sum(values) or 1
        x = float(label_width)
        parts.append(
            format_html(
                "<text x='{}' y='{}' text-anchor='end' class='chart-label'>{}</text>",
                label_width - 6,
                f"{y + bar_height * 0.7:.1f}",
                _short(label),
            )
        )
        for index, value in enumerate(values):
            length = value / total * (width - label_width - 10)
            parts.append(
                format_html(
                    "<rect x='{}' y='{}' width='{}' height='{}' fill='{}'><title>{}: {} {}</title></rect>",
                    f"{x:.1f}",
                    y,
                    f"{length:.1f}",
                    bar_height,
                    PALETTE[index % len(PALETTE)],
                    label,
                    series[index],
                    f"{value:,}",
                )
            )
            x += length
    svg = _svg(width, height, chart_id, parts)
    body = [(label, *(f"{value:,}" for value in values)) for label, values in rows]
    return _figure(title, svg, _table(title, [label_header or _("Item"), *series], body), chart_id)


def line_chart(
    x_labels: Sequence[Label], series: Mapping[str, Sequence[float | None]], *, title: Label, unit: str = ""
) -> SafeString:
    """Lines across the x labels (for example fiscal years), one per series, with points and a legend."""
    chart_id = f"chart-{next(_ids)}"
    width, height, left, bottom, top_margin = 560, 236, 50, 30, 4 + 16 * ((len(series) + 2) // 3) + 8
    values = [v for line in series.values() for v in line if v is not None]
    top = max(values, default=0) or 1
    step = (width - left - 20) / max(len(x_labels) - 1, 1)
    parts: list[SafeString] = []
    for index, label in enumerate(x_labels):
        parts.append(
            format_html(
                "<text x='{}' y='{}' text-anchor='middle' class='chart-label'>{}</text>",
                f"{left + index * step:.1f}",
                height - 8,
                label,
            )
        )
    for series_index, (name, line) in enumerate(series.items()):
        colour = PALETTE[series_index % len(PALETTE)]
        points = [
            (left + index * step, top_margin + (1 - v / top) * (height - bottom - top_margin))
            for index, v in enumerate(line)
            if v is not None
        ]
        parts.append(
            format_html(
                "<rect x='{}' y='{}' width='12' height='12' fill='{}'/>"
                "<text x='{}' y='{}' class='chart-legend'>{}</text>",
                left + (series_index % 3) * 170,
                4 + (series_index // 3) * 16,
                colour,
                left + (series_index % 3) * 170 + 16,
                15 + (series_index // 3) * 16,
                _short(name, 22),
            )
        )
        if points:
            parts.append(
                format_html(
                    "<polyline fill='none' stroke='{}' stroke-width='2' points='{}'/>",
                    colour,
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                )
            )
        parts.extend(
            format_html("<circle cx='{}' cy='{}' r='3' fill='{}'/>", f"{x:.1f}", f"{y:.1f}", colour) for x, y in points
        )
    svg = _svg(width, height, chart_id, parts)
    names = list(series)
    body = [
        (label, *("" if series[n][i] is None else f"{series[n][i]:,}{unit}" for n in names))
        for i, label in enumerate(x_labels)
    ]
    return _figure(title, svg, _table(title, [_("Period"), *names], body), chart_id)


__all__ = ["ChartRow", "bar_chart", "line_chart", "stacked_bar"]
