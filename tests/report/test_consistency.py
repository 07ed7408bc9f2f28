"""The consistency check: every contradiction it must name (one hand-built
case each, each gone without its rule), a clean case, and the sample bank
and 20 random sample banks through compute_results → the briefing → check,
which must find nothing."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.report import consistency as C
from analysis.report.briefing import compose
from analysis.report.context import make_context
from analysis.run.compute import compute_results, compute_run

REPO = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------
# a hand-built branch: results, plan.csv and the briefing's visible text

EFFECT = {"estimate": 15_000.0, "ci_low": 3_500.0, "ci_high": 26_000.0, "p_value": 0.01}


def _campaign(design: str, verdict: str, **extra) -> dict:
    n = (
        {"n_treatment": 500, "n_control": 100}
        if design == "randomized"
        else {"n_participants": 140, "n_comparison": 2000}
    )
    return {"design": design, **n, "balance_effect": dict(EFFECT), "verdict": verdict, **extra}


def _row(action_id, topic, action, customers, cost, profit, holdout, evidence, start="2026-07-01", end="2026-09-30"):
    p = {"profit_12m": None, "profit_ci_low": None, "profit_ci_high": None}
    if profit is not None:
        p = {"profit_12m": profit[0], "profit_ci_low": profit[1], "profit_ci_high": profit[2]}
    return {
        "action_id": action_id,
        "topic": topic,
        "action": action,
        "owner_role": "网点负责人",
        "start": start,
        "end": end,
        "customers": customers,
        "cost": cost,
        **p,
        "kpi": "—",
        "baseline": 0.0,
        "target": 1.0,
        "holdout_share": holdout,
        "evidence": evidence,
    }


def base_plan() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row(
                "A1",
                "campaigns",
                "扩大沙龙（C-GROW）",
                500,
                50_000.0,
                (80_000.0, 60_000.0, 100_000.0),
                0.0,
                "campaigns.C-GROW.profit_12m;economics.funds_margin",
            ),
            _row(
                "A2",
                "campaigns",
                "红酒品鉴带对照组重复（C-KEEP）",
                200,
                30_000.0,
                None,
                0.2,
                "campaigns.C-KEEP.balance_effect",
            ),
            _row("A3", "churn", "手机银行开通辅导", 100, 0.0, None, 0.0, "churn.drivers.digital_active"),
        ]
    )


def plan_section(plan: pd.DataFrame) -> dict:
    rows = json.loads(plan.to_json(orient="records", force_ascii=False))
    return {
        "status": "ok",
        "actions": rows,
        "cost": float(plan["cost"].sum()),
        "profit_12m": float(pd.to_numeric(plan["profit_12m"]).fillna(0).sum()),
    }


def base_results() -> dict:
    plan = base_plan()
    return {
        "schema_version": 2,
        "branch_id": "x",
        "as_of": "2026-06-30",
        "churn": {
            "status": "ok",
            "churn_rate_12m": 0.11,
            "drivers": {
                "has_rm": {"odds_ratio": 0.73, "ci_low": 0.45, "ci_high": 1.18, "p_value": 0.2},
                "segment[high_net_worth]": {"odds_ratio": 3.67, "ci_low": 1.08, "ci_high": 12.55, "p_value": 0.04},
                "digital_active": {"odds_ratio": 0.51, "ci_low": 0.38, "ci_high": 0.69, "p_value": 1e-5},
            },
        },
        "campaigns": {
            "status": "ok",
            "C-GROW": _campaign(
                "randomized",
                "grow",
                business_roi=28.74,
                profit_12m={"estimate": 80_000.0, "ci_low": 60_000.0, "ci_high": 100_000.0},
                profit_roi=0.6,
            ),
            "C-KEEP": _campaign("targeted", "keep"),
            "C-TEST": _campaign("randomized", "test", business_roi=2.54),
            "C-STOP": _campaign("randomized", "stop"),
            "C-DW": _campaign("targeted", "keep", name="2026年端午主题日"),
        },
        "economics": {"status": "ok", "funds_margin": {"estimate": 0.012, "ci_low": 0.011, "ci_high": 0.013}},
        "plan": plan_section(plan),
    }


def _p(*segs) -> dict:
    return {"kind": "p", "segments": [{"text": t, "bold": b} for t, b in segs]}


def _ul(*lines) -> dict:
    return {"kind": "ul", "items": [[{"text": x, "bold": False}] for x in lines]}


def base_page() -> SimpleNamespace:
    return SimpleNamespace(
        context={
            "findings": [
                {
                    "headline": "扩大“沙龙”（C-GROW）",
                    "finding": "随机对照活动C-GROW的效果经对照组证实。另计新增业务额/每元成本（规模，非利润）为28.74。",
                    "recommendation": "扩大C-GROW：下一轮推广到同类客户。",
                    "stake_text": "利润影响：约每年8.00万元（区间6.00万元至10.0万元）。",
                },
                {
                    "headline": "红酒品鉴有效但不划算",
                    "finding": "定向活动C-KEEP效果已证实，但它带来的利润不抵成本。",
                    "recommendation": "保持C-KEEP：下季度计划中C-KEEP带随机对照组再做一轮（见行动计划）。",
                },
                {
                    "headline": "高净值客户可能更容易流失",
                    "finding": (
                        "高净值客户的流失几率可能是大众客户的3.67倍（优势比3.67，95%区间1.08至12.55，区间很宽）。"
                    ),
                    "recommendation": (
                        "本季度内为209名未覆盖的高价值客户指定客户经理（流失模型没有发现客户经理能降低流"
                        "失：配备客户经理是为了守住和做大这批客户的价值，而不是为了防止流失）。"
                    ),
                },
                {
                    "headline": "C-TEST效果待证实",
                    "finding": "区间包含0，效果可能为零。",
                    "recommendation": "先不扩大C-TEST：C-TEST暂不列入下季度计划；今后再办，须随机保留对照组。",
                },
            ],
            "sections": [
                {
                    "id": "churn",
                    "paragraphs": ["流失几率明显更低：使用手机银行（0.51倍）。"],
                    "blocks": [],
                },
                {
                    "id": "plan",
                    "paragraphs": [],
                    "blocks": [
                        _p(("白金卡", True), ("（80位活跃客户）", False)),
                        _ul(
                            "联系节奏：每季度2次（客户经理上门/面谈）。",
                            "VIP服务：绿色通道、生日问候、免费体检、赠阅内刊。",
                            "沙龙活动：全面推行，邀请80人。",
                        ),
                        _p(("非VIP · 利润后30%", True), ("（621位活跃客户）", False)),
                        _ul("联系节奏：不安排人工联系，只用手机银行/短信推送。"),
                    ],
                },
            ],
            "method_notes": ["新增业务额/每元成本（规模，非利润）=（新增业务价值 − 成本）÷ 成本，仅用于随机对照活动。"],
            "campaign_names": {"C-DW": "2026年端午主题日"},
        }
    )


def base():
    return base_results(), base_plan(), base_page()


def test_the_clean_case_has_no_problem():
    results, plan, page = base()
    assert C.check(results, plan, page) == []


# ---------------------------------------------------------------------------
# one contradiction each


def _set_row(plan, i, **kw):
    for k, v in kw.items():
        plan.loc[i, k] = v


def _add_row(plan, row) -> pd.DataFrame:
    return pd.concat([plan, pd.DataFrame([row]).astype(object)], ignore_index=True)


def _refresh(results, plan):
    results["plan"] = plan_section(plan)


def _finding(page, text, key="recommendation"):
    page.context["findings"].append({"headline": "—", key: text})


def _plan_line(page, group: str, line: str):
    blocks = page.context["sections"][1]["blocks"]
    for i, b in enumerate(blocks):
        if b["kind"] == "p" and b["segments"][0]["text"] == group:
            blocks[i + 1]["items"].append([{"text": line, "bold": False}])


def case_evidence_missing(r, plan, page):
    _set_row(plan, 2, evidence="churn.drivers.digital_active;churn.drivers.nope")
    _refresh(r, plan)


def case_dates_outside_quarter(r, plan, page):
    _set_row(plan, 2, start="2026-10-05", end="2026-11-30")
    _refresh(r, plan)


def case_start_after_end(r, plan, page):
    _set_row(plan, 2, start="2026-09-01", end="2026-08-01")
    _refresh(r, plan)


def case_negative_cost(r, plan, page):
    _set_row(plan, 1, cost=-10.0)
    _refresh(r, plan)


def case_profit_outside_interval(r, plan, page):
    _set_row(plan, 0, profit_12m=120_000.0)
    _refresh(r, plan)


def case_holdout_share_one(r, plan, page):
    _set_row(plan, 1, holdout_share=1.0)
    _refresh(r, plan)


def case_plan_sums(r, plan, page):
    r["plan"]["cost"] += 1_000.0


def case_row_without_holdout(r, plan, page):
    _set_row(plan, 1, holdout_share=0.0)
    _refresh(r, plan)


def case_stopped_run_again(r, plan, page):
    plan = _add_row(
        plan, _row("A4", "campaigns", "再办C-STOP", 100, 5_000.0, None, 0.2, "campaigns.C-STOP.balance_effect")
    )
    _refresh(r, plan)
    return plan


def case_sentence_rollout(r, plan, page):
    _finding(page, "全面推行C-KEEP，邀请全部金卡客户。")


def case_promised_holdout(r, plan, page):
    _finding(page, "下季度计划中C-TEST带随机对照组再做一轮，效果确认后再推广。")


def case_out_of_season(r, plan, page):
    plan = _add_row(
        plan, _row("A4", "campaigns", "端午主题日", 100, 5_000.0, None, 0.2, "campaigns.C-DW.balance_effect")
    )
    _refresh(r, plan)
    return plan


def case_vip_retested(r, plan, page):
    _plan_line(page, "白金卡", "生日问候：再测（随机对照），邀请64人，预算0.17万元。")


def case_vip_retested_row(r, plan, page):
    plan = _add_row(
        plan, _row("A4", "campaigns", "campaign_test", 64, 1_700.0, None, 0.2, "campaigns.C-TEST.balance_effect")
    )
    _refresh(r, plan)
    r["plan"]["details"] = {"A4": {"campaign_id": "C-TEST", "kind": "birthday_greeting", "tiers": ["platinum"]}}
    return plan


def case_contradicting_instructions(r, plan, page):
    _plan_line(page, "非VIP · 利润后30%", "389位流失风险高于全行平均的客户本季度内定期回访。")


def case_volume_called_return_zh(r, plan, page):
    _finding(page, "随机对照活动C-GROW投资回报率为2,874%（每投入1元，净回报28.74元）。", key="finding")


def case_volume_called_return_en(r, plan, page):
    _finding(page, "Salon (C-GROW) had a return on investment of 2,874% on its cost.", key="finding")


def case_balances_called_return(r, plan, page):
    _finding(page, "活动预算合计170万元，预计回报：带来新增业务5,943万元。", key="finding")


def case_clearly_on_wide_interval(r, plan, page):
    page.context["sections"][0]["paragraphs"].append("流失几率明显更高的客户：高净值客户（3.67倍）。")


def case_clearly_on_wide_interval_numbers(r, plan, page):
    _finding(page, "The odds of leaving are clearly higher: 3.67 times (95% interval 1.08 to 12.55).", key="finding")


def case_action_without_effect(r, plan, page):
    _finding(page, "本季度内为209名未覆盖的高价值客户指定客户经理，并平衡客户经理的工作量。")


def _no_plan_invariants(monkeypatch):
    monkeypatch.setattr(C, "plan_invariant_problems", lambda plan, results: [])


def _without(*names):
    def off(monkeypatch):
        monkeypatch.setattr(C, "CHECKS", tuple(c for c in C.CHECKS if c.__name__ not in names))

    return off


CASES = {  # case → (what the check names, where it names it, the rule that finds it)
    "evidence_missing": ("plan invariant", "plan.csv row 3", _no_plan_invariants),
    "dates_outside_quarter": ("plan invariant", "plan.csv row 3", _no_plan_invariants),
    "start_after_end": ("plan invariant", "plan.csv row 3", _no_plan_invariants),
    "negative_cost": ("plan invariant", "plan.csv row 2", _no_plan_invariants),
    "profit_outside_interval": ("plan invariant", "plan.csv row 1", _no_plan_invariants),
    "holdout_share_one": ("plan invariant", "plan.csv row 2", _no_plan_invariants),
    "plan_sums": ("plan invariant", "results.json plan", _no_plan_invariants),
    "row_without_holdout": (
        "rolled out without a holdout",
        "plan.csv row 2",
        lambda mp: (_no_plan_invariants(mp), _without("check_rollouts")(mp)),
    ),
    "stopped_run_again": (
        "stopped campaign run again",
        "plan.csv row 4",
        lambda mp: (_no_plan_invariants(mp), _without("check_rollouts")(mp)),
    ),
    "sentence_rollout": ("rolled out without a holdout", "findings", _without("check_rollouts")),
    "promised_holdout": ("holdout promised, not planned", "findings", _without("check_promises")),
    "out_of_season": ("out of season", "plan.csv row 4", _without("check_seasons")),
    "vip_retested": ("VIP service retested", "sections[plan]", _without("check_vip_retests")),
    "vip_retested_row": ("VIP service retested", "plan.csv row 4", _without("check_vip_retests")),
    "contradicting_instructions": ("contradicting instructions", "sections[plan]", _without("check_instructions")),
    "volume_called_return_zh": ("volume called a return", "findings", _without("check_volume_returns")),
    "volume_called_return_en": ("volume called a return", "findings", _without("check_volume_returns")),
    "balances_called_return": ("volume called a return", "findings", _without("check_volume_returns")),
    "clearly_on_wide_interval": ("clearly on a wide interval", "sections[churn]", _without("check_clearly")),
    "clearly_on_wide_interval_numbers": ("clearly on a wide interval", "findings", _without("check_clearly")),
    "action_without_effect": ("action on a factor with no effect", "findings", _without("check_no_effect")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_contradiction_is_named(name, monkeypatch):
    what, where, off = CASES[name]
    results, plan, page = base()
    changed = globals()[f"case_{name}"](results, plan, page)
    plan = plan if changed is None else changed
    found = C.check(results, plan, page)
    named = [p for p in found if p.what == what and where in p.where]
    assert named, f"{name}: not named; found {[str(p) for p in found]}"
    for p in named:  # what, where and the figure
        assert p.where and p.figure and str(p)
    # only this contradiction (and its echoes: a row without a holdout also breaks the promise of one) is named
    echoes = {"rolled out without a holdout", "stopped campaign run again", "holdout promised, not planned"}
    echoes.add("plan invariant")  # the plan's own invariants name a row without a holdout or a stop run again too
    assert {p.what for p in found} <= {what} | echoes
    off(monkeypatch)  # without its rule the check is blind to it
    assert not [p for p in C.check(results, plan, page) if p.what == what and where in p.where]


def test_a_planned_holdout_keeps_its_promise():
    results, plan, page = base()
    case_promised_holdout(results, plan, page)
    plan = _add_row(
        plan, _row("A4", "campaigns", "C-TEST再测", 300, 8_000.0, None, 0.2, "campaigns.C-TEST.balance_effect")
    )
    _refresh(results, plan)
    assert C.check(results, plan, page) == []


def test_one_festival_table_for_the_plan_and_the_check():
    """The plan's table (plan_campaigns.SEASONS) holds the festivals the check knows, the
    ones of the tier plans' old table included; the check reads the plan's table."""
    from analysis.questions import plan_campaigns as PC

    assert C.season_of is PC.season_of
    for name, months in (
        ("2027年母亲节沙龙", (5,)),
        ("三八妇女节茶会", (3,)),
        ("暑期亲子课堂", (7, 8)),
        ("Christmas tea", (12,)),
        ("2026年端午主题日", (5, 6)),
    ):
        assert PC.season_of(name, "salon")[1] == months, name
    assert C.months_between("2026-10-01", "2026-12-31") == {10, 11, 12}


def test_rows_take_kind_and_tiers_from_the_plan_details():
    results, plan, _ = base()
    results["plan"]["details"] = {"A1": {"kind": "salon", "tiers": ["gold", "none"], "name": "沙龙"}}
    rows = C.plan_rows(results, plan)
    assert (rows[0].kind, rows[0].tiers) == ("salon", ("gold", "none")) and "沙龙" in rows[0].text
    assert rows[0].campaigns == ("C-GROW",) and rows[1].holdout == 0.2 and rows[2].campaigns == ()
    assert C.plan_rows(results, None) == []


def test_problems_name_what_where_and_the_figure():
    results, plan, page = base()
    case_volume_called_return_zh(results, plan, page)
    (p,) = C.check(results, plan, page)
    d = p.to_dict()
    assert set(d) == {"what", "where", "figure", "detail"}
    assert d["where"] == "findings[4].finding" and d["figure"] in ("2,874%", "28.74")
    assert "投资回报率" in d["detail"] and str(p).startswith("volume called a return at findings[4].finding")


def test_runner_warns_and_keeps_them_in_the_run_card(tmp_path, caplog):
    from analysis.run.runner import RunOptions, check_consistency

    results, plan, page = base()
    case_contradicting_instructions(results, plan, page)
    plan.to_csv(tmp_path / "plan.csv", index=False, encoding="utf-8-sig")
    results["run"] = {"timings": {}}
    with caplog.at_level("WARNING", logger="analysis.run.runner"):
        problems = check_consistency(tmp_path, results, page, RunOptions(out_root=tmp_path, quiet=True), "x")
    assert [p["what"] for p in problems] == ["contradicting instructions"]
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warned) == 1
    assert warned[0].startswith("[x] WARNING consistency: contradicting instructions at sections[plan]")
    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert written["run"]["consistency"] == problems


# ---------------------------------------------------------------------------
# whole banks: compute_results → the plan → the briefing → check == []


def problems_of(bank) -> list[str]:
    results, plan = compute_run(bank)
    names = dict(zip(bank.campaigns["campaign_id"], bank.campaigns["name"])) if bank.has("campaigns") else {}
    out = []
    for lang in ("zh", "en"):
        ctx = dataclasses.replace(make_context(results, lang, None), campaign_names=names)
        page = compose(Path("/nonexistent-run-folder"), results, lang, ctx)
        out += [f"{bank.branch_id} {lang}: {p}" for p in C.check(results, plan, page)]
    return out


@pytest.mark.slow
def test_the_sample_bank_is_consistent(sample_dir):
    problems = []
    for branch in ("meishan", "leshan"):
        problems += problems_of(analysis.load(sample_dir, branch))
    assert problems == [], "\n".join(problems)


OPTIONAL = (
    (),
    ("interactions",),
    ("surveys",),
    ("market_share", "market_survey"),
    ("campaigns", "campaign_contacts"),
    ("relationship_managers",),
    ("interactions", "surveys", "market_survey"),
)


def random_banks(n: int = 20, seed: int = 2026):
    """(seed, customers, tables removed) of `n` random sample banks."""
    rng = np.random.default_rng(seed)
    for _ in range(n):
        yield int(rng.integers(1, 1_000_000)), int(rng.integers(300, 1_501)), OPTIONAL[int(rng.integers(len(OPTIONAL)))]


def _remove(folder: Path, name: str) -> None:
    for p in folder.glob(f"{name}*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()


@pytest.mark.slow
def test_random_sample_banks_are_consistent(tmp_path):
    from analysis.sample.generate import generate

    problems = []
    for i, (seed, customers, removed) in enumerate(random_banks()):
        folder = tmp_path / f"bank{i}"
        generate(folder, branches=1, customers=customers, seed=seed, months=24 + seed % 7)
        for name in ("transactions", *removed):  # transactions: no section of results.json reads them
            _remove(folder, name)
        bank = analysis.load(folder, "meishan")
        problems += [
            f"seed {seed}, {customers} customers, without {removed or 'nothing'}: {p}" for p in problems_of(bank)
        ]
        shutil.rmtree(folder)
    assert problems == [], "\n".join(problems)


# ---------------------------------------------------------------------------
# compute_results = the notebooks' results.json


def _same(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        assert set(a) == set(b), f"{path}: keys {sorted(set(a) ^ set(b))}"
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        # the notebooks' kernels run one BLAS thread: sums may differ in the last digits
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} ≠ {b}"
    else:
        assert a == b, f"{path}: {a!r} ≠ {b!r}"


@pytest.mark.slow
def test_compute_results_equals_the_notebooks(conformance_dir, bank_a, tmp_path):
    out = tmp_path / "run"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "run",
            "--data",
            str(conformance_dir / "good"),
            "--branch",
            "fixture-a",
            "--out",
            str(out),
            "--quiet",
        ],
        check=True,
        cwd=REPO,
        timeout=900,
    )
    notebooks = json.loads((out / "fixture-a" / "results.json").read_text(encoding="utf-8"))
    computed = compute_results(bank_a)
    run_card = {"run", "generated_at", "data_fingerprint"}
    assert set(computed) == set(notebooks) - run_card
    for key in computed:
        _same(computed[key], notebooks[key], key)


def test_compute_builds_in_the_notebooks_order():
    from analysis.run.compute import SECTION_BUILDERS

    assert list(SECTION_BUILDERS) == [
        "overview",  # 00
        "value",  # 01
        "churn",  # 02
        "satisfaction",  # 03
        "qvsrs",  # 03
        "competitors",  # 04
        "economics",  # 05, before the campaigns (their profit)
        "campaigns",  # 05
        "relationship_managers",  # 06
        "plan",  # 06, last: it reads every section before it
    ]


def test_compute_results_keys_and_lifting(bank_a):
    from analysis.questions.plan import plan_invariant_problems

    r, plan = compute_run(bank_a)
    assert r == compute_results(bank_a)
    assert plan is not None and plan_invariant_problems(plan, r) == []  # plan.csv's rows = the plan section
    assert r["customers"] == len(bank_a.customers) and "active_customers" in r
    assert all("_top" not in v and "_merge" not in v for v in r.values() if isinstance(v, dict))
    assert isinstance(r["campaigns_ranked"], list)
    assert r["overview"]["status"] == "ok" and r["branch"]["home_bank"]
    assert copy.deepcopy(r) == json.loads(json.dumps(r))  # plain JSON values
