"""Relative importance: published example, its defining identities, errors."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.stats.importance import METHODS, RelativeWeights, relative_weights, relative_weights_ci

# mtcars (Henderson & Velleman 1981, R's datasets): the columns of the rwa
# package's README example, rwa(mtcars, outcome = "mpg", predictors =
# c("cyl", "disp", "hp", "gear")).
MTCARS = """mpg cyl disp hp gear
21.0 6 160.0 110 4
21.0 6 160.0 110 4
22.8 4 108.0 93 4
21.4 6 258.0 110 3
18.7 8 360.0 175 3
18.1 6 225.0 105 3
14.3 8 360.0 245 3
24.4 4 146.7 62 4
22.8 4 140.8 95 4
19.2 6 167.6 123 4
17.8 6 167.6 123 4
16.4 8 275.8 180 3
17.3 8 275.8 180 3
15.2 8 275.8 180 3
10.4 8 472.0 205 3
10.4 8 460.0 215 3
14.7 8 440.0 230 3
32.4 4 78.7 66 4
30.4 4 75.7 52 4
33.9 4 71.1 65 4
21.5 4 120.1 97 3
15.5 8 318.0 150 3
15.2 8 304.0 150 3
13.3 8 350.0 245 3
19.2 8 400.0 175 3
27.3 4 79.0 66 4
26.0 4 120.3 91 5
30.4 4 95.1 113 5
15.8 8 351.0 264 5
19.7 6 145.0 175 5
15.0 8 301.0 335 5
21.4 4 121.0 109 4
"""
# rwa README (martinctc/rwa): R² and Johnson's raw relative weights.
RWA_R2 = 0.7791896
RWA_RAW = {"cyl": 0.2284797, "disp": 0.2221469, "hp": 0.2321744, "gear": 0.0963886}


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(MTCARS), sep=" ")


def test_johnson_reproduces_published_mtcars_example(mtcars):
    w = relative_weights(mtcars[list(RWA_RAW)], mtcars["mpg"], "johnson")
    assert w.attrs["r_squared"] == pytest.approx(RWA_R2, abs=1e-7)
    for k, v in RWA_RAW.items():
        assert w.loc[k, "weight"] == pytest.approx(v, abs=1e-7)
    assert w.loc["gear", "sign"] == 1 and w.loc["cyl", "sign"] == -1


@pytest.fixture(scope="module")
def correlated() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(3)
    n, p = 400, 8
    cov = 0.5 * np.ones((p, p)) + 0.5 * np.eye(p)
    X = rng.multivariate_normal(np.zeros(p), cov, n)
    y = X @ np.linspace(0.1, 0.8, p) + rng.normal(0, 1, n)
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(p)]), pd.Series(y, name="y")


@pytest.mark.parametrize("method", METHODS)
def test_weights_sum_to_r_squared_of_ols(correlated, method):
    X, y = correlated
    w = relative_weights(X, y, method)
    r2 = sm.OLS(y, sm.add_constant(X)).fit().rsquared
    assert w["weight"].sum() == pytest.approx(r2, rel=1e-10)
    assert w.attrs["r_squared"] == pytest.approx(r2, rel=1e-10)
    assert w["rescaled"].sum() == pytest.approx(1.0)
    assert (w["weight"] > 0).all()
    # the larger true slope carries more of R²
    assert w["weight"].iloc[-1] > w["weight"].iloc[0]


@pytest.mark.parametrize("method", METHODS)
def test_uncorrelated_predictors_give_squared_standardized_betas(method):
    rng = np.random.default_rng(5)
    n = 200
    # exactly uncorrelated columns: orthonormalise centred noise
    Z = rng.normal(size=(n, 4))
    Z -= Z.mean(axis=0)
    Q, _ = np.linalg.qr(Z)
    X = pd.DataFrame(Q * np.array([1.0, 3.0, 0.5, 2.0]), columns=list("abcd"))
    y = pd.Series(X.to_numpy() @ np.array([1.0, -0.2, 2.0, 0.3]) + rng.normal(0, 0.05, n))
    fit = sm.OLS(y, sm.add_constant(X)).fit()
    std_beta = fit.params[X.columns] * X.std() / y.std()
    w = relative_weights(X, y, method)
    np.testing.assert_allclose(w["weight"].to_numpy(), (std_beta**2).to_numpy(), rtol=1e-8)


def test_methods_agree_roughly_and_incomplete_rows_are_dropped(correlated):
    X, y = correlated
    Xn = X.copy()
    Xn.iloc[0, 0] = np.nan
    j = relative_weights(Xn, y, "johnson")
    s = relative_weights(Xn, y, "shapley")
    assert j.attrs["n"] == len(X) - 1
    np.testing.assert_allclose(j["rescaled"], s["rescaled"], atol=0.03)


def test_bad_input_raises(correlated):
    X, y = correlated
    with pytest.raises(ValueError, match="method"):
        relative_weights(X, y, "lmg")
    with pytest.raises(ValueError, match="constant"):
        relative_weights(X.assign(x0=1.0), y)
    with pytest.raises(ValueError, match="complete cases"):
        relative_weights(X.head(5), y.head(5))
    with pytest.raises(ValueError, match="collinear"):
        relative_weights(X.assign(x1=X["x0"] * 2), y)


def test_bootstrap_interval_brackets_the_estimate(correlated):
    X, y = correlated
    w = relative_weights_ci(X, y, n_boot=200, seed=1)
    assert (w["ci_low"] <= w["rescaled"]).all() and (w["rescaled"] <= w["ci_high"]).all()
    assert w.attrs["n_boot"] == 200
    again = relative_weights_ci(X, y, n_boot=200, seed=1)
    pd.testing.assert_frame_equal(w, again)


def test_the_estimator_fits_the_same_weights(correlated):
    X, y = correlated
    fitter = RelativeWeights(n_boot=200, seed=1)
    assert "not fitted" in repr(fitter) and "not fitted" in fitter._repr_html_()
    assert fitter.fit(X, y) is fitter
    pd.testing.assert_frame_equal(fitter.summary, relative_weights_ci(X, y, n_boot=200, seed=1))
    assert fitter.rescaled_.sum() == pytest.approx(1.0)
    assert fitter.weights_.sum() == pytest.approx(fitter.r_squared_)
    assert fitter.n_ == len(X) and fitter.n_boot_ == 200
    assert "<table" in fitter._repr_html_()
    plain = RelativeWeights(method="shapley", n_boot=0).fit(X, y)
    pd.testing.assert_frame_equal(plain.summary, relative_weights(X, y, "shapley"))
    with pytest.raises(RuntimeError):
        _ = RelativeWeights().summary
