"""The index's trend lines: small inline SVG, no script."""

from __future__ import annotations

import re

from analysis.figures.style import ACCENT, HOME
from analysis.report.sparkline import HEIGHT, PAD, WIDTH, sparkline


def _points(svg: str) -> list[tuple[float, float]]:
    (line,) = re.findall(r'<polyline points="([^"]+)"', svg)
    return [tuple(map(float, p.split(","))) for p in line.split()]


def test_one_point_per_run_oldest_left_within_the_box():
    svg = sparkline([("2025-12-31", 0.16), ("2026-03-31", 0.14), ("2026-06-30", 0.15)], better=-1)
    pts = _points(svg)
    assert [x for x, _ in pts] == [PAD, WIDTH / 2, WIDTH - PAD]
    ys = [y for _, y in pts]
    assert ys[0] == PAD and ys[1] == HEIGHT - PAD and ys[0] < ys[2] < ys[1]  # the highest value at the top
    assert "<script" not in svg and "http" not in svg  # inline in the page: nothing to run or fetch
    assert "<title>2025-12-31: 0.16; 2026-03-31: 0.14; 2026-06-30: 0.15</title>" in svg


def test_the_latest_run_is_marked_when_it_moved_the_wrong_way():
    worse = sparkline([("2026-03-31", 0.14), ("2026-06-30", 0.15)], better=-1)
    better = sparkline([("2026-03-31", 0.16), ("2026-06-30", 0.15)], better=-1)
    neither = sparkline([("2026-03-31", 100), ("2026-06-30", 90)], better=0)
    assert f'fill="{ACCENT}"' in worse and f'fill="{HOME}"' in better and f'fill="{HOME}"' in neither


def test_no_line_for_a_single_run_and_a_flat_line_for_equal_values():
    assert sparkline([("2026-06-30", 0.15)]) is None and sparkline([]) is None
    flat = sparkline([("2026-03-31", 3.0), ("2026-06-30", 3.0)])
    assert {y for _, y in _points(flat)} == {HEIGHT / 2}
