"""The conditional-logit fitter: recovery, maximum likelihood, data rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.special import logsumexp

from analysis.stats.choice import ConditionalLogitFitter

TRUE = {"x1": 0.8, "x2": -0.5, "x3": 0.3}


def simulate(groups: int = 800, alts: int = 4, seed: int = 11) -> pd.DataFrame:
    """McFadden choice data: utility x·β + Gumbel noise, the best alternative chosen."""
    rng = np.random.default_rng(seed)
    n = groups * alts
    X = rng.normal(0, 1, (n, len(TRUE)))
    u = X @ np.array(list(TRUE.values())) + rng.gumbel(size=n)
    g = np.repeat(np.arange(groups), alts)
    chosen = np.zeros(n, dtype=bool)
    chosen[np.arange(groups) * alts + u.reshape(groups, alts).argmax(axis=1)] = True
    return pd.DataFrame({"g": g.astype(str), "chosen": chosen, **{k: X[:, i] for i, k in enumerate(TRUE)}})


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return simulate()


@pytest.fixture(scope="module")
def fitted(data) -> ConditionalLogitFitter:
    return ConditionalLogitFitter().fit(data, "chosen", "g", list(TRUE))


def test_recovers_known_coefficients_within_intervals(fitted):
    ci = fitted.confidence_intervals_
    for k, v in TRUE.items():
        assert ci.loc[k, "ci_low"] < v < ci.loc[k, "ci_high"], k
    assert fitted.n_groups_ == 800 and fitted.n_obs_ == 3200 and fitted.n_dropped_groups_ == 0


def _neg_loglik(beta: np.ndarray, X: np.ndarray, y: np.ndarray, alts: int) -> float:
    """−log L of McFadden's model written out, for groups stored as consecutive blocks of `alts` rows."""
    u = (X @ beta).reshape(-1, alts)
    return -float((u * y.reshape(-1, alts)).sum() - logsumexp(u, axis=1).sum())


def test_equals_an_independent_maximum_likelihood_fit(data, fitted):
    X, y = data[list(TRUE)].to_numpy(), data["chosen"].to_numpy(float)
    res = optimize.minimize(
        _neg_loglik,
        np.zeros(3),
        args=(X, y, 4),
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 10000},
    )
    np.testing.assert_allclose(fitted.params_.to_numpy(), res.x, rtol=1e-4)
    assert fitted.log_likelihood_ == pytest.approx(-res.fun, rel=1e-8)


def test_summary_and_wald_intervals(fitted):
    s = fitted.summary
    assert list(s.columns) == ["coef", "exp(coef)", "se", "z", "p", "ci_low", "ci_high"]
    np.testing.assert_allclose(s["ci_high"] - s["coef"], 1.959963984540054 * s["se"], rtol=1e-10)
    np.testing.assert_allclose(s["exp(coef)"], np.exp(s["coef"]))
    assert (s["p"] < 1e-6).all()


def test_predict_proba_sums_to_one_per_group(data, fitted):
    p = fitted.predict_proba(data, "g")
    np.testing.assert_allclose(p.groupby(data["g"]).sum().to_numpy(), 1.0)
    # the chosen alternative is, on average, the likelier one
    assert p[data["chosen"]].mean() > 1 / 4 + 0.1


def test_incomplete_rows_and_groups_without_a_choice_are_left_out(data):
    d = data.copy()
    first_chosen = d.index[d["chosen"]][0]
    d.loc[first_chosen, "x1"] = np.nan  # that group loses its choice
    other = d.index[(~d["chosen"]) & (d["g"] != d.loc[first_chosen, "g"])][0]
    d.loc[other, "x2"] = np.nan  # that group keeps its choice among fewer banks
    f = ConditionalLogitFitter().fit(d, "chosen", "g", list(TRUE))
    assert f.n_dropped_groups_ == 1
    assert f.n_groups_ == 799
    assert f.n_obs_ == 3200 - 4 - 1


def test_rules_of_the_model(data):
    two = data.copy()
    two.loc[two["g"] == "0", "chosen"] = True
    with pytest.raises(ValueError, match="exactly one"):
        ConditionalLogitFitter().fit(two, "chosen", "g", list(TRUE))
    with pytest.raises(KeyError):
        ConditionalLogitFitter().fit(data, "chosen", "g", ["nope"])
    const = data.assign(c=1.0)
    with pytest.raises(ValueError, match="within groups"):
        ConditionalLogitFitter().fit(const, "chosen", "g", ["x1", "c"])
    with pytest.raises(RuntimeError):
        _ = ConditionalLogitFitter().summary


def test_a_fit_shows_itself_in_a_notebook(data):
    assert "not fitted" in ConditionalLogitFitter()._repr_html_()
    f = ConditionalLogitFitter().fit(data, "chosen", "g", list(TRUE))
    html = f._repr_html_()
    assert "ConditionalLogitFitter" in html and "<table" in html and "exp(coef)" in html
