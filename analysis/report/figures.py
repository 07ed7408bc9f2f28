"""The run's figures and tables, sorted into the briefing's sections.

Notebooks save figures as `figures/<section>_<name>.png` and tables for the
briefing as `tables/<section>_<name>.csv`; the prefix puts each into its
section. Figures are shown in the order the notebooks made them. Where a
finding has no figure of its own (`Recommendation.figure_hints` match
nothing), `evidence_png` draws its `Evidence` in the house style.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure  # no pyplot: nothing global, no GUI backend
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from analysis.figures.style import ACCENT, HOME, MUTED, NEUTRAL, percent_ticks, png_metadata, use_style, wrap
from analysis.report.recommendations import Evidence, Recommendation
from analysis.words.i18n import pick

#: briefing section → file-name prefixes of its figures and tables
SECTION_PREFIXES: dict[str, tuple[str, ...]] = {
    "overview": ("overview", "branch"),
    "value": ("value", "clv"),
    "churn": ("churn", "survival", "retention"),
    "satisfaction": ("satisfaction", "qvsrs", "complaints", "ipa", "nps"),
    "competitors": ("competitors", "competition", "market", "choice"),
    "campaigns": ("campaigns", "campaign", "did"),
    "plan": ("relationship_managers", "rm", "plans", "plan", "proposed"),
}
RECOMMENDATION_SECTION = {"relationship_managers": "plan", "qvsrs": "satisfaction"}


@dataclass(frozen=True)
class Asset:
    path: Path

    @property
    def stem(self) -> str:
        return self.path.stem


def section_of(stem: str) -> str | None:
    """The briefing section of a file named `<prefix>_<name>`, or None."""
    best: tuple[int, str] | None = None
    for section, prefixes in SECTION_PREFIXES.items():
        for p in prefixes:
            if stem == p or stem.startswith(p + "_"):
                if best is None or len(p) > best[0]:  # "relationship_managers" beats "rm"
                    best = (len(p), section)
    return best[1] if best else None


def _ordered(files: list[Path]) -> list[Path]:
    # The order the notebooks wrote them in tells the story; the name breaks ties.
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


def figures_by_section(out_dir: str | Path) -> dict[str | None, list[Path]]:
    """figures/*.png grouped by section (None: no known prefix)."""
    out: dict[str | None, list[Path]] = {}
    for p in _ordered(list((Path(out_dir) / "figures").glob("*.png"))):
        out.setdefault(section_of(p.stem), []).append(p)
    return out


def tables_by_section(out_dir: str | Path) -> dict[str | None, list[Path]]:
    """tables/*.csv grouped by section (None: no known prefix)."""
    out: dict[str | None, list[Path]] = {}
    for p in _ordered(list((Path(out_dir) / "tables").glob("*.csv"))):
        out.setdefault(section_of(p.stem), []).append(p)
    return out


def figure_for(rec: Recommendation, figures: list[Path]) -> Path | None:
    """The figure a finding names in its hints (first hint that matches), if any."""
    for hint in rec.figure_hints:
        for p in figures:
            if p.stem.startswith(hint):
                return p
    return None


def data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def presentable(df: pd.DataFrame) -> bool:
    """Whether a table is written for a reader: no column named like a
    variable (`revenue_12m`, `customers`). Notebooks write both kinds into
    tables/; the others stay there for analysts and are not shown."""
    return len(df.columns) > 0 and not any(_IDENTIFIER.match(str(c)) for c in df.columns)


def read_table(path: Path, max_rows: int = 15) -> tuple[pd.DataFrame, int]:
    """A briefing table (first `max_rows` rows) and how many rows were left out."""
    df = pd.read_csv(path, encoding="utf-8-sig")
    return df.head(max_rows), max(0, len(df) - max_rows)


# ---------------------------------------------------------------------------
# a finding's own chart


def _fmt(v: float, unit: str) -> str:
    if v is None or v != v:
        return ""
    if unit == "pct":
        return f"{v * 100:.1f}%"
    if unit == "pp":
        return f"{v * 100:+.2f}"
    if unit == "ratio":
        return f"{v:.2f}"
    if unit == "points":
        return f"{v:+.2f}" if v < 0 or v > 0 and v < 1.5 else f"{v:.2f}"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}"


def evidence_png(
    ev: Evidence,
    lang: str = "zh",
    source: str = "",
    home_bank: str | None = None,
    size: tuple[float, float] = (8, 4.5),
    text_pt: float | None = None,
) -> bytes:
    """The evidence of a finding as a chart (PNG bytes at 150 dpi), house
    style (`evidence_figure`), recording the size of its smallest text."""

    with matplotlib.rc_context():
        use_style(lang)
        fig = evidence_figure(ev, lang, source, home_bank, size, text_pt)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=150, metadata=png_metadata(fig))
    return buf.getvalue()


def evidence_figure(
    ev: Evidence,
    lang: str = "zh",
    source: str = "",
    home_bank: str | None = None,
    size: tuple[float, float] = (8, 4.5),
    text_pt: float | None = None,
):
    """The evidence of a finding as a matplotlib Figure in the house style:
    horizontal bars with their intervals (shares, points, amounts), or, for
    ratios on a log axis, a forest plot (points with interval whiskers and a
    reference line at 1). With `text_pt` no text is smaller than that (the
    deck draws it for its slide: 14 pt there), titles and labels wrapped."""

    with matplotlib.rc_context():
        use_style(lang)
        small, note = 9.0, 8.0  # value labels, source line
        title, labels = ev.title, list(ev.labels)
        if text_pt is not None:
            small = note = max(text_pt, small)
            title_pt = max(text_pt + 2, 14.0)
            sizes = ("font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize")
            matplotlib.rcParams.update({**dict.fromkeys(sizes, small), "axes.titlesize": title_pt})
            title = wrap(title, title_pt, size[0] - 0.3)
            labels = [wrap(x, small, size[0] * 0.32) for x in labels]
        fig = Figure(figsize=size)
        ax = fig.add_subplot()
        n = len(ev.values)
        ys = list(range(n))[::-1]
        if home_bank is not None and home_bank in ev.labels:
            # banks side by side: the home bank in its colour, competitors grey
            colors = [HOME if label == home_bank else MUTED[0] for label in ev.labels]
        else:
            colors = [ACCENT if i == ev.highlight else NEUTRAL for i in range(n)]
        values = [v * (100 if ev.unit == "pp" else 1) for v in ev.values]
        if ev.unit == "ratio":
            # a forest plot: a bar's length needs a zero to grow from, a log axis has none;
            # each ratio a point with its interval as whiskers, 1 (no difference) the reference
            ax.axvline(1, color="#333333", lw=1)
            for i, (y, v, c) in enumerate(zip(ys, values, colors)):
                lo = ev.lows[i] if ev.lows else None
                hi = ev.highs[i] if ev.highs else None
                err = [[v - lo], [hi - v]] if lo is not None and hi is not None else None
                ax.errorbar(v, y, xerr=err, fmt="o", ms=8, color=c, ecolor=c, elinewidth=2, capsize=4, zorder=3)
            ax.set_xscale("log")
            ax.set_ylim(-0.6, n - 0.4)
        else:
            ax.barh(ys, values, color=colors, height=0.6)
            if ev.lows and ev.highs:
                for y, lo, hi in zip(ys, ev.lows, ev.highs):
                    if lo is not None and hi is not None:
                        ax.plot([lo, hi], [y, y], color="#333333", lw=1.2)
        if ev.reference is not None and not (ev.unit == "ratio" and ev.reference == 1):  # 1: drawn above
            ref = ev.reference * (100 if ev.unit == "pp" else 1)
            ax.axvline(ref, color="#333333", lw=1, ls="--")
            if ev.reference_label:
                ax.text(  # just above the plot, where no bar or number is
                    ref,
                    1.0,
                    f" {ev.reference_label} {_fmt(ev.reference, ev.unit)}",
                    transform=ax.get_xaxis_transform(),
                    fontsize=small,
                    color="#333333",
                    va="bottom",
                )
        base = 1.0 if ev.unit == "ratio" else 0.0
        for i, (y, v, raw) in enumerate(zip(ys, values, ev.values)):
            # the number sits beyond the bar and its interval, on the side the bar grows
            lo = ev.lows[i] if ev.lows and ev.lows[i] is not None else v
            hi = ev.highs[i] if ev.highs and ev.highs[i] is not None else v
            right = v >= base
            ax.text(
                max(v, hi) if right else min(v, lo),
                y,
                f" {_fmt(raw, ev.unit)} ",
                va="center",
                ha="left" if right else "right",
                fontsize=small,
            )
        ax.set_yticks(ys)
        ax.set_yticklabels(labels)
        ax.grid(axis="y", visible=False)
        if ev.unit == "pct":
            percent_ticks(ax.xaxis)
        elif ev.unit == "pp":
            ax.set_xlabel(pick(lang, "百分点", "percentage points"))
        elif ev.unit == "ratio":
            ends = [x for x in (*values, *(ev.lows or ()), *(ev.highs or ())) if x is not None and x > 0]
            # room beyond the outermost whisker for its number
            lo_x, hi_x = min(ends + [1.0]) / 1.45, max(ends + [1.0]) * 1.45
            ax.set_xlim(lo_x, hi_x)
            ticks = [x for x in (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20) if lo_x <= x <= hi_x]
            ax.xaxis.set_major_locator(FixedLocator(ticks))
            ax.xaxis.set_minor_locator(NullLocator())
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.set_xlabel(pick(lang, "优势比（对数刻度；1 = 无差别）", "Odds ratio (log scale; 1 = no difference)"))
        elif ev.unit == "points":
            ax.set_xlabel(pick(lang, "分", "points"))
        if ev.unit in ("pct",) and ev.reference is not None:
            hi = max(max(values), ev.reference) * 1.25
            ax.set_xlim(min(0, min(values) * 1.2), max(hi, 0.01))
        if ev.unit != "ratio" and min(values) < 0:
            # a negative bar's number stands left of it: room for it inside the plot, clear of the row labels
            left, right = ax.get_xlim()
            lows = [x for x in (*values, *(ev.lows or ())) if x is not None]
            ax.set_xlim(min(left, min(lows) - 0.2 * (right - min(lows))), right)
        if text_pt is None:
            ax.set_title(title, loc="left")
        else:  # over the whole figure from its left edge: the wrapped lines have its width, not the plot's
            fig.suptitle(title, x=0.01, ha="left", fontsize=title_pt)
        if source:
            fig.text(0.01, 0.005, source, ha="left", va="bottom", fontsize=note, color="#555555")
        fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
