"""The churn chapter in words: driver labels, effect sentences, the
descriptions the notebook and the briefing print, key findings, the titles
and labels of the churn figures and the display tables' columns.

    describe_churn(section, lang)        # the notebook's and the briefing's sentences on the `churn` section
    effect_sentence("digital_active", d, lang)
    drivers_table(section, lang)         # numbers stay numbers; style with `formats(table, lang)`

The decisions (significant or not, actionable or not, the direction and
size of an effect in plain units) are made in `analysis.questions.churn`;
this module only words them. Numbers go through `analysis.words.format`,
languages through `analysis.words.lang.pick`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.contract import AREAS, SEGMENTS
from analysis.data.features import COMPLAINT_DRIVERS
from analysis.questions.churn import (
    ACTIONABLE,
    TRAIN_SHARE,
    AtRiskList,
    LossFactors,
    actionable_findings,
    risk_factor,
    significant,
)
from analysis.sections import to_jsonable
from analysis.words.format import is_number, money, num, pct, plural, times
from analysis.words.glossary import feature_term, in_sentence, term
from analysis.words.lang import pick


def assumed(assumptions: Assumptions | None) -> Assumptions:
    return assumptions if assumptions is not None else Assumptions()


def as_section(section) -> dict:
    """A section as results.json holds it (a typed section or a mapping)."""
    return to_jsonable(section) if section is not None else {}


def alpha_text(alpha: float) -> str:
    """The significance level as written after "p <": 0.05, 0.01, 0.005."""
    return num(alpha, 2) if round(alpha, 2) == alpha else num(alpha, 3)


def level_text(alpha: float) -> str:
    """The confidence level of an interval: 95%."""
    return pct(1 - alpha, 0)


# ---------------------------------------------------------------------------
# Labels: the glossary's terms, with the unit an odds ratio is per

#: Per-unit qualifiers of the numeric drivers (zh, en): an odds ratio is per one of these.
PER_UNIT: dict[str, tuple[str, str]] = {
    "age": ("每岁", "per year"),
    "tenure_years": ("每年", "per year"),
    "products_held": ("每类", "per product line"),
    "complaints_12m": ("每次", "each"),
}


def driver_label(key: str, lang: str = "zh", assumptions: Assumptions | None = None) -> str:
    """Label of a driver key: its term with the unit its odds ratio is per
    (`age` → 年龄（每岁）), a dummy with its reference level
    (`segment[sme]` → 小微企业主（对比大众客户）). KeyError for an unknown key."""
    for prefix, levels in (("segment[", SEGMENTS), ("area[", AREAS)):
        if key.startswith(prefix):
            level, ref = feature_term(key, lang), term(levels[0], lang)
            return pick(lang, f"{level}（对比{ref}）", f"{level} (vs {in_sentence(ref)})")
    label = term(key, lang, assumed(assumptions).window_months)
    if key == "unresolved_complaint":
        # the glossary spells the contract's 30 days; the label follows the assumption
        label = label.replace(str(Assumptions().unresolved_days), str(assumed(assumptions).unresolved_days))
    if key in PER_UNIT:
        unit = pick(lang, *PER_UNIT[key])
        return pick(lang, f"{label}（{unit}）", f"{label} ({unit})")
    return label


def short_label(key: str, lang: str = "zh") -> str:
    """A driver's term without its unit or reference level."""
    return driver_label(key, lang).split("（")[0].split(" (")[0]


#: The two states of each actionable driver in words, (low / 0, high / 1), each (zh, en).
STATES = {
    "products_held": (("持有产品少", "few products"), ("持有产品多", "many products")),
    "digital_active": (
        ("未使用手机银行/网银", "no mobile/online banking"),
        ("使用手机银行/网银", "uses mobile/online banking"),
    ),
    "complaints_12m": (("投诉少", "few complaints"), ("投诉多", "repeated complaints")),
    "unresolved_complaint": (
        ("无逾期未解决投诉", "no overdue complaint"),
        ("投诉逾{days}天未解决", "complaint unresolved > {days} days"),
    ),
    "has_rm": (("未配客户经理", "no relationship manager"), ("配有客户经理", "has a relationship manager")),
    "vip": (("非VIP", "not VIP"), ("VIP客户", "VIP")),
    "balance_trend": (("资产下降", "falling balances"), ("资产上升", "rising balances")),
}
#: Drivers whose risky state varies by customer, named in general by their usual risky state.
RISKY_SIDE = {"products_held": 0, "complaints_12m": 1, "balance_trend": 0}

#: Binary drivers: (group with value 0, group with value 1), each (zh, en).
GROUPS = {
    "digital_active": (
        ("不使用手机银行或网银的客户", "Customers not using mobile or online banking"),
        ("活跃使用手机银行或网银的客户", "Customers active on mobile or online banking"),
    ),
    "unresolved_complaint": (
        ("没有逾期未解决投诉的客户", "Customers without an overdue complaint"),
        ("投诉未在{days}天内解决的客户", "Customers whose complaint was not resolved within {days} days"),
    ),
    "vip": (("非VIP客户", "Customers who are not VIP"), ("VIP客户", "VIP customers")),
    "has_rm": (
        ("没有客户经理的客户", "Customers without a relationship manager"),
        ("配有客户经理的客户", "Customers with a relationship manager"),
    ),
}


def state(key: str, high: bool, lang: str = "zh", assumptions: Assumptions | None = None) -> str:
    """A driver's low (False) or high (True) state in words ("few products")."""
    return pick(lang, *STATES[key][int(high)]).format(days=assumed(assumptions).unresolved_days)


def group(key: str, high: bool, lang: str = "zh", assumptions: Assumptions | None = None) -> str:
    """The customers at a binary driver's value 0 (False) or 1 (True)."""
    return pick(lang, *GROUPS[key][int(high)]).format(days=assumed(assumptions).unresolved_days)


# ---------------------------------------------------------------------------
# Effects in plain terms


def effect_sentence(
    key: str,
    d: Mapping,
    lang: str = "zh",
    measure: str = "odds",
    assumptions: Assumptions | None = None,
    with_interval: bool = True,
) -> str:
    """One driver's effect in plain terms, in the direction that raises risk.

    `d` holds odds_ratio (or hazard_ratio with measure="hazard"), ci_low, ci_high.
    """
    a = assumed(assumptions)
    if measure == "hazard":
        d = {**d, "odds_ratio": d["hazard_ratio"]}
    f, lo, hi, s = risk_factor(key, d)
    what = (
        pick(lang, "流失几率", "odds of leaving") if measure == "odds" else pick(lang, "流失风险", "hazard of leaving")
    )
    end = pick(lang, "。", ".")

    def ci(low: float, high: float, digits: int) -> str:
        if not with_interval:
            return ""
        lv, a_, b_ = level_text(a.alpha), num(low, digits), num(high, digits)
        return pick(lang, f"（{lv}区间：{a_}–{b_}倍）", f" ({lv} interval {a_}–{b_})")

    if key in GROUPS:
        g = group(key, s > 0, lang, a)
        return (
            pick(
                lang,
                f"{g}{what}是其他客户的{times(f, lang, 1)}{ci(lo, hi, 1)}",
                f"{g} have {times(f, lang, 1)} the {what} of other customers{ci(lo, hi, 1)}",
            )
            + end
        )
    if key == "products_held":
        return (
            pick(
                lang,
                f"每{'少' if s < 0 else '多'}持有一类产品，{what}变为{times(f, lang, 2)}{ci(lo, hi, 1)}",
                f"Each product line {'fewer' if s < 0 else 'more'} multiplies the {what} by {num(f, 2)}{ci(lo, hi, 1)}",
            )
            + end
        )
    if key == "complaints_12m":
        return (
            pick(
                lang,
                f"每{'多' if s > 0 else '少'}一次投诉，{what}变为{times(f, lang, 2)}{ci(lo, hi, 1)}",
                f"Each {'further' if s > 0 else 'fewer'} complaint multiplies the {what} by {num(f, 2)}{ci(lo, hi, 1)}",
            )
            + end
        )
    if key == "balance_trend":
        return (
            pick(
                lang,
                f"资产余额半年内{'减半' if s < 0 else '翻倍'}的客户，{what}是余额持平客户的"
                f"{times(f, lang, 1)}{ci(lo, hi, 1)}",
                f"A balance that {'halved' if s < 0 else 'doubled'} over six months multiplies the {what} by "
                f"{num(f, 1)}{ci(lo, hi, 1)}",
            )
            + end
        )
    label, r = driver_label(key, lang, a), d["odds_ratio"]
    return (
        pick(
            lang,
            f"{label}：{what}变为{times(r, lang, 2)}{ci(d['ci_low'], d['ci_high'], 2)}",
            f"{label}: {what} × {num(r, 2)}{ci(d['ci_low'], d['ci_high'], 2)}",
        )
        + end
    )


def estimated(drivers) -> dict:
    """The drivers of a section that carry an estimate to word (results.json may come from elsewhere)."""
    return {
        k: d
        for k, d in (drivers or {}).items()
        if isinstance(d, Mapping)
        and all(is_number(d.get(c)) for c in ("odds_ratio", "ci_low", "ci_high", "p_value"))
        and min(d["odds_ratio"], d["ci_low"]) > 0
    }


def describe_churn(section, lang: str = "zh", assumptions: Assumptions | None = None) -> list[str]:
    """Sentences on the branch's churn: rate, the three drivers it can act on
    (with the size of each effect; only significant ones), the rest honestly,
    and how well the model tells leavers from stayers.

    `section`: the `churn` section (a `ChurnSection`, or the mapping of
    results.json). The notebook and the briefing both print these sentences.
    """
    a = assumed(assumptions)
    section = as_section(section)
    if section.get("status") != "ok":
        return [
            pick(
                lang,
                f"{term('churn', lang)}分析未进行：{section.get('reason')}。",
                f"The churn analysis was not run: {section.get('reason')}.",
            )
        ]
    n, k, r = section.get("cohort_size"), section.get("churned"), section.get("churn_rate_12m")
    drivers = estimated(section.get("drivers"))
    cut = alpha_text(a.alpha)
    w, h = a.window_months, a.churn_history_months
    rate_term = term("churn_rate_12m", lang, w)
    out = []
    if None not in (n, k, r) and (w, h) == (12, 6):
        out.append(
            pick(
                lang,
                f"一年前（t0）在册且有至少半年历史的{num(n)}名客户中，{num(k)}人在之后12个月内销户，"
                f"{rate_term}为{pct(r, 1)}。",
                f"Of the {num(n)} customers on the books a year ago (with at least six months' history), {num(k)} "
                "closed "
                f"their relationship within 12 months: a {in_sentence(rate_term)} of {pct(r, 1)}.",
            )
        )
    elif None not in (n, k, r):
        out.append(
            pick(
                lang,
                f"{w}个月前（t0）在册且有至少{h}个月历史的{num(n)}名客户中，{num(k)}人在之后{w}个月内销户，"
                f"{rate_term}为{pct(r, 1)}。",
                f"Of the {num(n)} customers on the books {w} months ago (with at least {h} months' history), {num(k)} "
                f"closed their relationship within {w} months: a {in_sentence(rate_term)} of {pct(r, 1)}.",
            )
        )
    if not drivers:
        return out
    out += [
        pick(
            lang,
            "优势比（流失几率倍数）表示在其他因素相同时，某个因素让客户的流失几率变为原来的多少倍：大于1风险升高，小于1风险降低。"
            f"p值小于{cut}的影响视为可靠（若该因素其实毫无作用，看到这么大差异的机会不到{pct(a.alpha, 0)}）。",
            "An odds ratio says how many times a factor multiplies a customer's odds of leaving, other things equal: "
            f"above 1 raises the risk, below 1 lowers it. We call an effect reliable when p < {cut} (a difference this "
            f"large would turn up less than {pct(a.alpha, 0)} of the time if the factor did nothing).",
        ),
    ]
    top, weak = actionable_findings(drivers, alpha=a.alpha)
    if top:
        if len(top) < 3:
            head = pick(
                lang,
                f"网点可以改变的因素中只有{len(top)}个显示出可靠的影响：",
                f"Only {len(top)} of the factors the branch can act on show a reliable effect:",
            )
        else:
            head = pick(
                lang,
                f"网点可以着手改变的因素中，影响最大的{len(top)}个：",
                f"The {len(top)} factors the branch can act on with the largest effect:",
            )
        out.append(head)
        out += [f"- {effect_sentence(key, drivers[key], lang, assumptions=a)}" for key in top]
    else:
        out.append(
            pick(
                lang,
                "网点可以改变的因素（产品数、手机银行、投诉处理、客户经理、VIP、资产变化）在本网点数据中都没有显示出可靠的影响。",
                "None of the factors the branch can act on (products, digital banking, complaint handling, "
                "relationship managers, VIP status, balance trend) shows a reliable effect in this branch's data.",
            )
        )
    sep = pick(lang, "、", ", ")
    if weak:
        names = sep.join(driver_label(x, lang, a) for x in weak)
        out.append(
            pick(
                lang,
                f"{names}在本网点数据中没有显示出可靠的影响（p≥{cut}）：这不等于没有作用，只是现有数据不足以下结论。",
                f"{names}: no reliable effect in this branch's data (p ≥ {cut}). That is not proof of no effect, only "
                "that the data cannot tell.",
            )
        )
    other = [x for x in drivers if x not in ACTIONABLE and significant(drivers[x], a.alpha)]
    if other:
        parts = [
            pick(
                lang,
                f"{driver_label(x, lang, a)}{times(drivers[x]['odds_ratio'], lang, 2)}",
                f"{driver_label(x, lang, a)} (× {num(drivers[x]['odds_ratio'], 2)})",
            )
            for x in other
        ]
        out.append(
            pick(
                lang,
                "网点无法改变、但可用于锁定重点客户的因素：" + sep.join(parts) + "。",
                "Factors the branch cannot change but can use to target: " + sep.join(parts) + ".",
            )
        )
    for key, info in (section.get("separated") or {}).items():
        label, c = short_label(key, lang), num(info["customers"])
        stayed = info["all"] == "stayed"
        out.append(
            pick(
                lang,
                f"{label}的{c}名客户{'无一流失' if stayed else '全部流失'}，无法估计其优势比，这部分客户未纳入模型。",
                f"All {c} customers in “{label}” {'stayed' if stayed else 'left'}, so its odds ratio cannot be "
                "estimated; they are left out of the model.",
            )
        )
    left = section.get("left_out") or {}
    if any(c in left for c in COMPLAINT_DRIVERS):
        out.append(
            pick(
                lang,
                "本次数据没有客户接触（投诉）记录，模型未包含投诉因素。",
                "The data hold no interactions (complaints), so the model leaves the complaint factors out.",
            )
        )
    auc = section.get("auc_holdout")
    if auc is not None:
        held = pct(1 - TRAIN_SHARE, 0)
        out.append(
            pick(
                lang,
                f"模型区分流失与留存客户的能力（留出样本AUC）为{num(auc, 2)}：在建模时未使用的{held}客户中，随机抽一名"
                "流失客户和一名留存客户，"
                f"模型给前者更高流失概率的机会是{pct(auc, 0)}（50%相当于随机猜测）。",
                f"The model's hold-out AUC is {num(auc, 2)}: among the {held} of customers it was not fitted on, it "
                "ranks a "
                f"random leaver above a random stayer {pct(auc, 0)} of the time (50% would be guessing).",
            )
        )
    return out


# ---------------------------------------------------------------------------
# Loss factors, the at-risk list and the key findings


def describe_loss_factors(lf: LossFactors, lang: str = "zh") -> list[str]:
    """Sentences on why and where the window's leavers went."""
    if lf.n == 0:
        return [pick(lang, "近12个月没有客户销户。", "No customer closed a relationship in the last 12 months.")]
    known = lf.reasons_by_segment["total"].drop(index="unknown", errors="ignore")
    top = known.sort_values(ascending=False)
    out = []
    if top.sum() > 0:
        r1, n1 = top.index[0], int(top.iloc[0])
        second = len(top) > 1 and top.iloc[1] > 0
        r2, n2 = (term(top.index[1], lang), num(int(top.iloc[1]))) if second else ("", "")
        out.append(
            pick(
                lang,
                f"近12个月共有{num(lf.n)}名客户销户，首要原因是“{term(r1, lang)}”（{num(n1)}人，占{pct(n1 / lf.n, 0)}）"
                + (f"，其次是“{r2}”（{n2}人）" if second else "")
                + "。",
                f"{num(lf.n)} customers left in the last 12 months; the main reason given was “{term(r1, lang)}” "
                f"({num(n1)}, {pct(n1 / lf.n, 0)})" + (f", then “{r2}” ({n2})" if second else "") + ".",
            )
        )
    d = lf.destinations_by_segment["total"].drop(index="unknown", errors="ignore")
    d = d[d > 0]
    if len(d):
        shares = [pick(lang, f"{b}（{num(int(d[b]))}人）", f"{b} ({num(int(d[b]))})") for b in list(d.index[:3])]
        n_known = num(int(d.sum()))
        out.append(
            pick(
                lang,
                f"去向已知的{n_known}人中，转投最多的是" + "、".join(shares) + "。",
                f"Of the {n_known} leavers whose new bank is known, most went to " + ", ".join(shares) + ".",
            )
        )
    else:
        out.append(pick(lang, "流失客户的去向没有记录。", "Where leavers went was not recorded."))
    return out


def risk_phrase(key: str, row: Mapping, lang: str = "zh", assumptions: Assumptions | None = None) -> str:
    """The state of a driver for one customer in words ("holds only 2 products")."""
    v = row.get(key)
    if key == "products_held":
        return pick(lang, f"仅持有{int(v)}类产品", f"holds {plural(int(v), 'product line')}")
    if key == "complaints_12m":
        w = assumed(assumptions).window_months
        return pick(lang, f"近{w}个月投诉{int(v)}次", f"{plural(int(v), 'complaint')} in {w} months")
    if key == "balance_trend":
        change = math.expm1(v)
        signed = ("+" if change >= 0 else "") + pct(change, 0)
        return pick(
            lang, f"资产半年内{'减少' if change < 0 else '增加'}{pct(abs(change), 0)}", f"balances {signed} in 6 months"
        )
    return state(key, v >= 0.5, lang, assumptions)


def _risk_name(key: str, table: pd.DataFrame, lang: str, assumptions: Assumptions | None) -> str:
    """The risky state of a driver in general words (binary drivers: the state
    of the customers for whom it is a risk driver)."""
    if key in RISKY_SIDE:
        return state(key, bool(RISKY_SIDE[key]), lang, assumptions)
    rows = table[table["risk_drivers"].map(lambda ks: key in ks)]
    return risk_phrase(key, rows.iloc[0], lang, assumptions) if len(rows) else driver_label(key, lang, assumptions)


def describe_at_risk(
    atrisk: AtRiskList, source: str, lang: str = "zh", top: int = 20, assumptions: Assumptions | None = None
) -> list[str]:
    """Sentences on the at-risk list: how much profit the top customers put at risk,
    what most often puts them at risk, and how identifiers are protected."""
    t = atrisk.table
    head = t.head(top)
    total = t["value_at_risk"].clip(lower=0).sum()
    share = head["value_at_risk"].sum() / total if total > 0 else float("nan")
    counts = atrisk.driver_counts(top)
    at_risk = money(head["value_at_risk"].sum(), lang)
    out = [
        pick(
            lang,
            f"按{atrisk.scored_month:%Y年%m月}的状况，对{num(len(t))}名活跃客户估计了未来12个月的流失概率，并乘以其近12个月利润得到“风险利润”。"
            f"排名前{len(head)}的客户风险利润合计{at_risk}，占全部风险利润的{pct(share, 0)}。",
            f"With their state in {atrisk.scored_month:%B %Y}, {num(len(t))} active customers were scored for the "
            "chance "
            f"of leaving within 12 months, times their profit over the last 12 months (profit at risk). The top "
            f"{len(head)} carry {at_risk} of profit at risk, {pct(share, 0)} of the total.",
        )
    ]
    if len(counts):
        k, c = counts.index[0], int(counts.iloc[0])
        name = _risk_name(k, head, lang, assumptions)
        out.append(
            pick(
                lang,
                f"前{len(head)}名中有{c}人的风险因素包括“{name}”，客户经理可优先从这里着手。",
                f"For {c} of the top {len(head)}, “{name}” is among what puts them at risk: the first thing for their "
                "relationship managers to address.",
            )
        )
    if atrisk.not_scored:
        out.append(
            pick(
                lang,
                f"另有{num(atrisk.not_scored)}名新客户历史不足7个月，未评分。",
                f"{num(atrisk.not_scored)} newer customers with less than 7 months of history were not scored.",
            )
        )
    if source == "derived":
        out.append(
            pick(
                lang,
                "注意：未设置假名密钥（QVSRS_PSEUDONYM_KEY），客户代号由网点编号推导，外发前请设置密钥。",
                "Note: no pseudonym key (QVSRS_PSEUDONYM_KEY) was set; pseudonyms derive from the branch id. Set a key "
                "before sharing.",
            )
        )
    out.append(
        pick(
            lang,
            "表中客户以代号显示；含真实客户号的完整名单只保存在运行目录的 private/ 文件夹，供客户经理内部使用。",
            "Customers appear by pseudonym; the full list with real customer numbers is kept only in the run folder's "
            "private/ folder, for relationship managers.",
        )
    )
    return out


def key_findings(
    section,
    lf: LossFactors | None = None,
    atrisk: AtRiskList | None = None,
    lang: str = "zh",
    assumptions: Assumptions | None = None,
) -> list[str]:
    """The churn chapter in four lines for a retail director: the rate, the
    drivers to act on, why and where leavers go, and the profit at risk."""
    a = assumed(assumptions)
    section = as_section(section)
    out = []
    if section.get("status") == "ok":
        r, n, k = pct(section["churn_rate_12m"], 1), num(section["cohort_size"]), num(section["churned"])
        out.append(
            pick(
                lang,
                f"- 近{a.window_months}个月流失率{r}（{n}名客户中{k}人）。",
                f"- {a.window_months}-month attrition {r} ({k} of {n} customers).",
            )
        )
        top, _ = actionable_findings(section["drivers"], alpha=a.alpha)
        if top:
            parts = []
            for key in top:
                f, _, _, s = risk_factor(key, section["drivers"][key])
                risky = state(key, s > 0, lang, a)  # the risky state: the side the effect raises risk on
                parts.append(pick(lang, f"{risky}（×{num(f, 1)}）", f"{risky} (× {num(f, 1)})"))
            out.append(
                pick(
                    lang,
                    "- 可着手的流失因素：" + "、".join(parts) + "。",
                    "- Drivers to act on: " + ", ".join(parts) + ".",
                )
            )
        else:
            out.append(
                pick(
                    lang,
                    "- 网点可改变的因素都未显示出可靠影响。",
                    "- No factor the branch can change shows a reliable effect.",
                )
            )
    if lf is not None and lf.n:
        known = lf.reasons_by_segment["total"].drop(index="unknown", errors="ignore")
        dest = lf.destinations_by_segment["total"].drop(index="unknown", errors="ignore")
        bits = []
        if known.sum() > 0:
            r = known.idxmax()
            share = pct(known[r] / lf.n, 0)
            bits.append(
                pick(lang, f"首要流失原因“{term(r, lang)}”（{share}）", f"main reason “{term(r, lang)}” ({share})")
            )
        if dest.sum() > 0:
            bits.append(pick(lang, f"转投最多的是{dest.idxmax()}", f"most went to {dest.idxmax()}"))
        if bits:
            out.append(pick(lang, "- " + "，".join(bits) + "。", "- Leavers: " + "; ".join(bits) + "."))
    if atrisk is not None and len(atrisk.table):
        v = money(atrisk.table["value_at_risk"].head(20).sum(), lang)
        out.append(
            pick(
                lang,
                f"- 风险利润最高的20名客户合计{v}，名单已交客户经理（运行目录 private/）。",
                f"- The 20 customers with the most profit at risk carry {v}; their list is with the relationship "
                "managers (run folder, private/).",
            )
        )
    return out


# ---------------------------------------------------------------------------
# Titles and labels of the figures

NOTHING_RELIABLE = ("网点可改变的因素都未显示出可靠影响", "No factor the branch can change shows a reliable effect")

#: Axis and legend labels of the churn figures, (zh, en); `{term}`: the glossary's ratio.
LABELS = {
    "odds_axis": ("{term}（对数刻度；>1 更易流失）", "{term} (log scale; > 1 more likely to leave)"),
    "hazard_axis": ("{term}（对数刻度；>1 更早流失）", "{term} (log scale; > 1 leaves sooner)"),
    "leavers_axis": ("近12个月销户客户数", "Customers who left in the last 12 months"),
    "destinations_axis": ("近12个月转投的客户数", "Leavers in the last 12 months"),
    "closures_axis": ("销户客户数", "Customers who left"),
}
_RATIO = {"odds_axis": "odds ratio", "hazard_axis": "hazard ratio"}


def label(key: str, lang: str = "zh") -> str:
    """An axis or legend label of the churn figures (`LABELS`)."""
    text = pick(lang, *LABELS[key])
    return text.format(term=term(_RATIO[key], lang)) if key in _RATIO else text


def drivers_title(section, lang: str = "zh", assumptions: Assumptions | None = None) -> str:
    """A manager's sentence for the driver figure: the strongest actionable driver."""
    a = assumed(assumptions)
    section = as_section(section)
    top, _ = actionable_findings(section["drivers"], n=1, alpha=a.alpha)
    if not top:
        return pick(lang, *NOTHING_RELIABLE)
    return effect_sentence(top[0], section["drivers"][top[0]], lang, assumptions=a, with_interval=False).rstrip("。.")


def loss_reasons_title(reason: str | None, lang: str = "zh") -> str:
    """The title of the close-reasons figure: its main recorded reason."""
    if reason is None:
        return pick(lang, "流失原因", "Why customers leave")
    return pick(
        lang,
        f"“{term(reason, lang)}”是客户销户的首要原因",
        f"{term(reason, lang)}: the main reason customers give for leaving",
    )


def destinations_title(bank: str | None, lang: str = "zh") -> str:
    """The title of the destinations figure: the bank most leavers went to."""
    if bank is None:
        return pick(lang, "流失客户去向未记录", "Where leavers went was not recorded")
    return pick(lang, f"流失客户转投最多的是{bank}", f"Most leavers went to {bank}")


def closures_title(per_month: pd.Series, lang: str = "zh") -> str:
    """The title of the closures-over-time figure: last quarter's closures a
    month against the quarters before (`per_month`: closures a month, by quarter)."""
    if len(per_month) < 2:
        return pick(lang, "每季度销户客户数", "Closures per quarter")
    last, prev = per_month.iloc[-1], per_month.iloc[:-1].mean()
    up = last > prev
    return pick(
        lang,
        f"最近一个季度月均销户{num(last)}人，{'高于' if up else '低于'}此前的{num(prev)}人",
        f"{num(last)} closures a month last quarter, {'up' if up else 'down'} from {num(prev)} before",
    )
