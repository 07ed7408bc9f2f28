"""Relationship managers: the contract's figures, the assignment proposal's
guarantees (capacity, only the uncovered, at risk first, deterministic), the
portfolio view and the notebook."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids
from analysis.data.pseudonym import pseudonymiser
from analysis.figures import managers as F
from analysis.questions import churn as C
from analysis.questions import managers as M
from analysis.questions.plan import PLAN_COLUMNS
from analysis.run.tables import read_plan, write_private, write_table
from analysis.words import managers as W

# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def risk_a(bank_a):
    return C.churn_risk(bank_a)


def rm_section(bank: Bank, risk=None):
    """(section as results.json holds it, coverage, proposal) of a branch."""
    fit = M.analyze(bank, risk=risk)
    return fit.section().to_dict(), fit.coverage, fit.proposal


@pytest.fixture(scope="module")
def run_a(bank_a, risk_a):
    return rm_section(bank_a, risk_a)


def _with_customers(bank: Bank, customers: pd.DataFrame, **tables) -> Bank:
    t = dict(bank.tables)
    t["customers"] = customers
    t.update(tables)
    return Bank(bank.branch_id, t, bank.timeframe)


def _conforms(section: dict, expected: dict) -> None:
    assert section["status"] == "ok"
    assert section["uncovered_top20"] == expected["uncovered_top20"]
    assert section["coverage_top20"] == pytest.approx(expected["coverage_top20"], rel=1e-12)
    assert set(section["per_rm"]) == set(expected["per_rm"])
    for rm, e in expected["per_rm"].items():
        assert section["per_rm"][rm]["customers"] == e["customers"], rm
        assert section["per_rm"][rm]["revenue_12m"] == pytest.approx(e["revenue_12m"], rel=1e-12), rm


# ---------------------------------------------------------------------------
# the contract's figures


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_section_reproduces_expected(branch, good_banks, expected):
    bank = good_banks[branch]
    section, cov, prop = rm_section(bank)
    _conforms(section, expected[branch]["relationship_managers"])
    # proposed_assignments is the number the proposal assigns, among the uncovered
    assert section["proposed_assignments"] == prop.n == len(prop.assignments)
    assert 0 < prop.n <= section["uncovered_top20"]
    assert prop.n + section["uncovered_closed"] + section["left_unassigned"] == section["uncovered_top20"]


@pytest.mark.parametrize("branch", ["fixture-a", "fixture-b"])
def test_lean_bank_without_manager_table(branch, lean_banks, expected_lean):
    bank = lean_banks[branch]
    assert bank.relationship_managers is None
    section, cov, prop = rm_section(bank)
    _conforms(section, expected_lean[branch]["relationship_managers"])
    assert section["capacity_rule"]["graded"] is False
    assert set(prop.managers["capacity"]) == {M.CapacityRule().default}


def test_definitions_on_a_bank_the_suite_has_not_seen(sample_banks):
    """An independent recomputation from the raw tables (numpy, not the module's pandas path)."""
    for branch in ("leshan",):
        bank = sample_banks[branch]
        section, cov, prop = rm_section(bank)
        s = bank.monthly_snapshots
        tf = bank.timeframe
        w = s[(s["month"] >= tf.month(11)) & (s["month"] <= tf.M)]
        ids = np.array(sorted(set(w["customer_id"])))
        rev = w.groupby("customer_id")["revenue"].sum().reindex(ids).to_numpy()
        order = np.lexsort((ids, -rev))  # revenue descending, then customer_id
        k = -(-len(ids) * 2 // 10)  # ⌈0.2 n⌉ in integers
        rm = bank.customers.set_index("customer_id")["rm_id"]
        top = ids[order[:k]]
        has = rm.reindex(top).notna().to_numpy()
        assert section["coverage_top20"] == pytest.approx(has.mean(), rel=1e-12)
        assert section["uncovered_top20"] == int((~has).sum())
        m = s[s["month"] == tf.M]["customer_id"]
        closed = set(bank.customers.loc[bank.customers["close_date"] <= tf.as_of, "customer_id"])
        active = [i for i in set(m) if i not in closed]
        revd = dict(zip(ids, rev))
        for r, fig in section["per_rm"].items():
            mine = [i for i in active if rm.get(i) == r]
            assert fig["customers"] == len(mine)
            assert fig["revenue_12m"] == pytest.approx(sum(revd.get(i, 0.0) for i in mine), rel=1e-9, abs=1e-6)
        assert section["proposed_assignments"] == prop.n
        uncovered_active = {i for i in top[~has] if i in set(active)}
        assert set(prop.assignments["customer_id"]) <= uncovered_active


def test_skipped_without_any_rm_id(bank_a):
    c = bank_a.customers.assign(rm_id=None)
    bank = _with_customers(bank_a, c)
    section, cov, prop = rm_section(bank)
    assert section == {"status": "skipped", "reason": section["reason"]} and "rm_id" in section["reason"]
    assert cov is None and prop is None


def test_manager_without_active_customers_is_listed_with_zero(bank_a):
    extra = pd.DataFrame(
        {
            "rm_id": ["fixture-a-rm99"],
            "branch_id": ["fixture-a"],
            "hire_date": [pd.Timestamp("2024-01-01")],
            "grade": ["junior"],
        }
    )
    rms = pd.concat([bank_a.relationship_managers, extra], ignore_index=True)
    bank = _with_customers(bank_a, bank_a.customers, relationship_managers=rms)
    section, _, prop = rm_section(bank)
    assert section["per_rm"]["fixture-a-rm99"] == {"customers": 0, "revenue_12m": 0.0}
    # an empty book is the least loaded: the proposal uses it
    assert prop.managers.loc["fixture-a-rm99", "load_after"] > 0


def test_capacity_rule():
    rule = M.CapacityRule(by_grade={"junior": 10, "senior": 20}, default=15, per_rm={"x": 3})
    assert rule.capacity("a", "junior") == 10
    assert rule.capacity("a", "principal") == 15  # grade not in the rule
    assert rule.capacity("a", None) == 15
    assert rule.capacity("x", "senior") == 3
    with pytest.raises(ValueError, match="grades"):
        M.CapacityRule(by_grade={"boss": 5})
    with pytest.raises(ValueError, match="whole number"):
        M.CapacityRule(default=-1)


# ---------------------------------------------------------------------------
# the proposal on the conformance bank


def test_proposal_assigns_only_uncovered_active_top_customers(bank_a, run_a):
    section, cov, prop = run_a
    active = set(active_customer_ids(bank_a))
    uncovered = set(cov.top.loc[cov.top["rm_id"].isna(), "customer_id"])
    got = prop.assignments["customer_id"]
    assert got.is_unique
    assert set(got) <= uncovered & active
    closed = set(prop.unassigned.loc[prop.unassigned["reason"] == "closed", "customer_id"])
    assert closed == uncovered - active
    assert section["coverage_top20_after"] == pytest.approx((cov.top["rm_id"].notna().sum() + prop.n) / len(cov.top))


def test_proposal_never_exceeds_capacity_and_puts_risk_first(bank_a, risk_a):
    cov = M.rm_coverage(bank_a)
    rule = M.CapacityRule(by_grade={"junior": 170, "senior": 205, "principal": 300})
    prop = M.propose_assignments(bank_a, cov, risk_a, rule)
    m = prop.managers
    assert (m["load_after"] - m["load_before"] <= (m["capacity"] - m["load_before"]).clip(lower=0)).all()
    spare = int((m["capacity"] - m["load_before"]).clip(lower=0).sum())
    assert prop.n == spare and prop.count("no_capacity") > 0  # capacity binds here
    a = prop.assignments
    assert a["at_risk"].any()
    first_safe = int(np.argmax(~a["at_risk"].to_numpy())) if (~a["at_risk"]).any() else len(a)
    assert a["at_risk"].iloc[:first_safe].all() and not a["at_risk"].iloc[first_safe:].any()
    # nobody at risk is left without a manager while someone not at risk got one
    left = set(prop.unassigned.loc[prop.unassigned["reason"] == "no_capacity", "customer_id"])
    if risk_a.at_risk(list(left)).any():
        assert a["at_risk"].all()


def test_proposal_is_deterministic(bank_a, risk_a):
    a = M.propose_assignments(bank_a, M.rm_coverage(bank_a), risk_a)
    shuffled = bank_a.customers.sample(frac=1.0, random_state=3)
    b = M.propose_assignments(_with_customers(bank_a, shuffled), None, risk_a)
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.managers, b.managers)


# ---------------------------------------------------------------------------
# the assignment rule, property-style over random small inputs


def _random_case(rng: np.random.Generator, with_households: bool):
    k = int(rng.integers(1, 5))
    rms = [f"rm{i}" for i in rng.permutation(k)]
    loads = rng.integers(0, 12, k)
    caps = rng.integers(0, 14, k)
    segs, areas = ["mass", "affluent", "sme"], ["urban", "rural"]
    book = []
    n_c = 0
    for rm, n in zip(rms, loads):
        for _ in range(n):
            book.append(
                {
                    "customer_id": f"b{n_c}",
                    "rm_id": rm,
                    "segment": segs[rng.integers(3)],
                    "area": areas[rng.integers(2)],
                    "household": f"h{rng.integers(6)}",
                }
            )
            n_c += 1
    book = pd.DataFrame(book, columns=["customer_id", "rm_id", "segment", "area", "household"])
    m = int(rng.integers(0, 25))
    p = rng.random(m)
    cand = pd.DataFrame(
        {
            "customer_id": [f"c{i:02d}" for i in range(m)],
            "revenue_12m": rng.integers(1, 5, m) * 1000.0,  # coarse: ties happen
            "segment": [segs[i] for i in rng.integers(0, 3, m)],
            "area": [areas[i] for i in rng.integers(0, 2, m)],
            "p_churn": np.where(rng.random(m) < 0.1, np.nan, p),
        }
    )
    cand["at_risk"] = (cand["p_churn"] >= 0.5).fillna(False)
    if with_households:
        cand["household"] = [f"h{i}" for i in rng.integers(0, 9, m)]
    else:
        book = book.drop(columns="household")
    managers = pd.DataFrame({"rm_id": rms, "capacity": caps, "load": loads})
    return cand, managers, book


@pytest.mark.parametrize("seed", range(60))
def test_assign_properties(seed):
    rng = np.random.default_rng(seed)
    cand, managers, book = _random_case(rng, with_households=bool(seed % 2))
    done, left = M.assign(cand, managers, book)
    spare = dict(zip(managers["rm_id"], (managers["capacity"] - managers["load"]).clip(lower=0)))
    got = done["rm_id"].value_counts()
    # capacity is never exceeded
    assert all(got.get(r, 0) <= spare[r] for r in spare)
    # only candidates, each at most once, every candidate accounted for
    assert done["customer_id"].is_unique and set(done["customer_id"]) <= set(cand["customer_id"])
    assert set(done["customer_id"]) | set(left["customer_id"]) == set(cand["customer_id"])
    assert not set(done["customer_id"]) & set(left["customer_id"])
    # somebody is left only when every manager is full
    if len(left):
        assert len(done) == sum(spare.values())
    # at risk first
    risk = cand.set_index("customer_id")["at_risk"]
    flags = risk.reindex(done["customer_id"]).to_numpy()
    assert list(flags) == sorted(flags, reverse=True)
    if risk.reindex(left["customer_id"]).any():
        assert flags.all()
    assert done["order"].tolist() == list(range(1, len(done) + 1))
    # deterministic: the same answer from shuffled inputs
    done2, left2 = M.assign(
        cand.sample(frac=1, random_state=seed),
        managers.sample(frac=1, random_state=seed),
        book.sample(frac=1, random_state=seed),
    )
    pd.testing.assert_frame_equal(done, done2)
    assert sorted(left["customer_id"]) == sorted(left2["customer_id"])


def test_assign_balances_load_without_affinity():
    cand = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(10)],
            "revenue_12m": 1.0,
            "segment": "mass",
            "area": "urban",
            "p_churn": np.nan,
            "at_risk": False,
        }
    )
    managers = pd.DataFrame({"rm_id": ["a", "b"], "capacity": [100, 100], "load": [0, 0]})
    book = pd.DataFrame(columns=["customer_id", "rm_id", "segment", "area"])
    done, _ = M.assign(cand, managers, book)
    assert done["rm_id"].value_counts().to_dict() == {"a": 5, "b": 5}
    assert set(done["reason"]) == {"load"}


def test_assign_prefers_segment_then_household():
    book = pd.DataFrame(
        {
            "customer_id": ["x1", "x2", "y1", "y2"],
            "rm_id": ["a", "a", "b", "b"],
            "segment": ["sme", "sme", "mass", "mass"],
            "area": "urban",
            "household": ["h1", "h1", "h2", "h2"],
        }
    )
    managers = pd.DataFrame(
        {"rm_id": ["a", "b"], "capacity": [100, 100], "load": [2, 2]}
    )  # within the slack throughout
    cand = pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3"],
            "revenue_12m": [3.0, 2.0, 1.0],
            "segment": ["sme", "mass", "sme"],
            "area": "urban",
            "p_churn": np.nan,
            "at_risk": False,
            "household": [None, None, "h2"],
        }
    )
    done, _ = M.assign(cand, managers, book)
    got = done.set_index("customer_id")
    assert got.loc["c1", "rm_id"] == "a" and got.loc["c1", "reason"] == "segment"
    assert got.loc["c2", "rm_id"] == "b" and got.loc["c2", "reason"] == "segment"
    # the household's manager wins over segment experience
    assert got.loc["c3", "rm_id"] == "b" and got.loc["c3", "reason"] == "household"


def test_assign_balance_slack_limits_affinity():
    # a has the segment but is far more loaded than b: balance wins outside the slack
    book = pd.DataFrame(
        {"customer_id": [f"x{i}" for i in range(8)], "rm_id": ["a"] * 8, "segment": "sme", "area": "urban"}
    )
    managers = pd.DataFrame({"rm_id": ["a", "b"], "capacity": [10, 10], "load": [8, 0]})
    cand = pd.DataFrame(
        {
            "customer_id": ["c1"],
            "revenue_12m": [1.0],
            "segment": ["sme"],
            "area": ["urban"],
            "p_churn": [np.nan],
            "at_risk": [False],
        }
    )
    done, _ = M.assign(cand, managers, book, slack=0.05)
    assert done["rm_id"].tolist() == ["b"]
    done, _ = M.assign(cand, managers, book, slack=1.0)
    assert done["rm_id"].tolist() == ["a"]


def test_household_column_is_used_when_the_data_carry_one(bank_a):
    c = bank_a.customers.copy()
    # give every uncovered top customer the household of a covered active customer of rm03
    cov = M.rm_coverage(bank_a)
    host = cov.book.loc[cov.book["rm_id"] == "fixture-a-rm03", "customer_id"].iloc[0]
    c["household_id"] = c["customer_id"]
    uncovered = cov.top.loc[cov.top["rm_id"].isna() & cov.top["active"], "customer_id"].iloc[:5]
    c.loc[c["customer_id"].isin(uncovered) | (c["customer_id"] == host), "household_id"] = "H1"
    prop = M.propose_assignments(_with_customers(bank_a, c))
    got = prop.assignments.set_index("customer_id").loc[list(uncovered)]
    assert (got["rm_id"] == "fixture-a-rm03").all() and (got["reason"] == "household").all()


# ---------------------------------------------------------------------------
# portfolio view


def test_portfolio_matches_section_and_branch(bank_a, run_a):
    section, cov, _ = run_a
    book = M.portfolio(bank_a, cov)
    for rm, fig in section["per_rm"].items():
        assert book.loc[rm, "customers"] == fig["customers"]
        assert book.loc[rm, "revenue_12m"] == pytest.approx(fig["revenue_12m"])
    assert book.loc["branch", "customers"] == len(active_customer_ids(bank_a))
    from analysis.data.cohorts import churn_cohort

    coh = churn_cohort(bank_a)
    assert book.loc["branch", "churn_rate"] == pytest.approx(coh["churned"].mean())
    assert ((book["churn_low"] <= book["churn_rate"]) & (book["churn_rate"] <= book["churn_high"])).all()
    assert book.drop(index="branch")["digital_share"].between(0, 1).all()


def test_portfolio_flags_a_book_that_loses_customers(bank_a):
    """Hand every churner of the cohort to one manager: that book must be flagged, with words."""
    from analysis.data.cohorts import churn_cohort

    coh = churn_cohort(bank_a)
    churners = set(coh.loc[coh["churned"], "customer_id"])
    c = bank_a.customers.copy()
    c.loc[c["customer_id"].isin(churners), "rm_id"] = "fixture-a-rm00"
    bank = _with_customers(bank_a, c)
    book = M.portfolio(bank)
    flags = M.outliers(book)
    row = flags[(flags["rm_id"] == "fixture-a-rm00") & (flags["metric"] == "churn_rate")]
    assert len(row) == 1 and row["direction"].iloc[0] == "higher" and row["p_value"].iloc[0] < 0.05
    text = " ".join(W.describe_portfolio(book, flags, "en"))
    assert "fixture-a-rm00" in text and "adjusted p" in text
    assert "fixture-a-rm00" in W.portfolio_title(book, flags, "zh")
    shown = W.portfolio_table(book, flags, "zh")
    assert "▲" in shown.to_string()
    assert pd.api.types.is_float_dtype(shown[W.metric_label("churn_rate", "zh")])  # numbers stay numbers


def test_no_flag_on_the_plain_fixture(bank_a, run_a):
    _, cov, _ = run_a
    book = M.portfolio(bank_a, cov)
    assert M.outliers(book).empty
    assert "没有哪位客户经理" in " ".join(W.describe_portfolio(book, M.outliers(book), "zh"))


# ---------------------------------------------------------------------------
# words, lists and pseudonyms


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_describe_managers_reads_the_numbers(run_a, lang):
    section, _, prop = run_a
    text = " ".join(W.describe_managers(section, lang, prop))
    assert f"{section['uncovered_top20']:,}" in text and f"{prop.n:,}" in text
    # the briefing reads the same sentences off results.json alone
    alone = " ".join(W.describe_managers(section, lang))
    assert f"{section['uncovered_top20']:,}" in alone and f"{prop.n:,}" in alone
    skipped = W.describe_managers({"status": "skipped", "reason": "no rm"}, lang)
    assert len(skipped) == 1 and "no rm" in skipped[0]


def test_lists_pseudonymised_and_private(tmp_path, run_a):
    _, _, prop = run_a
    pseud = pseudonymiser("fixture-a", key="a-test-secret")
    shown = W.assignment_table(prop, pseud, "zh", top=None)
    real = set(prop.assignments["customer_id"])
    assert len(shown) == prop.n and not real & set(shown.astype(str).to_numpy().ravel())
    public = write_table(W.assignment_table(prop, pseud, "en", top=None), tmp_path, "proposed_assignments.csv")
    private = write_private(prop.private_table(), tmp_path, "proposed_assignments.csv")
    assert public.parent.name == "tables" and private.parent.name == "private"
    assert not any(i in public.read_text(encoding="utf-8-sig") for i in real)
    priv = pd.read_csv(private, dtype=str)
    assert list(priv["customer_id"]) == list(prop.assignments["customer_id"])


def test_figures_draw(run_a, bank_a):
    import matplotlib

    matplotlib.use("Agg")
    from analysis.figures.style import use_style

    use_style("zh")
    _, cov, prop = run_a
    fig = F.plot_proposal(prop, "en")
    assert len(fig.axes) == 2
    book = M.portfolio(bank_a, cov)
    fig2 = F.plot_portfolio(book, M.outliers(book), "zh")
    assert fig2.axes[0].get_title(loc="left")


# ---------------------------------------------------------------------------
# the notebook


def test_notebook_is_committed_clean(committed_clean):
    committed_clean("06_plan")


@pytest.mark.slow
def test_notebook_writes_both_sections(tmp_path, conformance_dir, expected, monkeypatch, run_notebook):
    monkeypatch.setenv("QVSRS_PSEUDONYM_KEY", "a-test-secret")
    out_dir = tmp_path / "run"
    # the campaigns notebook of the same run would have written this earlier
    camp = {"status": "ok", **expected["fixture-a"]["campaigns"]}
    (out_dir / "sections").mkdir(parents=True)
    (out_dir / "sections" / "campaigns.json").write_text(json.dumps(camp), encoding="utf-8")
    nb = run_notebook(
        "06_plan", tmp_path, data_dir=str(conformance_dir / "good"), branch="fixture-a", out_dir=str(out_dir)
    )
    section = json.loads((out_dir / "sections" / "relationship_managers.json").read_text(encoding="utf-8"))
    _conforms(section, expected["fixture-a"]["relationship_managers"])
    private = pd.read_csv(out_dir / "private" / "proposed_assignments.csv", dtype=str)
    assert len(private) == section["proposed_assignments"]
    plan = json.loads((out_dir / "sections" / "plan.json").read_text(encoding="utf-8"))
    assert plan["status"] == "ok" and plan["actions"]
    assert any("campaigns.FX-A0." in a["evidence"] for a in plan["actions"])
    table = read_plan(out_dir / "plan.csv")
    assert list(table.columns) == list(PLAN_COLUMNS) and len(table) == len(plan["actions"])
    assert plan["cost"] == pytest.approx(table["cost"].sum())
    assert plan["profit_12m"] == pytest.approx(table["profit_12m"].fillna(0).sum())
    assert (out_dir / "private" / "plan_assignments.csv").is_file()
    figs = {p.name for p in (out_dir / "figures").glob("*.png")}
    assert {"relationship_managers_proposal.png", "relationship_managers_portfolio.png"} <= figs
    outputs = json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)
    shared = (out_dir / "tables" / "proposed_assignments.csv").read_text(encoding="utf-8-sig")
    assert not any(i in outputs or i in shared for i in private["customer_id"])
