"""The gap heat map (`analysis.figures.competitors.plot_gap_heatmap`)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.data.contract import ATTRIBUTES  # noqa: E402
from analysis.figures.competitors import plot_gap_heatmap  # noqa: E402


def _gaps() -> pd.DataFrame:
    a, b = list(ATTRIBUTES)[:2]
    return pd.DataFrame(
        {
            "competitor": ["bank_x", "bank_x", "bank_y"],
            "attribute": [a, b, a],
            "gap": [-0.5, 0.2, 1.25],
            "ci_low": [-0.8, -0.1, 0.9],  # bank_x × b: the interval includes 0
            "ci_high": [-0.2, 0.5, 1.6],
        }
    )


def test_each_rated_cell_carries_its_gap_and_uncertain_ones_are_faint():
    fig = plot_gap_heatmap(_gaps(), "en")
    ax = fig.axes[0]
    cells = {t.get_text(): t for t in ax.texts}
    # three rated cells, no number where a competitor was not rated on an attribute
    assert sorted(cells) == ["+0.20", "+1.25", "−0.50"]
    assert cells["+0.20"].get_fontstyle() == "italic" and cells["+0.20"].get_alpha() == 0.45
    assert cells["−0.50"].get_fontstyle() == "normal" and cells["−0.50"].get_alpha() is None
    # the colour scale is centred at 0 and spans the largest gap either way
    mesh = ax.collections[0]
    assert mesh.norm.vmin == -1.25 and mesh.norm.vmax == 1.25
    assert not any(line.get_visible() for line in ax.get_xgridlines() + ax.get_ygridlines())
    # row 0 on top, as read: bank_x above bank_y; attributes in contract order
    rows = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rows) == 2 and cells["+1.25"].get_position()[1] == 1.5
    plt.close(fig)
