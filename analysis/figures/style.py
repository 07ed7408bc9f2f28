"""The house style of every figure (DESIGN.md "Figures and prose").

- One palette for the suite, colour-blind safe (Okabe–Ito); the home bank is
  always `HOME`, competitors `MUTED` greys.
- A CJK font comes with the package's own install (mplfonts ships Noto Sans
  CJK SC), so Chinese labels never show as empty boxes on a fresh machine.
- Money axes in 万元 (zh) or thousand CNY (en): `money_axis`; money and
  shares in prose and tables: `money`, `pct`.
- Every figure carries one source line under it (`caption(fig,
  source_caption(bank, tables, n, lang))`: tables, branch, as-of, n) and is
  saved by `save` as PNG into the run's `figures/` folder and shown in the
  notebook.
"""

from __future__ import annotations

import importlib.util
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Annotation, Text
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator
from matplotlib.transforms import Bbox

from analysis.words import names
from analysis.words.format import money_unit
from analysis.words.lang import pick
from analysis.words.sources import source_name

# Okabe–Ito: distinguishable under the common colour-vision deficiencies.
HOME = "#0072B2"  # the home bank, everywhere
ACCENT = "#D55E00"  # the one thing a figure wants the eye on (risk, loss)
GOOD = "#009E73"
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
MUTED = ["#8C8C8C", "#A6A6A6", "#BDBDBD", "#6E6E6E", "#CFCFCF", "#7F7F7F", "#B0B0B0", "#969696"]
NEUTRAL = "#9E9E9E"

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """The CJK font shipped by the `mplfonts` package (installed with the suite).

    Found where the package lies, without importing it: the suite needs its
    font file only, not its font-management helpers."""
    spec = importlib.util.find_spec("mplfonts")
    origin = spec.origin if spec is not None else None
    path = Path(origin).parent / "fonts" / CJK_FONT_FILE if origin else Path("mplfonts") / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"CJK font not found at {path}; reinstall the package (pip install mplfonts)")
    return path


@lru_cache(maxsize=1)
def _register_font() -> str:
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_style(lang: str = "zh") -> None:
    """Apply the house style; call once at the top of a notebook."""
    name = _register_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [name, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "figure.figsize": (8, 4.5),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.25,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            # Noto Sans CJK SC ships one weight: emphasis is by colour and size,
            # never bold (which would fall back to regular with a warning).
            "axes.titleweight": "normal",
            "axes.titlesize": 14,
            "axes.labelsize": 10,
            "legend.frameon": False,
        }
    )


def money_axis(ax, axis: str = "y", lang: str = "zh", label: str | None = None) -> None:
    """Format an axis holding CNY as 万元 / thousand CNY, with the unit in its label."""
    div, unit = money_unit(lang)

    def tick(v: float, _: object) -> str:  # whole ticks without decimals ("0", not "0.0"), a typographic minus
        x = v / div
        text = f"{x:,.0f}" if abs(x) >= 10 or float(x).is_integer() else f"{x:,.1f}"
        return text.replace("-", "−")

    fmt = FuncFormatter(tick)
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(fmt)
    text = f"{label} ({unit})" if label else unit
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(text)


#: Tick steps of a percent axis: 1, 2 or 5 times a power of ten points (never 2.5, which would print rounded)
ROUND_STEPS = [1, 2, 5, 10]


class PercentTicks(Formatter):
    """Shares (0.2 = 20 %) printed as percent with as many decimals as the
    tick step needs (steps of 0.5 points print one decimal), at least `decimals`."""

    def __init__(self, decimals: int = 0):
        self.decimals = decimals
        self.ticks: list[float] = []

    def set_locs(self, locs) -> None:  # the axis's ticks, given before they are printed
        self.ticks = list(locs)

    def step_decimals(self) -> int:
        locs = np.unique(np.round(np.asarray(self.ticks, dtype=float) * 100, 9))
        if len(locs) < 2:
            return self.decimals
        step = float(np.min(np.diff(locs)))
        return max(self.decimals, -math.floor(math.log10(step) + 1e-9)) if step > 0 else self.decimals

    def __call__(self, x: float, pos: int | None = None) -> str:
        return f"{x * 100:.{self.step_decimals()}f}%".replace("-", "−")


def percent_ticks(axis, decimals: int = 0) -> None:
    """Round tick steps on a share axis (`axis` an x or y Axis): 1, 2 or 5 ×
    10ⁿ points, printed as percent with the decimals the step needs."""
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=ROUND_STEPS))
    axis.set_major_formatter(PercentTicks(decimals))


def percent_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    """A share axis (0.2 = 20 %) with round tick steps (`percent_ticks`)."""
    percent_ticks(ax.yaxis if axis == "y" else ax.xaxis, decimals)


def lay_out(fig) -> None:
    """Fit the Axes of `fig` to its size, titles and tick labels included:
    `tight_layout` where several Axes (a colour bar counts) could run into
    each other. A lone Axes needs none: `save` crops the figure to what is
    drawn, and the layout would measure every text once more (issue 18)."""
    if len(fig.axes) > 1:
        fig.tight_layout()


def legend_beside(ax, **kwargs) -> None:
    """The legend to the right of the plot, outside it: never over a row of
    estimates (dot-and-whisker charts fill the whole plot area). Call it after
    the layout (`tight_layout` would shrink the plot to make room); the saved
    figure (bbox "tight") widens to hold it."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, borderaxespad=0.0, **kwargs)


def _ems(text: str) -> float:
    """The width of a text in ems: full-width (CJK) characters 1, others about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.55 for c in text)


def wrap(text: str, pt: float, width_in: float) -> str:
    """`text` broken into lines no wider than `width_in` inches at `pt` points:
    at spaces where it has them, between full-width characters where it has none."""
    room = width_in * 72.0 / pt
    lines, line = [], ""
    # words where it has spaces (or no full-width character: a word is never cut), else characters
    spaced = " " in text or not any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)
    for token in re.findall(r"\S+\s*|\s+", text) if spaced else list(text):
        if line and _ems(line + token.rstrip()) > room:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x)


def spread_labels(ax, ys, gap_pt: float) -> list[float]:
    """Vertical offsets (points) that keep labels placed at data heights `ys`
    at least `gap_pt` apart on the drawn axes: from the lowest up, a label
    too close to the one below moves up (end labels of lines that finish
    close together); labels with room stay at their data. Call it once the
    axes have their final limits and size (after the layout)."""
    if not len(ys):
        return []
    to_pt = 72.0 / ax.figure.dpi
    at = [ax.transData.transform((0, y))[1] * to_pt for y in ys]
    order = sorted(range(len(at)), key=lambda i: at[i])
    placed = [at[i] for i in order]
    for k in range(1, len(placed)):  # push up from the lowest
        placed[k] = max(placed[k], placed[k - 1] + gap_pt)
    out = [0.0] * len(at)
    for k, i in enumerate(order):
        out[i] = placed[k] - at[i]
    return out


#: where a point's label may go, in points from the point, in order of preference
LABEL_SPOTS = ((7, -10), (7, 4), (-7, 4), (-7, -10), (7, 16), (-7, -22), (7, -24), (-7, 18), (0, 12), (0, -26))


def place_apart(
    fig,
    labels: list[Annotation],
    fixed: tuple[Text, ...] | list[Text] = (),
    spots: tuple[tuple[int, int], ...] = LABEL_SPOTS,
) -> None:
    """Move each point label (an `annotate` in offset points) to the first of
    `spots` (LABEL_SPOTS) where it overlaps neither a label placed before it nor a
    `fixed` text (points that sit close together). Call it once the axes
    have their final limits and size (after the layout)."""
    renderer = fig.canvas.get_renderer()
    taken = [t.get_window_extent(renderer) for t in fixed if t.get_text()]
    for label in labels:
        for dx, dy in spots:
            label.xyann = (dx, dy)
            label.set_horizontalalignment("left" if dx > 0 else "right" if dx < 0 else "center")
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in taken):
                break
        taken.append(label.get_window_extent(renderer))


def interval_dots(ax, y, estimate, low, high, color, label: str | None = None, marker: str = "o") -> None:
    """Estimates at rows `y` as dots with their intervals as capped horizontal
    whiskers; `color` one colour or one per row, `label` the legend entry."""
    est, lo, hi = (np.asarray(v, dtype=float) for v in (estimate, low, high))
    colors = [color] * len(est) if isinstance(color, str) else list(color)
    for i, (yi, e, low_i, high_i, c) in enumerate(zip(np.asarray(y, dtype=float), est, lo, hi, colors)):
        ax.errorbar(
            e, yi, xerr=[[e - low_i], [high_i - e]], fmt=marker, color=c, capsize=3, label=label if i == 0 else None
        )


def bank_colors(banks, home_bank: str) -> dict[str, str]:
    """The home bank in HOME, every competitor a muted grey, stable by name."""
    out, i = {}, 0
    for b in sorted(banks):
        if b == home_bank:
            out[b] = HOME
        else:
            out[b] = MUTED[i % len(MUTED)]
            i += 1
    return out


#: Units of a caption's n: (zh, en).
CAPTION_UNITS: dict[str, tuple[str, str]] = {
    "customers": ("名客户", "customers"),
    "responses": ("份问卷", "responses"),
    "complaints": ("条投诉", "complaints"),
    "respondents": ("名受访者", "respondents"),
    "banks": ("家银行", "banks"),
    "quarters": ("个季度", "quarters"),
}


def caption_line(
    branch_name: str,
    as_of,
    tables: str,
    n: int | None,
    lang: str = "zh",
    unit: str | None = None,
    extra: str | None = None,
) -> str:
    """The source line of a figure: source tables, branch, as-of date, n (in
    `unit`, a key of CAPTION_UNITS) and an optional note. `source_caption`
    fills branch and as-of from a bank."""
    zh = lang == "zh"
    sep = "；" if zh else "; "
    # `tables` names the contract's tables ("customers, monthly_snapshots"); the line says what they hold
    named = pick(lang, "、", ", ").join(source_name(x.strip(), lang) for x in str(tables).split(",") if x.strip())
    parts = [f"数据：{named}" if zh else f"Source: {named}", names.branch_name(branch_name, lang)]
    if as_of is not None:
        parts.append(f"截至{as_of:%Y-%m-%d}" if zh else f"as of {as_of:%Y-%m-%d}")
    if n is not None:
        words = CAPTION_UNITS[unit][0 if zh else 1] if unit else ""
        parts.append(f"n = {n:,}{words}" if zh or not words else f"n = {n:,} {words}")
    if extra:
        parts.append(extra)
    return sep.join(parts)


def source_caption(
    bank, tables: str, n: int | None, lang: str = "zh", unit: str | None = None, extra: str | None = None
) -> str:
    """The source line of a figure on `bank`: tables, branch, as-of, n (see `caption_line`)."""
    name = bank.branch.get("branch_name") or bank.branch_id
    return caption_line(name, bank.timeframe.as_of, tables, n, lang, unit, extra)


CAPTION_GAP = 6  # points between the lowest text of the figure and its source line


def source_lines(fig) -> list[Annotation]:
    """The source lines of `fig` (`caption`), in the order written."""
    return [a for a in fig.artists if a.get_gid() == "source-caption"]


def _below(fig, renderer, caption: Annotation, axes: list[Bbox]) -> Bbox:
    """What `caption` hangs from: the union of `axes` (the visible Axes'
    tight boxes), figure texts, legends and the source lines written before it."""
    boxes = axes + [t.get_window_extent(renderer) for t in fig.texts if t.get_visible() and t.get_text()]
    boxes += [lg.get_window_extent(renderer) for lg in fig.legends]
    lines = source_lines(fig)
    boxes += [a.get_window_extent(renderer) for a in lines[: lines.index(caption) if caption in lines else None]]
    boxes = [b for b in boxes if b is not None and b.width >= 0 and b.height >= 0]
    return Bbox.union(boxes) if boxes else fig.bbox


def _content_below(fig, caption: Annotation):
    """The coordinates the source line hangs from: y = 0 is the lowest edge of
    everything drawn before it (`_below`), measured when the figure is drawn,
    so a layout changed after `caption` is still respected."""

    def bbox(renderer) -> Bbox:
        return _below(fig, renderer, caption, [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()])

    return bbox


def caption(fig, text: str) -> None:
    """Write the source line under a figure (tables, branch, as-of, n).

    It hangs below the lowest text of the figure, x-axis labels included, so
    it never overlaps them whatever the layout; the saved and the shown
    figure (bbox "tight") grow to hold it.
    """
    note = Annotation(
        text,
        xy=(0.01, 0),
        xycoords=("figure fraction", "figure fraction"),
        xytext=(0, -CAPTION_GAP),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="#555555",
        annotation_clip=False,
    )
    note.set_gid("source-caption")
    note.xycoords = ("figure fraction", _content_below(fig, note))
    fig.add_artist(note)


#: The PNG text key under which a saved figure records the size of its smallest text, points
#: at the size it was drawn (the deck shows a figure only where that text stays legible).
TEXT_PT_KEY = "Smallest text pt"


def smallest_text_pt(fig) -> float | None:
    """The font size of the smallest visible text of a figure (titles, labels,
    ticks, legends, annotations, source lines), points; None without text."""
    sizes = [float(t.get_fontsize()) for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    # tick labels get their text only when drawn: each axis that has ticks counts its labels' size
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks() if axis.get_visible() and len(axis.get_majorticklocs()) else []
            sizes += [float(lab.get_fontsize()) for t in ticks[:1] for lab in (t.label1, t.label2) if lab.get_visible()]
    return min(sizes) if sizes else None


def png_metadata(fig) -> dict[str, str]:
    """What a saved PNG records about its figure: the size of its smallest text (`TEXT_PT_KEY`)."""
    pt = smallest_text_pt(fig)
    return {TEXT_PT_KEY: f"{pt:g}"} if pt is not None else {}


#: zlib level 3 rather than PIL's 6: a third less time encoding a figure for 1 % more bytes
PNG_OPTIONS = {"compress_level": 3}


def save(fig, out_dir: str | Path | None, name: str) -> Path | None:
    """Save `fig` as `<out_dir>/figures/<name>.png` (no-op without out_dir),
    recording the size of its smallest text (`png_metadata`)."""
    if not out_dir:
        return None
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    dpi = plt.rcParams["savefig.dpi"]
    shown_dpi, fig.dpi = fig.dpi, (fig.dpi if dpi == "figure" else dpi)
    captions = source_lines(fig)
    live = [(a.xy, a.xycoords) for a in captions]
    engine = fig.get_layout_engine()
    if isinstance(engine, PlaceHolderLayoutEngine):  # left by tight_layout: lays nothing out,
        fig.set_layout_engine(None)  # but would make savefig draw once more to run it
    try:
        box = settled_bbox(fig, fig.canvas.get_renderer())
        fig.savefig(path, dpi=fig.dpi, bbox_inches=box, metadata=png_metadata(fig), pil_kwargs=PNG_OPTIONS)
    finally:
        if isinstance(engine, PlaceHolderLayoutEngine):
            fig.set_layout_engine(engine)
        for note, (xy, coords) in zip(captions, live, strict=True):
            note.xy, note.xycoords = xy, coords  # shown again, the figure places its source lines afresh
        fig.dpi = shown_dpi
    _show_saved(fig, path)
    return path


def settled_bbox(fig, renderer) -> Bbox:
    """The box, in inches, that savefig's `bbox_inches="tight"` would crop
    `fig` to (padded by `savefig.pad_inches`), with each source line fixed
    where `caption` hangs it.

    Every Axes is measured once. Saving "tight" would measure them in a
    layout draw, again for the box, and again for each source line at every
    draw: most of a figure's cost (benchmarks/README.md, issue 18)."""
    axes = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]
    for note in source_lines(fig):  # in the order written: each hangs below the ones before it
        low = _below(fig, renderer, note, axes).y0
        note.xy = (note.xy[0], (low - fig.bbox.y0) / fig.bbox.height)
        # transFigure, not "figure fraction": the latter stays where the uncropped figure was
        note.xycoords = (note.xycoords[0], fig.transFigure)
    # the rest as Figure.get_tightbbox finds it, with the Axes measured above
    others = [a for a in fig.get_children() if a not in fig.axes and a.get_visible() and a.get_in_layout()]
    boxes = [b for b in (a.get_tightbbox(renderer) for a in others) if b is not None] + axes
    boxes = [b for b in boxes if np.isfinite(b.width) and np.isfinite(b.height) and (b.width or b.height)]
    if not boxes:
        return fig.bbox_inches
    inches = Bbox.union(boxes).transformed(fig.dpi_scale_trans.inverted())
    return inches.padded(plt.rcParams["savefig.pad_inches"])


def _show_saved(fig, path: Path) -> None:
    """In a notebook, show the PNG just written and close the figure: drawn
    once, not a second time by the inline backend (figures are the largest
    cost of a branch run)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    from IPython.display import Image, display

    png = path.read_bytes()
    width = int.from_bytes(png[16:20], "big")  # the PNG header's pixel width
    screen = plt.rcParams["figure.dpi"] / plt.rcParams["savefig.dpi"]
    display(Image(data=png, format="png", width=int(width * screen)))
    plt.close(fig)
