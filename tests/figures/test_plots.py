"""The house style's helpers: the source line of a figure and where it goes
(under everything, never over the x-axis label)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from analysis.figures import style as plots  # noqa: E402
from analysis.words.names import branch_name  # noqa: E402


def test_source_caption_names_tables_branch_as_of_and_n(bank_a):
    name = bank_a.branch["branch_name"]
    zh = plots.source_caption(bank_a, "surveys", 141, "zh", "responses")
    assert zh == f"数据：客户满意度调查；{name}；截至2026-06-30；n = 141份问卷"
    en = plots.source_caption(bank_a, "customers, monthly_snapshots", 12_345, "en", "customers", extra="P(1): first")
    assert en == (
        f"Source: customer records, monthly balance snapshots; {branch_name(name)}; as of 2026-06-30; n = 12,345 "
        "customers; P(1): first"
    )
    assert plots.source_caption(bank_a, "customers", 7, "en").endswith("; n = 7")


def test_caption_line_without_as_of_or_n():
    assert plots.caption_line("B", None, "t", None, "en") == "Source: t; B"


def _extent(artist, fig):
    return artist.get_window_extent(fig.canvas.get_renderer())


@pytest.mark.parametrize("layout_after", [False, True])
def test_caption_hangs_below_the_x_axis_label(layout_after):
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("a long label on the x axis")
    ax.tick_params(axis="x", rotation=45)
    plots.caption(fig, "Source: t; B; as of 2026-06-30; n = 1")
    if layout_after:  # a layout made after the caption is still respected
        fig.tight_layout()
    fig.canvas.draw()
    note = next(a for a in fig.artists if a.get_gid() == "source-caption")
    label, ticks = _extent(ax.xaxis.label, fig), ax.get_tightbbox(fig.canvas.get_renderer())
    box = _extent(note, fig)
    assert box.y1 < label.y0 and box.y1 < ticks.y0
    # saved "tight", the figure grows to hold it
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    assert tight.y0 * fig.dpi <= box.y0 + 1
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)


def test_captions_stack_and_clear_figure_texts():
    fig, ax = plt.subplots()
    ax.set_xlabel("x")
    plots.caption(fig, "first")
    fig.text(0.5, 0.0, "a note under the axes", ha="center", va="top")
    plots.caption(fig, "second")
    fig.canvas.draw()
    first, second = (a for a in fig.artists if a.get_gid() == "source-caption")
    note = fig.texts[-1]
    assert _extent(first, fig).y1 < _extent(note, fig).y0
    assert _extent(second, fig).y1 < _extent(first, fig).y0
    plt.close(fig)


def test_money_ticks_print_whole_numbers_without_decimals():
    fig, ax = plt.subplots()
    plots.money_axis(ax, "x", "en")
    fmt = ax.xaxis.get_major_formatter()
    assert [fmt(v, None) for v in (0, 2_500, 5_000, 150_000, -50_000)] == ["0", "2.5", "5", "150", "−50"]
    plt.close(fig)
