"""A figure's runs as a small inline SVG line (no script, nothing fetched).

The index draws one under each branch's figure: one point per recorded run,
oldest left, evenly spaced (runs are quarterly as a rule), the y axis
spanning that branch's own range of the figure; the latest run is a dot in
the home bank's colour, or in the accent colour when it moved the wrong way
(against the figure's better direction) since the run before. The hover
title lists the runs and their values as shown in the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from analysis.figures.style import ACCENT, HOME, NEUTRAL

WIDTH, HEIGHT, PAD = 64, 18, 2.5


def sparkline(
    series: Sequence[tuple[str, float]], better: int = 0, shown: Callable[[float], str] = lambda v: f"{v:g}"
) -> str | None:
    """The SVG for (as_of, value) pairs, oldest first; None with fewer than two runs."""
    points = [(a, float(v)) for a, v in series if v is not None and v == v]
    if len(points) < 2:
        return None
    values = [v for _, v in points]
    lo, hi = min(values), max(values)
    span = hi - lo or 1.0
    step = (WIDTH - 2 * PAD) / (len(points) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        y = HEIGHT - PAD - (v - lo) / span * (HEIGHT - 2 * PAD) if hi > lo else HEIGHT / 2
        return round(PAD + i * step, 1), round(y, 1)

    coords = [xy(i, v) for i, v in enumerate(values)]
    wrong = better != 0 and (values[-1] - values[-2]) * better < 0
    last = coords[-1]
    title = "; ".join(f"{a}: {shown(v)}" for a, v in points)
    line = " ".join(f"{x},{y}" for x, y in coords)
    return (
        f'<svg class="spark" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<polyline points="{line}" fill="none" stroke="{NEUTRAL}" stroke-width="1.2"/>'
        f'<circle cx="{last[0]}" cy="{last[1]}" r="2.2" fill="{ACCENT if wrong else HOME}"/></svg>'
    )
