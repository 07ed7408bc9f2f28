"""The clustered WLS gives statsmodels' figures (WLS, cov_type="cluster")."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.stats.wls import demean_within, fit_clustered_wls


def _data(seed: int = 0, n_groups: int = 80, collinear: bool = False):
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(n_groups), rng.integers(2, 9, n_groups))
    n = len(groups)
    X = pd.DataFrame(rng.normal(size=(n, 4)), columns=list("abcd"))
    X["d"] += rng.normal(size=n_groups)[groups]  # a cluster-level component
    if collinear:
        X["e"] = X["a"] + X["b"]
    e = rng.normal(size=n_groups)[groups] + rng.normal(size=n)  # errors correlated within cluster
    y = X[["a", "b", "c", "d"]].to_numpy() @ [1.0, -2.0, 0.5, 0.0] + e
    w = rng.uniform(0.2, 3.0, n_groups)[groups]
    return y, X, w, groups


def _statsmodels(y, X, w, groups):
    return sm.WLS(y, X, weights=w).fit(cov_type="cluster", cov_kwds={"groups": groups})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_statsmodels_cluster_fit(seed):
    y, X, w, groups = _data(seed)
    ours, ref = fit_clustered_wls(y, X, w, groups), _statsmodels(y, X, w, groups)
    np.testing.assert_allclose(ours.params, ref.params, rtol=1e-10)
    np.testing.assert_allclose(ours.bse, ref.bse, rtol=1e-8)
    np.testing.assert_allclose(ours.pvalues, ref.pvalues, rtol=1e-6)
    np.testing.assert_allclose(ours.conf_int(0.1).to_numpy(), ref.conf_int(0.1), rtol=1e-8)
    R = np.zeros((2, 4))
    R[0, 2] = R[1, 3] = 1
    w_ref = ref.wald_test(R, use_f=False, scalar=True)
    stat, df, p = ours.wald(["c", "d"])
    assert (stat, df) == (pytest.approx(float(w_ref.statistic), rel=1e-8), 2)
    assert p == pytest.approx(float(w_ref.pvalue), rel=1e-6)


def test_collinear_columns_give_the_minimum_norm_solution_as_statsmodels():
    y, X, w, groups = _data(3, collinear=True)
    ours = fit_clustered_wls(y, X, w, groups)
    ref = sm.WLS(y, X, weights=w).fit(method="pinv", cov_type="cluster", cov_kwds={"groups": groups})
    np.testing.assert_allclose(ours.params, ref.params, rtol=1e-8, atol=1e-10)
    fitted = X.to_numpy() @ ours.params.to_numpy()
    np.testing.assert_allclose(fitted, X.to_numpy() @ ref.params.to_numpy(), rtol=1e-8)


def test_demean_within_groups():
    values = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 0.0], [7.0, 4.0], [9.0, 8.0]])
    groups = np.array([0, 0, 1, 1, 1])
    expected = np.array([[-1.0, -5.0], [1.0, 5.0], [-2.0, -4.0], [0.0, 0.0], [2.0, 4.0]])
    np.testing.assert_allclose(demean_within(values, groups), expected)
    np.testing.assert_allclose(demean_within(values[:, 0], groups), expected[:, 0])


# -- absorbed fixed effects: statsmodels' convention on the dummy-variable design --------------


def _panel(seed: int = 4, customers: int = 40, months: int = 6):
    """A customer × month panel: customer effects, month effects, a treatment from month 3 on."""
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(customers), months)
    month = np.tile(np.arange(months), customers)
    treated = (np.arange(customers) < customers // 2)[groups]
    X = pd.DataFrame({"effect": (treated & (month >= 3)).astype(float)})
    for m in range(1, months):
        X[f"m{m}"] = (month == m).astype(float)
    alpha = rng.normal(0, 2, customers)[groups]
    e = rng.normal(size=customers)[groups] * 0.5 + rng.normal(size=len(groups)) * (1 + month / months)
    y = alpha + 0.3 * month + 1.5 * X["effect"].to_numpy() + e
    w = rng.uniform(0.5, 2.0, customers)[groups]  # constant per customer, as the DiD's odds weights
    return y, X, w, groups


def test_absorbed_effects_give_the_dummy_variable_fit_and_its_convention():
    """Demeaning within customer gives the coefficients of the design with a dummy per customer;
    counting the customer effects in K (absorbed = G) gives statsmodels' cluster standard errors
    on that design exactly; the default (absorbed = 0, Stata's xtreg, fe for effects nested in
    the clusters) is smaller by exactly √((N−K−G)/(N−K))."""
    y, X, w, groups = _panel()
    n, k, g = len(y), X.shape[1], groups.max() + 1
    dummies = pd.get_dummies(groups, prefix="c", dtype=float)
    ref = _statsmodels(y, pd.concat([X, dummies], axis=1), w, groups)
    yd = demean_within(y, groups)
    Xd = pd.DataFrame(demean_within(X.to_numpy(), groups), columns=X.columns)
    nested = fit_clustered_wls(yd, Xd, w, groups)
    counted = fit_clustered_wls(yd, Xd, w, groups, absorbed=g)
    np.testing.assert_allclose(nested.params, ref.params[X.columns], rtol=1e-9)
    np.testing.assert_allclose(counted.bse, ref.bse[X.columns], rtol=1e-8)
    ratio = np.sqrt((n - k - g) / (n - k))
    np.testing.assert_allclose(nested.bse, ref.bse[X.columns] * ratio, rtol=1e-8)
    # the correction itself, on statsmodels' uncorrected sandwich of the same design
    raw = sm.WLS(y, pd.concat([X, dummies], axis=1), weights=w).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False}
    )
    np.testing.assert_allclose(nested.bse**2, raw.bse[X.columns] ** 2 * g / (g - 1) * (n - 1) / (n - k), rtol=1e-8)
    assert ratio < 0.95  # 40 customers × 6 months: the two conventions differ by more than rounding
