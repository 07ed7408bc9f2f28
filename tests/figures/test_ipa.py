"""The importance–performance matrix (`analysis.figures.satisfaction.plot_ipa`)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from fixtures.texts import overlaps  # noqa: E402

from analysis.data.contract import ATTRIBUTES  # noqa: E402
from analysis.figures.satisfaction import plot_ipa  # noqa: E402
from analysis.figures.style import use_style  # noqa: E402
from analysis.questions.satisfaction import quadrant  # noqa: E402


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_names_of_attributes_rated_alike_do_not_overlap(lang):
    # as on a 5k sample branch: fees and mobile banking 0.05 points and 0.4 % apart
    perf = [4.11, 4.32, 4.42, 4.62, 4.89, 4.825, 4.87, 5.3]
    imp = [0.153, 0.114, 0.110, 0.218, 0.155, 0.087, 0.083, 0.079]
    attrs = list(ATTRIBUTES)[: len(perf)]
    ipa = pd.DataFrame({"performance": perf, "importance": imp}, index=attrs)
    ipa["ci_low"], ipa["ci_high"] = ipa["importance"] - 0.04, ipa["importance"] + 0.05
    ipa.attrs.update(importance_cut=0.125, performance_cut=4.67, r_squared=0.4, n=522)
    ipa["quadrant"] = [quadrant(i > 0.125, p > 4.67) for i, p in zip(imp, perf)]
    use_style(lang)
    fig = plot_ipa(ipa, lang)
    assert overlaps(fig) == []
    plt.close(fig)
