"""Retention and customer lifetime value in words (`analysis.questions.clv`).

`describe_clv(result, lang)` is what the value notebook says under its CLV
figures; `clv_title` and `retention_title` are their titles; `clv_table`
is the per-group table for display (numbers stay numbers: money in 万元 /
thousand CNY, shares as fractions, formats in `attrs["formats"]`).
"""

from __future__ import annotations

import pandas as pd

from analysis.questions.clv import ClvResult
from analysis.words.format import interval, money, money_unit, num, pct, times
from analysis.words.glossary import is_term, term
from analysis.words.lang import pick


def group_label(key, lang: str = "zh") -> str:
    """Term of a group (segment …); "all" is every customer."""
    if key == "all":
        return pick(lang, "全部客户", "All customers")
    return term(str(key), lang) if is_term(str(key)) else str(key)


def clv_title(result: ClvResult, lang: str = "zh") -> str:
    """Title of the CLV figure: the most and least valuable group, in numbers."""
    best, worst = result.most_valuable, result.least_valuable
    if best is None:
        return term("CLV", lang)
    ok = result.modelled
    b, name = money(ok.loc[best, "clv"], lang), group_label(best, lang)
    if best == worst or ok.loc[worst, "clv"] <= 0:
        return pick(lang, f"一位{name}的终身价值约{b}", f"One {name} customer is worth about {b}")
    k = times(ok.loc[best, "clv"] / ok.loc[worst, "clv"], lang, 0)
    other = group_label(worst, lang)
    return pick(
        lang,
        f"一位{name}的终身价值约{b}，是{other}的{k}",
        f"One {name} customer is worth about {b}, {k} one {other} customer",
    )


def retention_title(result: ClvResult, lang: str = "zh") -> str:
    """Title of the retention figure: which group keeps its customers best."""
    best = result.best_retention
    if best is None:
        return term("retention", lang)
    r, name = pct(result.modelled.loc[best, "retention_next_year"], 0), group_label(best, lang)
    return pick(lang, f"{name}最稳：明年预计保留{r}", f"{name} stay best: {r} expected to stay next year")


def reason_words(row: pd.Series, lang: str = "zh") -> str:
    """Why a group was not modelled, in the reader's language."""
    kind = row.get("reason_kind")
    if kind == "few_customers":
        n, need = num(row["customers_followed"]), num(row["min_customers"])
        return pick(
            lang,
            f"数据覆盖完整年份的客户只有{n}位（至少需要{need}位）",
            f"only {n} customers followed over whole years (at least {need} needed)",
        )
    if kind == "few_churns":
        n, need = num(row["churned"]), num(row["min_churned"])
        return pick(
            lang,
            f"只观察到{n}次流失（至少需要{need}次才能估计保留率）",
            f"only {n} churns observed (at least {need} needed to estimate retention)",
        )
    if kind == "no_margin":
        return pick(
            lang,
            "没有满12个月利润记录的活跃客户，无法计算年利润",
            "no active customer with a full 12 months of revenue to measure the annual margin",
        )
    return pick(lang, f"模型拟合失败（{row['reason']}）", str(row["reason"]))


def _group_line(result: ClvResult, key, row: pd.Series, lang: str) -> str:
    name = group_label(key, lang)
    if row["status"] != "ok":
        return pick(
            lang, f"{name}：未建模——{reason_words(row, lang)}。", f"{name}: not modelled — {reason_words(row, lang)}."
        )
    stay, years, h = pct(row["retention_next_year"], 1), num(row["expected_years"], 1), result.horizon_years
    margin, clv, total = money(row["margin_12m"], lang), money(row["clv"], lang), money(row["base_value"], lang)
    span = interval(row["clv_ci_low"], row["clv_ci_high"], lang, lambda v: money(v, lang))
    n = num(row["active_customers"])
    line = pick(
        lang,
        f"{name}：明年保留率约{stay}，未来{h}年内平均还会留{years}年；年利润{margin}，一位现有客户的终身价值约"
        f"{clv}（{span}），{n}位活跃客户合计{total}。",
        f"{name}: about {stay} expected to stay next year, {years} more years on average within {h}; yearly "
        f"profit {margin}, a current customer is worth about {clv} ({span}), the {n} active customers together "
        f"{total}.",
    )
    if row["homogeneous"]:
        line += pick(
            lang,
            "该群体的保留率不随在行年限上升（客户之间差别不明显），模型退化为固定流失率。",
            " Retention does not rise with tenure in this group (customers look alike): the model reduces to a "
            "constant churn rate.",
        )
    return line


def describe_clv(result: ClvResult, lang: str = "zh") -> list[str]:
    """Sentences on retention and lifetime value per group, with the method in one line each."""
    d = pct(result.discount_rate, 0)
    out = [
        pick(
            lang,
            "保留率模型（移位贝塔几何模型，sBG）：每位客户每年有自己固定的流失概率，客户之间各不相同；"
            "容易流失的客户先走，留下的客户越来越稳，所以老客户的保留率更高。模型按在行年限逐年拟合，只用数据覆盖的完整年份。",
            "Retention model (shifted-beta-geometric, sBG): each customer has her own, constant yearly chance of "
            "leaving, "
            "and these chances differ between customers; the likely leavers go first, so the customers who stay are "
            "ever "
            "more loyal and retention rises with tenure. The model is fitted on whole years of tenure that the data "
            "cover.",
        ),
        pick(
            lang,
            f"{term('CLV', lang)} = 年利润 × 折现后的预期剩余年数（年折现率{d}）："
            "一位现有客户从下一个周年起预计还会为本行带来的利润，折算成今天的钱；区间为95%置信区间。",
            f"{term('CLV', lang)} = yearly profit × discounted expected remaining years (discount rate {d} a year): "
            "what a current customer is expected to earn the bank from her next anniversary on, in today's money; "
            "ranges are 95% confidence intervals.",
        ),
    ]
    out += [_group_line(result, key, row, lang) for key, row in result.table.iterrows()]
    ok = result.modelled
    if len(ok) >= 2:
        best = result.most_valuable
        kept = 0.01 * ok.loc[best, "active_customers"]
        worth, name = money(kept * ok.loc[best, "clv"], lang), group_label(best, lang)
        out.append(
            pick(
                lang,
                f"{clv_title(result, lang)}：{name}的保留率每提高1个百分点，约多留住{num(kept)}位客户，价值约{worth}。",
                f"{clv_title(result, lang)}: each percentage point of {name} retention keeps about {num(kept)} more "
                f"customers, worth about {worth}.",
            )
        )
    return out


def no_clv_words(lang: str = "zh") -> str:
    """What the notebook says when no group could be modelled."""
    return pick(
        lang,
        "各客户群的数据都不足以估计保留率，未计算终身价值。",
        "No segment has enough data to estimate retention; lifetime value is not computed.",
    )


#: column → (zh, en); money columns get the unit in their label
CLV_COLUMNS = {
    "customers_followed": ("建模客户数", "Customers modelled"),
    "churned": ("观察到的流失", "Churns observed"),
    "active_customers": ("活跃客户", "Active customers"),
    "retention_next_year": ("明年保留率", "Retention next year"),
    "expected_years": ("预计剩余年数", "Expected years left"),
    "margin_12m": ("年利润", "Yearly profit"),
    "clv": ("客户终身价值", "Lifetime value"),
    "clv_ci_low": ("95%区间下限", "95% interval, low"),
    "clv_ci_high": ("95%区间上限", "95% interval, high"),
    "base_value": ("活跃客户合计", "All active customers"),
    "note": ("说明", "Note"),
}
CLV_MONEY = ("margin_12m", "clv", "clv_ci_low", "clv_ci_high", "base_value")
CLV_FORMATS = {
    "customers_followed": "{:,.0f}",
    "churned": "{:,.0f}",
    "active_customers": "{:,.0f}",
    "retention_next_year": "{:.1%}",
    "expected_years": "{:.1f}",
    **{c: "{:,.1f}" for c in CLV_MONEY},
}


def clv_table(result: ClvResult, lang: str = "zh") -> pd.DataFrame:
    """The per-group CLV table for display: numeric columns (money in 万元 /
    thousand CNY), rows and columns in the reader's words, the reason in words
    for groups not modelled; `attrs["formats"]` holds the display formats."""
    div, unit = money_unit(lang)
    t = result.table
    ok = t["status"] == "ok"
    out = pd.DataFrame(index=[group_label(k, lang) for k in t.index])
    for c in ("customers_followed", "churned", "active_customers"):
        out[c] = t[c].to_numpy()
    for c in ("retention_next_year", "expected_years", *CLV_MONEY):
        values = t[c] if c in t else pd.Series(float("nan"), index=t.index)
        out[c] = values.where(ok).to_numpy(dtype=float) / (div if c in CLV_MONEY else 1)
    homogeneous = t["homogeneous"] if "homogeneous" in t else pd.Series(False, index=t.index)
    out["note"] = [
        (pick(lang, "固定流失率", "constant churn rate") if bool(homogeneous[k]) else "")
        if ok[k]
        else reason_words(r, lang)
        for k, r in t.iterrows()
    ]
    labels = {}
    for c in out.columns:
        zh, en = CLV_COLUMNS[c]
        name = pick(lang, zh, en)
        labels[c] = pick(lang, f"{name}（{unit}）", f"{name} ({unit})") if c in CLV_MONEY else name
    out = out.rename(columns=labels)
    out.attrs["formats"] = {labels[c]: f for c, f in CLV_FORMATS.items()}
    return out
