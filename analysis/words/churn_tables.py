"""The churn chapter's display tables: labelled columns in either language,
numbers kept numeric (probabilities as 0–1, money in 万元 / thousand CNY),
so that a table can still be computed on. Style them in the notebook:

    t = drivers_table(section, lang)
    t.style.format(formats(t))
"""

from __future__ import annotations

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.contract import SEGMENTS
from analysis.data.pseudonym import pseudonymise
from analysis.questions.churn import ACTIONABLE, AtRiskList, LossFactors, significant
from analysis.words.churn import alpha_text, as_section, assumed, driver_label, level_text, risk_phrase
from analysis.words.format import money_unit
from analysis.words.glossary import term
from analysis.words.lang import LANGS, pick


def _columns(lang: str, alpha: float) -> dict[str, str]:
    """Column key → label of the churn display tables."""
    _, unit = money_unit(lang)
    lv = level_text(alpha)
    return {
        "factor": pick(lang, "因素", "Factor"),
        "odds_ratio": term("odds ratio", lang),
        "ci_low": pick(lang, f"{lv}区间下限", f"{lv} interval, low"),
        "ci_high": pick(lang, f"{lv}区间上限", f"{lv} interval, high"),
        "p_value": pick(lang, "p值", "p-value"),
        "reliable": pick(lang, f"可靠（p<{alpha_text(alpha)}）", f"Reliable (p < {alpha_text(alpha)})"),
        "actionable": pick(lang, "网点可改变", "Branch can act"),
        "leavers": pick(lang, "流失客户数", "Leavers"),
        "share": pick(lang, "占全部流失", "Share of leavers"),
        "reason": pick(lang, "流失原因", "Reason for leaving"),
        "destination": pick(lang, "转投银行", "Destination bank"),
        "total": pick(lang, "合计", "Total"),
        "pseudonym": pick(lang, "客户代号", "Customer (pseudonym)"),
        "rm": term("relationship manager", lang),
        "segment": pick(lang, "客户类型", "Segment"),
        "vip": "VIP",
        "p_churn": pick(lang, "流失概率", "P(leave, 12 months)"),
        "revenue": pick(lang, f"{term('revenue_12m', lang)}（{unit}）", f"{term('revenue_12m', lang)} ({unit})"),
        "value_at_risk": pick(lang, f"风险利润（{unit}）", f"Profit at risk ({unit})"),
        "risk_drivers": pick(lang, "主要风险因素", "What puts them at risk"),
        "rank": pick(lang, "排名", "Rank"),
    }


#: Styler formats by column key; segment shares of the loss table are "share".
FORMATS = {
    "odds_ratio": "{:.2f}",
    "ci_low": "{:.2f}",
    "ci_high": "{:.2f}",
    "p_value": "{:.3g}",
    "share": "{:.1%}",
    "p_churn": "{:.1%}",
    "revenue": "{:,.2f}",
    "value_at_risk": "{:,.2f}",
}


def formats(table: pd.DataFrame, assumptions: Assumptions | None = None) -> dict[str, str]:
    """Styler formats of a churn display table's numeric columns (either
    language): `table.style.format(formats(table))`."""
    alpha = assumed(assumptions).alpha
    out: dict[str, str] = {}
    for lang in LANGS:
        names = _columns(lang, alpha)
        for key, fmt in FORMATS.items():
            if names[key] in table.columns:
                out[names[key]] = fmt
        if names["share"] not in table.columns:
            continue  # segment columns are shares only in the loss table (counts in the destinations table)
        for s in SEGMENTS:  # the loss table's share within each segment
            if term(s, lang) in table.columns:
                out[term(s, lang)] = FORMATS["share"]
    return out


def drivers_table(section, lang: str = "zh", assumptions: Assumptions | None = None) -> pd.DataFrame:
    """The churn odds ratios for display: label, odds ratio, interval, p, reliable or not, actionable or not."""
    a = assumed(assumptions)
    col = _columns(lang, a.alpha)
    yes, no = pick(lang, "是", "yes"), pick(lang, "否", "no")
    rows = [
        {
            col["factor"]: driver_label(k, lang, a),
            col["odds_ratio"]: d["odds_ratio"],
            col["ci_low"]: d["ci_low"],
            col["ci_high"]: d["ci_high"],
            col["p_value"]: d["p_value"],
            col["reliable"]: yes if significant(d, a.alpha) else no,
            col["actionable"]: yes if k in ACTIONABLE else "",
        }
        for k, d in as_section(section)["drivers"].items()
    ]
    return pd.DataFrame(rows).set_index(col["factor"])


def loss_table(lf: LossFactors, lang: str = "zh") -> pd.DataFrame:
    """The seed's loss-factor table for display: per close reason, leavers in
    the window, share of all leavers, and the share within each segment."""
    col = _columns(lang, Assumptions().alpha)
    t = lf.reasons_by_segment
    total = max(int(t["total"].sum()), 1)
    seg_tot = t[list(SEGMENTS)].sum().replace(0, float("nan"))
    out = pd.DataFrame(index=t.index)
    out[col["leavers"]] = t["total"]
    out[col["share"]] = t["total"] / total
    for s in SEGMENTS:
        if seg_tot[s] > 0:
            out[term(s, lang)] = t[s] / seg_tot[s]
    out.index = [term(r, lang) for r in out.index]
    out.index.name = col["reason"]
    return out.sort_values(col["leavers"], ascending=False)


def destination_table(lf: LossFactors, lang: str = "zh") -> pd.DataFrame:
    """Destination banks of the window's leavers, by segment (counts)."""
    col = _columns(lang, Assumptions().alpha)
    t = lf.destinations_by_segment
    t = t.loc[:, (t.sum() > 0) | (t.columns == "total")]
    out = t.rename(columns={s: term(s, lang) for s in SEGMENTS} | {"total": col["total"]})
    out.index = [term(d, lang) if d == "unknown" else d for d in out.index]
    out.index.name = col["destination"]
    out.columns.name = None
    return out


def at_risk_table(
    atrisk: AtRiskList,
    pseud,
    lang: str = "zh",
    top: int | None = 20,
    with_ids: bool = False,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """The top of the at-risk list for a report: pseudonyms instead of
    customer ids, labelled columns, p_churn as a probability (4 decimals),
    money in 万元 / thousand CNY (numbers, 2 decimals), drivers in words. `with_ids` adds the real
    customer_id (only for the private file)."""
    col = _columns(lang, assumed(assumptions).alpha)
    t = atrisk.table if top is None else atrisk.table.head(top)
    div, _ = money_unit(lang)
    out = pseudonymise(t[["customer_id"]], pseud)
    out[col["rm"]] = t["rm_id"].fillna("—").to_numpy()
    out[col["segment"]] = [term(s, lang) for s in t["segment"]]
    out[col["vip"]] = [term(v, lang) for v in t["vip_tier"]]
    # rounded to what a reader can use (1/100 of a point, 100 CNY): numbers, and never a digit string
    # long enough to be mistaken for a customer id
    out[col["p_churn"]] = t["p_churn"].round(4).to_numpy()
    out[col["revenue"]] = (t["revenue_12m"] / div).round(2).to_numpy()
    out[col["value_at_risk"]] = (t["value_at_risk"] / div).round(2).to_numpy()
    sep = pick(lang, "；", "; ")
    out[col["risk_drivers"]] = [
        sep.join(risk_phrase(k, row, lang, assumptions) for k in row["risk_drivers"]) or "—" for _, row in t.iterrows()
    ]
    out = out.rename(columns={"pseudonym": col["pseudonym"]})
    if with_ids:
        out.insert(0, "customer_id", t["customer_id"].to_numpy())
    out.index = pd.RangeIndex(1, len(out) + 1, name=col["rank"])
    return out
