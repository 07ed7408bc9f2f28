"""The sample bank: deterministic, in the contract's shape, and carrying the
planted effects of `analysis.planted`.

The contract checks here are deliberately plain pandas (independent of
`analysis.io` / `analysis.validate`), driven by `analysis.contract.TABLES`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.data.contract import AREAS, ATTRIBUTES, BRANCH_ID_PATTERN, SEGMENTS, TABLES
from analysis.sample import planted as P
from analysis.sample.generate import BRANCH_CATALOG, HOME_BANK, branch_catalog, generate

PARTITIONED = ("monthly_snapshots", "transactions")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ---------------------------------------------------------------------------
# reading a generated folder, typed by the contract


def _typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    for col in TABLES[name].columns:
        s = df[col.name]
        if col.kind in ("date", "month", "datetime"):
            df[col.name] = pd.to_datetime(s, format="ISO8601") if s.dtype == object else pd.to_datetime(s)
        elif col.kind in ("int", "float"):
            df[col.name] = pd.to_numeric(s)
        elif col.kind == "bool" and s.dtype == object:
            assert set(s.dropna()) <= {"True", "False"}, (name, col.name)
            df[col.name] = s.map({"True": True, "False": False})
    return df


def read_bank(d: Path) -> dict[str, pd.DataFrame]:
    out = {}
    for name in TABLES:
        if name in PARTITIONED:
            parts = []
            for f in sorted((d / name).glob("branch_id=*/part-0.parquet")):
                part = pd.read_parquet(f)
                part["branch_id"] = f.parent.name.split("=", 1)[1]
                parts.append(part)
            df = pd.concat(parts, ignore_index=True)
        else:
            df = pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        out[name] = _typed(name, df)
    return out


def raw_csv(d: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])


# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict, dict[str, pd.DataFrame]]:
    d = tmp_path_factory.mktemp("small")
    summary = generate(d, branches=2, customers=800, seed=11)
    return d, summary, read_bank(d)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, dict, dict[str, pd.DataFrame]]:
    """One branch large enough to recover the planted effects within a few
    standard errors. Whether the 95 % intervals cover the planted values at
    their nominal rate is a coverage rate over 20 seeds
    (tests/sample/test_planted_coverage.py), not a property of one seed."""
    d = tmp_path_factory.mktemp("big")
    summary = generate(d, branches=1, customers=8000, seed=1)
    return d, summary, read_bank(d)


# ---------------------------------------------------------------------------
# the contract's rules


def contract_problems(d: Path, t: dict[str, pd.DataFrame]) -> list[str]:
    bad: list[str] = []

    def check(ok, what: str) -> None:
        n = int(np.size(ok) - np.count_nonzero(ok)) if np.ndim(ok) else int(not ok)
        if n:
            bad.append(f"{what}: {n} rows")

    for name, spec in TABLES.items():
        df = t[name]
        extra = {"branch_id"} if name in PARTITIONED else set()
        if set(df.columns) - extra != set(spec.column_names):
            bad.append(f"{name}: columns {sorted(df.columns)}")
            continue
        check(len(df) > 0, f"{name} is empty")
        for col in spec.columns:
            s = df[col.name]
            where = f"{name}.{col.name}"
            if not col.nullable:
                check(s.notna().to_numpy(), f"{where} null")
            v = s.dropna()
            if col.values is not None:
                check(v.isin(col.values).to_numpy(), f"{where} vocabulary")
            if col.min is not None:
                check((v > col.min if col.min_exclusive else v >= col.min).to_numpy(), f"{where} min")
            if col.max is not None:
                check((v <= col.max).to_numpy(), f"{where} max")
            if col.unique:
                check(~s.duplicated().to_numpy(), f"{where} unique")
            if col.pattern is not None:
                check(v.str.fullmatch(col.pattern).to_numpy(), f"{where} pattern")
            if col.kind == "int":
                check((v == np.floor(v)).to_numpy(), f"{where} whole")
            if col.kind == "month":
                check((v.dt.day == 1).to_numpy(), f"{where} first of month")
            if col.kind in ("date", "month") and name not in PARTITIONED:
                raw = raw_csv(d, name)[col.name].dropna()
                check(raw.str.match(ISO_DATE).to_numpy(), f"{where} ISO")
        for cols in spec.unique_together:
            check(~df.duplicated(list(cols)).to_numpy(), f"{name} unique {cols}")
        for fk in spec.foreign_keys:
            v = df[fk.column].dropna()
            check(v.isin(t[fk.ref_table][fk.ref_column]).to_numpy(), f"{name}.{fk.column} → {fk.ref_table}")

    c = t["customers"]
    check((c.close_date.isna() | (c.close_date >= c.open_date)).to_numpy(), "close_date >= open_date")
    check((c.close_reason.isna() | c.close_date.notna()).to_numpy(), "close_reason only with close_date")
    check((c.destination_bank.isna() | c.close_date.notna()).to_numpy(), "destination_bank only with close_date")
    check((c.birth_year <= c.open_date.dt.year - 16).to_numpy(), "birth_year <= year(open) - 16")
    check(((c.vip_tier != "none") == c.vip_since.notna()).to_numpy(), "vip_since iff vip_tier != none")
    i = t["interactions"]
    check((i.resolved_date.isna() | (i.resolved_date >= i.date)).to_numpy(), "resolved_date >= date")
    cm = t["campaigns"]
    check((cm.end_date >= cm.start_date).to_numpy(), "end_date >= start_date")
    k = t["campaign_contacts"].merge(cm[["campaign_id", "design"]], on="campaign_id")
    check(~((k.group == "control") & (k.design != "randomized")).to_numpy(), "control only in randomized")
    check(~((k.group == "control") & k.participated).to_numpy(), "participated false for controls")
    check((k.response_value.isna() | k.responded).to_numpy(), "response_value only when responded")
    ms = t["market_survey"]
    check((ms.groupby("respondent_id").primary_bank.sum() == 1).to_numpy(), "one primary_bank per respondent")
    return bad


def coverage_problems(t: dict[str, pd.DataFrame]) -> list[str]:
    """One snapshot per customer per month, exactly from max(open month, first
    month) to min(close month, last month); transactions and interactions
    within the relationship; txn_count equals the transactions written."""
    bad = []
    c = t["customers"].set_index("customer_id")
    s = t["monthly_snapshots"]
    first, last = s.month.min(), s.month.max()
    om = c.open_date.dt.to_period("M").dt.to_timestamp()
    cm = c.close_date.dt.to_period("M").dt.to_timestamp()
    start = om.where(om > first, first)
    end = cm.where(cm < last, last).fillna(last)
    expected = ((end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1).clip(lower=0)
    g = s.groupby("customer_id").month
    got = pd.DataFrame({"n": g.size(), "lo": g.min(), "hi": g.max()}).reindex(c.index)
    has = expected > 0
    if not (got.n.fillna(0).astype(int) == expected).all():
        bad.append("snapshot count per customer")
    if not ((got.lo[has] == start[has]) & (got.hi[has] == end[has])).all():
        bad.append("snapshot range per customer")
    if (c.close_date < first).sum() == 0:
        bad.append("no customer closed before the data begin")
    tx = t["transactions"].merge(c[["open_date", "close_date"]], left_on="customer_id", right_index=True)
    day = tx.ts.dt.normalize()
    if not ((day >= tx.open_date) & (tx.close_date.isna() | (day <= tx.close_date))).all():
        bad.append("transaction outside the relationship")
    n_tx = tx.groupby([tx.customer_id, tx.ts.dt.to_period("M").dt.to_timestamp()]).size()
    per = s.set_index(["customer_id", "month"]).txn_count
    n_tx = n_tx.reindex(per.index, fill_value=0)
    if not (n_tx == per).all():
        bad.append("txn_count != transactions of the month")
    ix = t["interactions"].merge(c[["open_date", "close_date"]], left_on="customer_id", right_index=True)
    if not ((ix.date >= ix.open_date) & (ix.close_date.isna() | (ix.date <= ix.close_date))).all():
        bad.append("interaction outside the relationship")
    return bad


def test_contract_rules(small):
    d, _, t = small
    assert contract_problems(d, t) == []
    assert coverage_problems(t) == []


def test_contract_rules_24_months(tmp_path):
    generate(tmp_path, branches=1, customers=400, seed=2, months=24, end_month="2025-12")
    t = read_bank(tmp_path)
    assert contract_problems(tmp_path, t) == []
    assert coverage_problems(t) == []
    assert t["monthly_snapshots"].month.nunique() == 24
    assert t["monthly_snapshots"].month.max() == pd.Timestamp("2025-12-01")


def test_too_few_months(tmp_path):
    with pytest.raises(ValueError, match="at least 24"):
        generate(tmp_path, branches=1, customers=200, months=20)


# ---------------------------------------------------------------------------
# determinism and shape


def _files(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_deterministic_by_seed(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    sa = generate(a, branches=2, customers=300, seed=5)
    sb = generate(b, branches=2, customers=300, seed=5)
    generate(c, branches=2, customers=300, seed=6)
    assert _files(a) == _files(b)
    same = lambda s: {k: v for k, v in s.items() if k not in ("out_dir", "tables")}  # noqa: E731
    assert same(sa) == same(sb)
    assert (a / "customers.csv").read_bytes() != (c / "customers.csv").read_bytes()


def test_branch_does_not_depend_on_how_many(tmp_path):
    generate(tmp_path / "one", branches=1, customers=300, seed=3)
    generate(tmp_path / "two", branches=2, customers=300, seed=3)
    one = raw_csv(tmp_path / "one", "customers")
    two = raw_csv(tmp_path / "two", "customers")
    pd.testing.assert_frame_equal(one, two[two.branch_id == "meishan"].reset_index(drop=True))
    p = "monthly_snapshots/branch_id=meishan/part-0.parquet"
    assert (tmp_path / "one" / p).read_bytes() == (tmp_path / "two" / p).read_bytes()


def test_regenerating_replaces_tables(tmp_path):
    generate(tmp_path, branches=2, customers=200, seed=1)
    generate(tmp_path, branches=1, customers=200, seed=1)
    assert [p.name for p in (tmp_path / "monthly_snapshots").iterdir()] == ["branch_id=meishan"]
    assert len(raw_csv(tmp_path, "branches")) == 1


def test_shape_and_summary(small):
    d, summary, t = small
    assert summary["branches"] == ["meishan", "leshan"]
    for name in TABLES:
        assert summary["tables"][name]["rows"] == len(t[name]), name
    for name in PARTITIONED:
        assert sorted(p.name for p in (d / name).iterdir()) == ["branch_id=leshan", "branch_id=meishan"]
    b = t["branches"]
    assert b.iloc[0].to_dict() == {
        "branch_id": "meishan",
        "branch_name": "建行眉山分行",
        "city": "眉山",
        "home_bank": HOME_BANK,
    }
    c = t["customers"]
    assert (c.groupby("branch_id").size() == 800).all()
    assert c.customer_id.str.fullmatch(r"(MS|LS)\d{6}").all()
    assert set(c.segment) == set(SEGMENTS) and set(c.area) == set(AREAS)
    s = t["monthly_snapshots"]
    assert s.month.nunique() == 30 and s.month.max() == pd.Timestamp("2026-09-01")
    # customers who open during the data period, and churners with a destination
    assert (c.open_date > s.month.min()).sum() > 50
    closed = c[c.close_date.notna()]
    assert closed.destination_bank.notna().mean() > 0.4
    assert not closed.destination_bank.isin([HOME_BANK]).any()
    # RMs: 4–12 per branch, ids like meishan-rm01
    rm = t["relationship_managers"]
    assert rm.groupby("branch_id").size().between(4, 12).all()
    assert rm.rm_id.str.fullmatch(r"[a-z]+-rm\d{2}").all() and set(rm.grade) == {"junior", "senior", "principal"}
    # market: ≥ 8 quarter-end periods per city, the seed's competitors in 眉山
    share = t["market_share"]
    assert (share.groupby("city").period.nunique() >= 8).all()
    assert share.period.dt.is_quarter_end.all()
    assert {"成都银行", "中国邮政储蓄银行", "德阳银行", "乐山商业银行", HOME_BANK} <= set(
        share[share.city == "眉山"].bank
    )
    assert share.outlets.isna().any()
    ms = t["market_survey"]
    assert ms.groupby("respondent_id").size().between(3, 5).all()
    assert set(ms.city) == set(b.city)
    sv = t["surveys"]
    assert sv.customer_id.isna().mean() == pytest.approx(P.SATISFACTION.anonymous_share, abs=0.05)
    assert sv[[f"perc_{a}" for a in ATTRIBUTES]].isna().any().any()
    # every interaction type and a realistic share of slow or open complaints
    ix = t["interactions"]
    assert set(ix.type) == set(TABLES["interactions"].column("type").values)
    comp = ix[ix.type == "complaint"]
    slow = comp.resolved_date.isna() | ((comp.resolved_date - comp.date).dt.days > 30)
    assert 0.15 < slow.mean() < 0.45


def test_branch_catalog_beyond_the_list():
    infos = branch_catalog(len(BRANCH_CATALOG) + 3)
    ids = [b.branch_id for b in infos]
    assert len(set(ids)) == len(ids) and len(set(b.prefix for b in infos)) == len(ids)
    assert all(re.fullmatch(BRANCH_ID_PATTERN, i) for i in ids)
    assert infos[0].branch_id == "meishan"


# ---------------------------------------------------------------------------
# planted marginals


def test_revenue_concentration(big):
    _, _, t = big
    s = t["monthly_snapshots"]
    M = s.month.max()
    rev = s[s.month >= M - pd.DateOffset(months=11)].groupby("customer_id").revenue.sum().sort_values(ascending=False)
    top = rev.iloc[: int(np.ceil(0.2 * len(rev)))].sum() / rev.sum()
    lo, hi = P.REVENUE.top20_share_range
    assert lo <= top <= hi
    lo, hi = P.REVENUE.unprofitable_share_range
    assert lo <= (rev < 0).mean() <= hi
    # the cost-heavy customers lose money month after month
    neg = (s.revenue < 0).groupby(s.customer_id).mean()
    assert (neg > 0.8).mean() > 0.02


def test_campaign_designs(big):
    _, summary, t = big
    cm, k = t["campaigns"], t["campaign_contacts"]
    assert set(cm.design) == {"randomized", "targeted"}
    assert (cm.design == "randomized").sum() >= 3 and (cm.design == "targeted").sum() >= 3
    last = t["monthly_snapshots"].month.max()
    end_month = cm.end_date.dt.to_period("M").dt.to_timestamp()
    assert (end_month + pd.DateOffset(months=3) <= last).all()
    k = k.merge(cm[["campaign_id", "kind", "design"]], on="campaign_id")
    for cid, g in k.groupby("campaign_id"):
        eff = P.campaign_effect(g.kind.iloc[0])
        assert g.design.iloc[0] == eff.design
        if eff.design == "randomized":
            assert (g.group == "control").mean() == pytest.approx(eff.control_share, abs=0.05), cid
            treated = g[g.group == "treatment"]
            assert treated.participated.mean() == pytest.approx(eff.participation_rate, abs=0.07), cid
        else:
            assert (g.group == "treatment").all()
            assert g.participated.mean() == pytest.approx(eff.selection.take_up, abs=0.07), cid
    by_id = {c["campaign_id"]: c for c in summary["campaigns"]}
    assert set(by_id) == set(cm.campaign_id)


def _balance_change(s: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    tot = s.assign(tot=s.deposit_balance + s.wealth_aum)
    pre = start.to_period("M").to_timestamp() - pd.DateOffset(months=1)
    post = end.to_period("M").to_timestamp() + pd.DateOffset(months=3)
    a = tot[tot.month == pre].set_index("customer_id").tot
    b = tot[tot.month == post].set_index("customer_id").tot
    return (b - a).dropna()


def test_targeted_naive_difference_is_strongly_biased(big):
    _, _, t = big
    s, cm, k = t["monthly_snapshots"], t["campaigns"], t["campaign_contacts"]
    for c in cm[cm.design == "targeted"].itertuples():
        ch = _balance_change(s, c.start_date, c.end_date)
        kk = k[k.campaign_id == c.campaign_id]
        pre = c.start_date.to_period("M").to_timestamp() - pd.DateOffset(months=1)
        pool = s[(s.month == pre) & ~s.customer_id.isin(kk.customer_id)].customer_id
        naive = ch.reindex(kk[kk.participated].customer_id).mean() - ch.reindex(pool).mean()
        assert naive > 3 * P.campaign_effect(c.kind).att_balance, (c.campaign_id, naive)


def test_churn_rate(big):
    _, _, t = big
    cohort, churned = _churn_cohort(t)
    assert len(cohort) > 5000
    assert 0.08 <= churned.mean() <= 0.17


def _churn_cohort(t: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.Series]:
    """The churn drivers of RESULTS.md, computed from the written tables."""
    s, c, ix = t["monthly_snapshots"], t["customers"].set_index("customer_id"), t["interactions"]
    M = s.month.max()
    t0 = M - pd.DateOffset(months=11)
    as_of = M + pd.offsets.MonthEnd(0)
    s12 = s[s.month == M - pd.DateOffset(months=12)].set_index("customer_id")
    s18 = s[s.month == M - pd.DateOffset(months=18)].set_index("customer_id")
    ids = s12.index.intersection(s18.index)
    ids = ids[~(c.loc[ids].close_date < t0).to_numpy()]
    cc, a, b = c.loc[ids], s12.loc[ids], s18.loc[ids]
    ltb = np.log1p(a.deposit_balance + a.wealth_aum)
    comp = ix[(ix.type == "complaint") & (ix.date >= t0 - pd.DateOffset(months=12)) & (ix.date < t0)]
    late = comp.resolved_date.isna() | ((comp.resolved_date - comp.date).dt.days > 30)
    f = pd.DataFrame(index=ids)
    f["age"] = t0.year - cc.birth_year
    f["tenure_years"] = (t0 - cc.open_date).dt.days / 365.25
    f["products_held"] = a.products_held
    f["log_total_balance"] = ltb
    f["balance_trend"] = ltb - np.log1p(b.deposit_balance + b.wealth_aum)
    f["digital_active"] = a.digital_active.astype(float)
    f["complaints_12m"] = comp.groupby("customer_id").size().reindex(ids, fill_value=0)
    f["unresolved_complaint"] = late.groupby(comp.customer_id).any().reindex(ids, fill_value=False).astype(float)
    f["vip"] = (cc.vip_since < t0).astype(float)
    f["has_rm"] = cc.rm_id.notna().astype(float)
    for seg in SEGMENTS[1:]:
        f[f"segment[{seg}]"] = (cc.segment == seg).astype(float)
    for area in AREAS[1:]:
        f[f"area[{area}]"] = (cc.area == area).astype(float)
    churned = ((cc.close_date >= t0) & (cc.close_date <= as_of)).astype(float)
    return f[list(P.CHURN_FEATURES)].astype(float), churned


def test_churn_odds_ratios_recovered(big):
    import statsmodels.api as sm

    X, y = _churn_cohort(big[2])
    fit = sm.Logit(y, sm.add_constant(X)).fit(disp=0)
    # no planted odds ratio is far off (4 standard errors); the intervals' coverage
    # over seeds is tests/test_planted_coverage.py's
    z = (fit.params[list(P.CHURN_FEATURES)] - pd.Series(dict(P.CHURN.log_odds))) / fit.bse[list(P.CHURN_FEATURES)]
    assert (z.abs() < 4).all(), z.round(2).to_dict()


def test_satisfaction_weights_recovered(big):
    import statsmodels.api as sm

    sv = big[2]["surveys"]
    cols = [f"perc_{a}" for a in ATTRIBUTES]
    cc = sv.dropna(subset=cols)
    fit = sm.OLS(cc.overall_satisfaction.astype(float), sm.add_constant(cc[cols].astype(float))).fit()
    for a in ATTRIBUTES:
        assert abs(fit.params[f"perc_{a}"] - P.SATISFACTION.weights[a]) < 4 * fit.bse[f"perc_{a}"], a
    gap = {a: (sv[f"perc_{a}"] - sv[f"exp_{a}"]).mean() for a in ATTRIBUTES}
    assert gap["timeliness"] < 0 < gap["brand_image"]
    assert sv.recommend.corr(sv.overall_satisfaction) > 0.5


def test_choice_coefficients_recovered(big):
    from statsmodels.discrete.conditional_models import ConditionalLogit

    ms = big[2]["market_survey"]
    cols = [f"rating_{a}" for a in ATTRIBUTES]
    cc = ms.dropna(subset=cols)
    cc = cc[cc.groupby("respondent_id").primary_bank.transform("sum") == 1]
    cc = cc[cc.groupby("respondent_id").bank.transform("size") >= 2]
    fit = ConditionalLogit(cc.primary_bank.astype(int), cc[cols].astype(float), groups=cc.respondent_id).fit(disp=0)
    for a in ATTRIBUTES:
        assert abs(fit.params[f"rating_{a}"] - P.CHOICE.coefficients[a]) < 4 * fit.bse[f"rating_{a}"], a


def test_home_bank_loses_deposit_share(small):
    share = small[2]["market_share"]
    share = share.assign(s=share.deposits / share.groupby(["city", "period"]).deposits.transform("sum"))
    home = share[share.bank == HOME_BANK].sort_values("period").groupby("city").s
    assert ((home.last() - home.first()) < 0).all()


def test_parallel_generation_writes_the_same_bytes(tmp_path):
    one = generate(tmp_path / "one", branches=3, customers=300, seed=5, jobs=1)
    two = generate(tmp_path / "two", branches=3, customers=300, seed=5, jobs=2)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    same = lambda s: {k: v for k, v in s.items() if k not in ("out_dir", "tables")}  # noqa: E731
    assert same(one) == same(two)
