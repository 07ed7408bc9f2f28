"""The house style of every figure (DESIGN.md "Figures and prose").

- One palette for the suite, colour-blind safe (Okabe–Ito); the home bank is
  always `HOME`, competitors `MUTED` greys.
- A CJK font comes with the package's own install (mplfonts ships Noto Sans
  CJK SC), so Chinese labels never show as empty boxes on a fresh machine.
- Money axes in 万元 (zh) or thousand CNY (en): `money_axis`.
- Every figure is saved by `save` as PNG into the run's `figures/` folder and
  shown in the notebook.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter

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
    """The CJK font shipped by the `mplfonts` package (installed with the suite)."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / CJK_FONT_FILE
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
            # Noto Sans CJK SC ships one weight; bold would fall back with a warning.
            "axes.titleweight": "normal",
            "axes.titlesize": 14,
            "axes.labelsize": 10,
            "legend.frameon": False,
        }
    )


def money_unit(lang: str = "zh") -> tuple[float, str]:
    """(divisor, unit label) for money: 万元 in Chinese, thousand CNY in English."""
    return (1e4, "万元") if lang == "zh" else (1e3, "thousand CNY")


def money_axis(ax, axis: str = "y", lang: str = "zh", label: str | None = None) -> None:
    """Format an axis holding CNY as 万元 / thousand CNY, with the unit in its label."""
    div, unit = money_unit(lang)
    fmt = FuncFormatter(lambda v, _: f"{v / div:,.0f}" if abs(v / div) >= 10 else f"{v / div:,.1f}")
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(fmt)
    text = f"{label} ({unit})" if label else unit
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(text)


def percent_axis(ax, axis: str = "y", decimals: int = 0) -> None:
    fmt = FuncFormatter(lambda v, _: f"{v * 100:.{decimals}f}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


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


def caption(fig, text: str) -> None:
    """Source line under a figure: tables, branch, as-of, n."""
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=8, color="#555555")


def save(fig, out_dir: str | Path | None, name: str) -> Path | None:
    """Save `fig` as `<out_dir>/figures/<name>.png` (no-op without out_dir)."""
    if not out_dir:
        return None
    folder = Path(out_dir) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, bbox_inches="tight")
    return path
