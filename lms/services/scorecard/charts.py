"""Accessible charts as inline SVG, drawn on the server (no JavaScript).

Each chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that
summarises it in words; the page always puts the data table beside it, so
nothing is only visible. Colours come from classes in ``app.css`` (the CSP
allows no inline styles), and every bar carries its value as text, so no
information depends on colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from lms.i18n import current_locale

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 26, 46


def scale(value: float, ticks: int = 5) -> tuple[int, int]:
    """(top, step) of a scale from 0 with at most ``ticks`` whole-number steps.

    Steps are 1, 2 or 5 x 10^n, so gridlines fall on round numbers.
    """
    value = max(1, math.ceil(value))
    power = 1
    while True:
        for base in (1, 2, 5):
            step = base * power
            if math.ceil(value / step) <= ticks:
                return step * math.ceil(value / step), step
        power *= 10


def _number(value: int) -> str:
    """"1,234" / "1234": a count as the reader's language writes it."""
    return format_decimal(value, locale=current_locale())


def describe(title: str, description: str, points: Sequence[tuple[str, int | None, str]],
             unit: str) -> str:
    """A sentence or two a screen reader can use in place of the picture."""
    drawn = [(label, value) for label, value, _ in points if value is not None]
    parts = [_("Bar chart: %(title)s, %(first)s to %(last)s.", title=title,
               first=points[0][0], last=points[-1][0]) if points
             else _("Bar chart: %(title)s.", title=title), str(description)]
    if drawn:
        high = max(drawn, key=lambda p: p[1])
        low = min(drawn, key=lambda p: p[1])
        parts.append(_("Highest: %(high)s %(unit)s in %(high_month)s; lowest: %(low)s in "
                       "%(low_month)s.", high=_number(high[1]), unit=unit, high_month=high[0],
                       low=_number(low[1]), low_month=low[0]))
    hidden = len(points) - len(drawn)
    if hidden:
        parts.append(ngettext("%(num)d month is not drawn because the figure is too small to "
                              "publish.", "%(num)d months are not drawn because the figure is "
                              "too small to publish.", hidden))
    parts.append(_("The table beside the chart lists every value."))
    return " ".join(p for p in parts if p)


def bar_chart(chart_id: str, title: str, description: str,
              points: Sequence[tuple[str, int | None, str]], *, maximum: int | None = None,
              unit: str = "people") -> Markup:
    """A vertical bar chart of ``points`` = (label "Mon YYYY", value or None, text).

    ``None`` values (suppressed) are drawn as a dashed outline marked
    "<N"-style text from the point's own text, never as a bar of any height.
    ``maximum`` fixes the top of the scale (e.g. the number of departments).
    """
    values = [v for _, v, _ in points if v is not None]
    top, step = scale(max([maximum or 0, *values, 1]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = plot_w / max(1, len(points))
    bar_w = max(4.0, band * 0.62)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(title, description, points, unit))}</desc>',
    ]
    for tick in range(0, top + 1, step):  # gridlines and scale
        label = f"{tick:,}"
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                     f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(f'<text class="chart-scale" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
                     f'text-anchor="end">{label}</text>')
    previous_year = None
    for i, (label, value, text) in enumerate(points):
        x = LEFT + i * band + (band - bar_w) / 2
        centre = x + bar_w / 2
        if value is None:
            parts.append(f'<rect class="chart-hidden" x="{x:.1f}" y="{y(0) - 14:.1f}" '
                         f'width="{bar_w:.1f}" height="14"/>')
            size = str(text).rsplit(" ", 1)[-1]  # "fewer than 5" in any language
            short = "<" + size if size.isdigit() else "?"
            parts.append(f'<text class="chart-value" x="{centre:.1f}" y="{y(0) - 18:.1f}" '
                         f'text-anchor="middle">{escape(short)}</text>')
        else:
            parts.append(f'<rect class="chart-bar" x="{x:.1f}" y="{y(value):.1f}" '
                         f'width="{bar_w:.1f}" height="{y(0) - y(value):.1f}"/>')
            parts.append(f'<text class="chart-value" x="{centre:.1f}" y="{y(value) - 5:.1f}" '
                         f'text-anchor="middle">{value:,}</text>')
        month, _space, year = str(label).rpartition(" ")
        parts.append(f'<text class="chart-label" x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                     f'text-anchor="middle">{escape(month)}</text>')
        if i == 0 or year != previous_year:
            parts.append(f'<text class="chart-label" x="{centre:.1f}" '
                         f'y="{HEIGHT - BOTTOM + 32}" text-anchor="middle">{escape(year)}</text>')
        previous_year = year
    parts.append(f'<line class="chart-axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
                 f'y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
