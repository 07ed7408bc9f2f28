"""The house style's helpers: the source line of a figure and where it goes
(under everything, never over the x-axis label)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
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


def _busy_figure(layout_engine_left: bool):
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(7, 3))
    a1.bar(["first group", "second group", "third group"], [3, -1, 2], label="bars")
    a1.tick_params(axis="x", rotation=30)
    a2.plot([0, 1, 2], [2, 0, 1], label="a line")
    a2.set_title("a title")
    if layout_engine_left:
        fig.tight_layout()  # leaves a placeholder layout engine on the figure
    plots.legend_beside(a2)
    fig.text(0.5, 0.0, "a note under the axes", ha="center", va="top")
    plots.caption(fig, "Source: t; B; as of 2026-06-30; n = 1")
    plots.caption(fig, "a second source line")
    return fig


@pytest.mark.parametrize("layout_engine_left", [False, True])
def test_save_writes_the_figure_that_saving_tight_writes(tmp_path, layout_engine_left):
    """`save` measures each Axes once (`settled_bbox`); the PNG is the one
    matplotlib's bbox_inches="tight" writes, pixel for pixel."""
    from PIL import Image, ImageChops

    tight = _busy_figure(layout_engine_left)
    tight.savefig(tmp_path / "tight.png", bbox_inches="tight")
    fig = _busy_figure(layout_engine_left)
    path = plots.save(fig, tmp_path, "saved")
    a, b = (Image.open(p).convert("RGB") for p in (tmp_path / "tight.png", path))
    assert a.size == b.size
    assert ImageChops.difference(a, b).getbbox() is None
    # shown again, the source lines hang from the drawn content as before
    notes = [x for x in fig.artists if x.get_gid() == "source-caption"]
    assert all(callable(n.xycoords[1]) and n.xy == (0.01, 0) for n in notes)
    assert fig.dpi == plt.rcParams["figure.dpi"]
    plt.close(tight)
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


def _tick_steps(ax, axis="y"):
    fig = ax.figure
    fig.canvas.draw()
    target = ax.yaxis if axis == "y" else ax.xaxis
    lo, hi = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
    locs = [v for v in target.get_majorticklocs() if lo - 1e-12 <= v <= hi + 1e-12]
    fmt = target.get_major_formatter()
    labels = [fmt(v) for v in locs]
    return locs, labels


@pytest.mark.parametrize(
    ("low", "high", "height", "decimals"),
    [
        (0.10, 0.225, 2.5, 0),  # matplotlib's own steps: 7.5/10/12.5/15/17.5/20/22.5, printed "8/10/12/15/18/20/23%"
        (0.11, 0.235, 4.5, 0),
        (0.0, 1.02, 4.5, 0),
        (0.121, 0.139, 4.5, 1),
        (-0.04, 0.09, 4.5, 0),
    ],
)
def test_percent_ticks_step_by_round_numbers_and_print_them_exactly(low, high, height, decimals):
    """Steps are 1, 2 or 5 × 10ⁿ points (never 2.5: "22/20/18/15/12%"), and
    every label reads its tick exactly (as many decimals as the step needs)."""
    fig, ax = plt.subplots(figsize=(8, height))
    ax.plot([0, 1], [low, high])
    plots.percent_axis(ax, "y")
    locs, labels = _tick_steps(ax)
    steps = {round((b - a) * 100, 9) for a, b in zip(locs, locs[1:])}
    assert len(steps) == 1, steps
    (step,) = steps
    mantissa = step / 10 ** np.floor(np.log10(step))
    assert round(mantissa, 6) in (1.0, 2.0, 5.0), step
    assert len(set(labels)) == len(labels)  # no two ticks print the same
    shown = [float(t.rstrip("%").replace("−", "-")) for t in labels]
    assert np.allclose(shown, [v * 100 for v in locs])  # printed as they are, not rounded
    assert all(len(t.rstrip("%").partition(".")[2]) == decimals for t in labels)
    plt.close(fig)


def _figures_with_legends(bank):
    from analysis.assumptions import Assumptions
    from analysis.figures import churn as churn_figures
    from analysis.figures import clv as clv_figures
    from analysis.figures import competitors as competitor_figures
    from analysis.figures import overview as overview_figures
    from analysis.figures import survival as survival_figures
    from analysis.figures import value as value_figures
    from analysis.questions import churn, clv, competitors, overview, survival, value

    v = value.analyze(bank)
    lf = churn.loss_factors(bank)
    curves = survival.retention_curves(survival.lifetimes(bank), "segment")
    yield "overview.plot_book", lambda: overview_figures.plot_book(overview.analyze(bank), "en")
    yield "value.plot_tiers", lambda: value_figures.plot_tiers(v.tiers(), "en")
    by_group = {by: v.profitability(by) for by in ("segment", "area", "vip_tier")}
    yield "value.plot_profitability", lambda: value_figures.plot_profitability(by_group, "en")
    yield "churn.plot_loss_reasons", lambda: churn_figures.plot_loss_reasons(lf, "en")
    yield "churn.plot_reasons_over_time", lambda: churn_figures.plot_reasons_over_time(lf, "en")
    yield "survival.plot_retention", lambda: survival_figures.plot_retention(curves, "en")
    yield "clv.plot_retention", lambda: clv_figures.plot_retention(clv.analyze(bank, Assumptions(), by="segment"))
    by_segment = competitors.analyze(bank).by_segment
    yield "competitors.plot_switching", lambda: competitor_figures.plot_switching(by_segment, "en")


def test_legends_stand_beside_the_plot_never_over_its_data(bank_a):
    """Every figure with a legend puts it right of its plot (bars, lines and
    bands may reach any corner): the legend starts beyond the plot's right
    edge, the plot keeps most of the width, and the saved figure holds it."""
    with matplotlib.rc_context():  # the house style: its CJK font draws the banks' Chinese names
        plots.use_style("en")
        for name, make in _figures_with_legends(bank_a):
            fig = make()
            fig.canvas.draw()
            legends = [(ax, ax.get_legend()) for ax in fig.axes if ax.get_legend() is not None]
            assert legends, name
            for ax, legend in legends:
                box, lbox = ax.get_window_extent(), legend.get_window_extent()
                assert lbox.x0 >= box.x1, name  # right of the plot, not over it
                assert all(lbox.x0 >= other.get_window_extent().x1 for other in fig.axes), name  # nor a neighbour's
                saved = fig.get_tightbbox(fig.canvas.get_renderer())
                assert saved.x1 * fig.dpi >= lbox.x1 - 1, name
            assert sum(ax.get_window_extent().width for ax in fig.axes) >= 0.45 * fig.bbox.width, name
            plt.close(fig)


def test_a_saved_figure_records_its_smallest_text(tmp_path):
    """The PNG says how small its text is as drawn (the deck shows a figure
    only where that text stays at least 14 pt on the slide); tick labels count."""
    from PIL import Image

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 1], [0, 1])
    ax.set_title("a title", fontsize=14)
    ax.tick_params(labelsize=11)
    assert plots.smallest_text_pt(fig) == 11
    plots.caption(fig, "Source: t; B")  # source lines are 8 pt
    path = plots.save(fig, tmp_path, "probe")
    with Image.open(path) as im:
        assert float(im.text[plots.TEXT_PT_KEY]) == 8
    plt.close(fig)
