"""A specimen run folder: results.json, figures and a table, without running notebooks.

For previewing the briefing and deck while the notebooks change, and for
their tests: `make_run(out_dir, figures_of_branch, lang=...)` turns a branch's
figures in the shape of RESULTS.md (for instance a branch of the contract's
conformance `expected.json`) into a run folder as the runner leaves it before
the briefing is built: `results.json` with every section marked computed and
a run card, `figures/<section>_<name>.png` drawn from those numbers, and a
`tables/` CSV.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.words.glossary import term
from analysis.sections import SCHEMA_VERSION, dumps
from analysis.report import figures as figs
from analysis.words.i18n import pick
from analysis.report.recommendations import CHURN_EVIDENCE_DRIVERS, Evidence, churn_driver_label

SECTIONS = (
    "value",
    "churn",
    "satisfaction",
    "qvsrs",
    "competitors",
    "campaigns",
    "relationship_managers",
    "economics",
)
#: schema-1 keys the conformance files still carry beside their schema-2 names (RESULTS.md)
SCHEMA_1_CAMPAIGN_KEYS = ("roi",)


def specimen_results(figures: dict, branch: dict | None = None, lang: str = "zh") -> dict:
    """results.json for `figures` (one branch of expected.json), with a run card."""
    res: dict = {"schema_version": SCHEMA_VERSION}
    for k, v in figures.items():
        res[k] = {"status": "ok", **v} if k in SECTIONS and isinstance(v, dict) else v
    res.setdefault("generated_at", "2026-07-02T09:00:00+08:00")
    res.setdefault("data_fingerprint", "sha256:" + "0123456789abcdef" * 4)
    if isinstance(res.get("campaigns"), dict):
        res["campaigns"] = {
            cid: {k: x for k, x in c.items() if k not in SCHEMA_1_CAMPAIGN_KEYS} if isinstance(c, dict) else c
            for cid, c in res["campaigns"].items()
        }
    camps = res.get("campaigns") or {}
    ranked = [
        k
        for k, v in camps.items()
        if isinstance(v, dict) and isinstance((v.get("balance_effect") or {}).get("estimate"), (int, float))
    ]
    res.setdefault("campaigns_ranked", sorted(ranked, key=lambda k: -camps[k]["balance_effect"]["estimate"]))
    if (
        isinstance(res.get("relationship_managers"), dict)
        and res["relationship_managers"].get("uncovered_top20") is not None
    ):
        res["relationship_managers"].setdefault(
            "proposed_assignments", int(res["relationship_managers"]["uncovered_top20"] * 0.75)
        )
    if branch:
        res["branch"] = dict(branch)
    res["run"] = {
        "data_dir": "/data/conformance/good",
        "parameters": {"as_of": None, "lang": lang},
        "tables": {"branches": 2, "customers": res.get("customers", 0), "monthly_snapshots": 64000, "surveys": 233},
        "missing_tables": [],
        "versions": {"python": "3.11.9", "analysis": "0.1.0", "pandas": "2.3.3", "statsmodels": "0.15.0"},
        "suite_commit": "abc1234",
        "machine": "Linux x86_64, 2 cores",
    }
    return res


def _evidence_figures(res: dict, lang: str, home_bank: str | None) -> dict[str, tuple[Evidence, str | None]]:
    out: dict[str, tuple[Evidence, str | None]] = {}
    v = res.get("value") or {}
    if "top20_revenue_share" in v:
        out["value_concentration"] = (
            Evidence(
                title=pick(
                    lang,
                    f"两成客户贡献了{v['top20_revenue_share']:.0%}的利润",
                    f"20% of customers make {v['top20_revenue_share']:.0%} of profit",
                ),
                labels=(
                    pick(lang, "前20%客户", "top 20%"),
                    pick(lang, "后30%客户", "bottom 30%"),
                    pick(lang, "亏损客户占比", "loss-making share"),
                ),
                values=(v["top20_revenue_share"], v.get("bottom30_revenue_share", 0), v.get("unprofitable_share", 0)),
                highlight=0,
                unit="pct",
            ),
            None,
        )
    drivers = (res.get("churn") or {}).get("drivers") or {}
    keys = [k for k in CHURN_EVIDENCE_DRIVERS if k in drivers]
    if keys:
        out["churn_drivers"] = (
            Evidence(
                title=pick(lang, "投诉未解决的客户最容易流失", "Unresolved complaints drive attrition"),
                labels=tuple(churn_driver_label(k, lang) for k in keys),
                values=tuple(drivers[k]["odds_ratio"] for k in keys),
                lows=tuple(drivers[k]["ci_low"] for k in keys),
                highs=tuple(drivers[k]["ci_high"] for k in keys),
                highlight=0,
                reference=1.0,
                unit="ratio",
            ),
            None,
        )
    gaps = (res.get("satisfaction") or {}).get("cs_gap") or {}
    if gaps:
        worst = min(gaps, key=gaps.get)
        out["satisfaction_gaps"] = (
            Evidence(
                title=pick(
                    lang,
                    f"{term(worst, lang)}离客户期望最远",
                    f"{term(worst, lang)} falls furthest short of expectations",
                ),
                labels=tuple(term(a, lang) for a in gaps),
                values=tuple(gaps.values()),
                highlight=list(gaps).index(worst),
                reference=0.0,
                unit="points",
            ),
            None,
        )
    share = (res.get("competitors") or {}).get("deposit_share") or {}
    if share:
        out["competitors_share"] = (
            Evidence(
                title=pick(lang, "各银行存款份额", "Deposit share by bank"),
                labels=tuple(share),
                values=tuple(share.values()),
                highlight=list(share).index(home_bank) if home_bank in share else None,
                unit="pct",
            ),
            home_bank,
        )
    per = (res.get("relationship_managers") or {}).get("per_rm") or {}
    if per:
        out["relationship_managers_book"] = (
            Evidence(
                title=pick(lang, "各客户经理名下活跃客户数", "Active customers per relationship manager"),
                labels=tuple(per),
                values=tuple(p["customers"] for p in per.values()),
                unit="number",
            ),
            None,
        )
    return out


def make_run(
    out_dir: str | Path, figures: dict, branch: dict | None = None, lang: str = "zh", with_figures: bool = True
) -> dict:
    """Write a specimen run folder into `out_dir` and return its results."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    res = specimen_results(figures, branch, lang)
    if with_figures:
        (out_dir / "figures").mkdir(exist_ok=True)
        home = (branch or {}).get("home_bank")
        for name, (ev, hb) in _evidence_figures(res, lang, home).items():
            (out_dir / "figures" / f"{name}.png").write_bytes(figs.evidence_png(ev, lang, home_bank=hb))
        per = (res.get("relationship_managers") or {}).get("per_rm") or {}
        if per:
            (out_dir / "tables").mkdir(exist_ok=True)
            df = pd.DataFrame(
                [
                    {
                        pick(lang, "客户经理", "Relationship manager"): k,
                        pick(lang, "建议新增客户", "Customers to add"): i * 7 + 12,
                    }
                    for i, k in enumerate(per)
                ]
            )
            df.to_csv(out_dir / "tables" / "plans_assignments.csv", index=False, encoding="utf-8")
    (out_dir / "results.json").write_text(dumps(res), encoding="utf-8")
    return json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
