"""Relationship managers in words: coverage and the proposal (the notebook's
and the briefing's `describe_managers`), each manager's book, the figures'
titles and labels, and the display tables (numbers kept numeric; style with
`formats(table)`)."""

from __future__ import annotations

import pandas as pd

from analysis.assumptions import Assumptions
from analysis.data.pseudonym import pseudonymise
from analysis.questions.managers import Proposal
from analysis.sections import to_jsonable
from analysis.words.format import money, money_unit, num, pct
from analysis.words.glossary import in_sentence, term
from analysis.words.lang import LANGS, pick
from analysis.words.value import short_window


def _assumed(assumptions: Assumptions | None) -> Assumptions:
    return assumptions if assumptions is not None else Assumptions()


def top_share_text(assumptions: Assumptions | None = None) -> str:
    """The valuable customers' share as written: 20%."""
    return pct(_assumed(assumptions).top_share, 0)


def _capacity_text(rule: dict, lang: str) -> str:
    """The capacity rule of the section in words: per grade, or one number each."""
    if rule.get("graded"):
        grades = rule.get("by_grade") or {}
        return pick(
            lang,
            "、".join(f"{term(g, lang)}{num(v)}人" for g, v in grades.items()),
            ", ".join(f"{in_sentence(term(g, lang))} {num(v)}" for g, v in grades.items()),
        )
    return pick(lang, f"每人{num(rule.get('default'))}人", f"{num(rule.get('default'))} each")


def describe_managers(
    section, lang: str = "zh", proposal: Proposal | None = None, assumptions: Assumptions | None = None
) -> list[str]:
    """Sentences on coverage of the top 20 % and what the proposal changes.

    `section`: the `relationship_managers` section (a `ManagersSection`, or
    the mapping of results.json), which the briefing reads; the notebook
    also passes the `proposal`, for who comes first and why each manager.
    """
    section = to_jsonable(section) if section is not None else {}
    rm = term("relationship manager", lang)
    if section.get("status") != "ok":
        return [
            pick(
                lang,
                f"{rm}分析未进行：{section.get('reason')}。",
                f"The relationship-manager analysis was not run: {section.get('reason')}.",
            )
        ]
    top = top_share_text(assumptions)
    w = _assumed(assumptions).window_months
    k, cov, unc = section.get("top20_customers"), section.get("coverage_top20"), section.get("uncovered_top20")
    if cov is None:
        return []
    of_zh, of_en = (f"的{num(k)}位客户", f" ({num(k)})") if k is not None else ("客户", "")
    nobody_zh = f"，{num(unc)}位没有专人负责" if unc is not None else ""
    nobody_en = f"; {num(unc)} have nobody answerable for them" if unc is not None else ""
    held = int(section.get("window_months") or w)
    out = [short_window(held, w, lang)] if section.get("window_months") else []
    out += [
        pick(
            lang,
            f"按近{held}个月利润排名，前{top}{of_zh}中有{pct(cov, 1)}配有{rm}{nobody_zh}（与种子方案的“{rm}一对一责任制"
            "”相比的缺口）。",
            f"Of the top {top} of customers by {held}-month profit{of_en}, {pct(cov, 1)} have a "
            f"{in_sentence(rm)}{nobody_en} "
            "(the gap to the seed's one-manager-per-customer rule).",
        )
    ]
    n = section.get("proposed_assignments")
    if n is None:
        return out
    closed, full = section.get("uncovered_closed") or 0, section.get("left_unassigned") or 0
    if closed:
        out.append(
            pick(
                lang,
                f"其中{num(closed)}位已销户，无法再分配。",
                f"{num(closed)} of them have already closed their relationship and cannot be assigned.",
            )
        )
    rule = section.get("capacity_rule")
    if isinstance(rule, dict):
        graded, cap = bool(rule.get("graded")), _capacity_text(rule, lang)
        cap_zh = f"（容量上限{'按职级' if graded else ''}：{cap}，以活跃客户数计）"
        cap_en = f" (capacity{' by grade' if graded else ''}: {cap}, active customers)"
    else:
        cap_zh, cap_en = "（在客户经理容量之内）", " (within the managers' capacity)"
    after = section.get("coverage_top20_after")
    rise_zh = f"分配后前{top}客户的覆盖率由{pct(cov, 1)}升至{pct(after, 1)}" if after is not None else ""
    rise_en = (
        f"; coverage of the top {top} would rise from {pct(cov, 1)} to {pct(after, 1)}" if after is not None else ""
    )
    at_risk = int(proposal.assignments["at_risk"].sum()) if proposal is not None and proposal.n else 0
    first_zh = f"其中{num(at_risk)}位流失风险高于网点平均、排在最前；" if at_risk else ""
    first_en = f", the {num(at_risk)} whose risk of leaving is above the branch average first" if at_risk else ""
    out.append(
        pick(
            lang,
            f"建议将{num(n)}位分配给现有{rm}{cap_zh}，{first_zh}{rise_zh}".rstrip("，；") + "。",
            f"We propose assigning {num(n)} of them to the current managers{cap_en}{first_en}{rise_en}.",
        )
    )
    if full:
        out.append(
            pick(
                lang,
                f"另有{num(full)}位因所有{rm}已满员而未能分配：需增配人手或调整容量。",
                f"{num(full)} more could not be assigned because every manager is full: the branch needs more "
                "managers or a higher capacity.",
            )
        )
    if proposal is None:
        return out
    if proposal.risk_threshold is None:
        out.append(
            pick(
                lang,
                "流失模型未能估计，排序仅按利润。",
                "The churn model could not be fitted, so the order is by profit alone.",
            )
        )
    reasons = proposal.assignments["reason"].value_counts() if proposal.n else pd.Series(dtype=int)
    if reasons.get("household", 0):
        h = num(int(reasons["household"]))
        out.append(
            pick(
                lang,
                f"{h}位交给了已服务其家庭成员的{rm}。",
                f"{h} go to the manager who already serves their household.",
            )
        )
    if reasons.get("segment", 0):
        s = num(int(reasons["segment"]))
        out.append(
            pick(
                lang,
                f"{s}位交给了名下同类客户占比最高的{rm}（在负荷相近的人中）。",
                f"{s} go to the manager whose book has the most customers of their segment (among equally loaded "
                "managers).",
            )
        )
    return out


def lists_note(lang: str = "zh") -> str:
    """How the assignment list protects customer identifiers."""
    return pick(
        lang,
        "客户以代号显示；含真实客户号的完整名单只保存在运行目录的 private/ 文件夹。",
        "Customers appear by pseudonym; the full list with real customer numbers is kept only in the run folder's "
        "private/ folder.",
    )


# ---------------------------------------------------------------------------
# Each manager's book

#: The portfolio's own measures (zh, en); churn_rate is the glossary's churn_rate_12m.
METRIC_WORDS = {
    "complaints_per_100": ("每百位客户投诉数", "Complaints per 100 customers"),
    "digital_share": ("手机银行/网银活跃客户占比", "Share active on mobile/online banking"),
    "utilisation": ("负荷（客户数÷容量）", "Load (customers ÷ capacity)"),
}

#: What a flagged book calls for, by (metric, higher than the peers), (zh, en).
MEANING = {
    ("churn_rate", True): (
        "需复盘其客户维护，优先安排回访。",
        "review how the book is looked after and schedule revisits first.",
    ),
    ("churn_rate", False): ("其做法值得同事借鉴。", "a practice worth sharing with peers."),
    ("complaints_per_100", True): (
        "需查明投诉来源并跟进处理。",
        "find where the complaints come from and follow them up.",
    ),
    ("complaints_per_100", False): ("", ""),
    ("digital_share", True): ("", ""),
    ("digital_share", False): (
        "应协助其客户开通并使用手机银行（手机银行活跃与较低流失相关）。",
        "help the book onto mobile banking (digital activity goes with lower churn).",
    ),
}


def metric_label(metric: str, lang: str = "zh") -> str:
    """Label of a portfolio measure (churn_rate, complaints_per_100, digital_share, utilisation)."""
    if metric == "churn_rate":
        return term("churn_rate_12m", lang)
    return pick(lang, *METRIC_WORDS[metric])


def _fmt(metric: str, v: float) -> str:
    return num(v, 1) if metric == "complaints_per_100" else pct(v, 1) if metric != "utilisation" else pct(v)


def describe_portfolio(
    book: pd.DataFrame, flags: pd.DataFrame, lang: str = "zh", assumptions: Assumptions | None = None
) -> list[str]:
    """Sentences on the managers' books: spread of size and value, and every flagged outlier explained."""
    a = _assumed(assumptions)
    b = book.drop(index="branch", errors="ignore")
    br = book.loc["branch"] if "branch" in book.index else None
    if b.empty:
        return [pick(lang, "本网点没有客户经理。", "The branch has no relationship managers.")]
    big, small = b["customers"].idxmax(), b["customers"].idxmin()
    total, n_big, n_small = (
        num(int(b["customers"].sum())),
        num(int(b.loc[big, "customers"])),
        num(int(b.loc[small, "customers"])),
    )
    profit = money(b.loc[big, "revenue_12m"], lang)
    held = int(book.attrs.get("window_months") or a.window_months)
    out = [
        pick(
            lang,
            f"{len(b)}位客户经理名下共有{total}位活跃客户，最多的{big}有{n_big}位（近{held}个月利润{profit}），最少的{small}有{n_small}位。",
            f"{len(b)} managers look after {total} active customers; the largest book, {big}, has {n_big} "
            f"({held}-month "
            f"profit {profit}), the smallest, {small}, {n_small}.",
        )
    ]
    if br is not None and not pd.isna(br["churn_rate"]):
        managed = b["churned"].sum() / b["cohort"].sum() if b["cohort"].sum() else float("nan")
        m, r = pct(managed, 1), pct(br["churn_rate"], 1)
        out.append(
            pick(
                lang,
                f"客户经理名下客户的流失率合计{m}，网点整体为{r}。",
                f"Customers with a manager churned at {m} over {a.window_months} months, the branch as a whole at {r}.",
            )
        )
    chance = pct(a.alpha, 0)
    out.append(
        pick(
            lang,
            f"以下把每位客户经理的客户与其他客户经理的客户合并比较；因为同时比较多位，p值按Holm方法校正（控制误判任何一位的机会不超过{chance}）。",
            "Each manager's book is compared with the other managers' books pooled; because several managers are "
            "compared at once, p-values are Holm-adjusted (the chance of wrongly flagging anyone stays below "
            f"{chance}).",
        )
    )
    if flags.empty:
        out.append(
            pick(
                lang,
                "没有哪位客户经理在流失、投诉或手机银行使用上与同事有可靠差异。",
                "No manager's book differs reliably from their peers' in churn, complaints or mobile-banking use.",
            )
        )
        return out
    for f in flags.itertuples(index=False):
        if f.metric == "utilisation":
            out.append(
                pick(
                    lang,
                    f"- {f.rm_id}：名下活跃客户已达容量的{pct(f.value)}，超出上限，新客户不应再分给他/她。",
                    f"- {f.rm_id}: the book is at {pct(f.value)} of capacity, over the limit; no new customers should "
                    "go there.",
                )
            )
            continue
        hi = f.direction == "higher"
        lab, m = metric_label(f.metric, lang), pick(lang, *MEANING[(f.metric, hi)])
        value, peers, p = _fmt(f.metric, f.value), _fmt(f.metric, f.peers), num(f.p_value, 3)
        out.append(
            pick(
                lang,
                f"- {f.rm_id}：{lab}{value}，{'高于' if hi else '低于'}其他客户经理的{peers}（校正后p={p}）。{m}",
                f"- {f.rm_id}: {lab} {value}, {'above' if hi else 'below'} the other managers' {peers} "
                f"(adjusted p = {p}){'; ' + m if m else '.'}",
            )
        )
    return out


def portfolio_title(book: pd.DataFrame, flags: pd.DataFrame, lang: str = "zh") -> str:
    """The churn figure's title: a reliably worse book if any, else how the books compare with the branch."""
    b = book.drop(index="branch", errors="ignore").dropna(subset=["churn_rate"])
    if b.empty:
        return pick(lang, "客户经理名下客户流失", "Churn by manager")
    worse = [rm for rm in flagged(flags, "churn_rate", "higher") if rm in b.index]
    if worse:
        rm = max(worse, key=lambda x: b.loc[x, "churn_rate"])
        r = pct(b.loc[rm, "churn_rate"])
        return pick(
            lang,
            f"{rm}名下客户流失率{r}，明显高于其他客户经理",
            f"{rm}'s book churns at {r}, reliably above the other managers'",
        )
    br = book.loc["branch", "churn_rate"] if "branch" in book.index else float("nan")
    if not pd.isna(br) and (b["churn_rate"] < br).all():
        return pick(
            lang,
            f"每位客户经理名下客户的流失率都低于网点整体的{pct(br)}",
            f"Every manager's book churns less than the branch's {pct(br)}",
        )
    return pick(
        lang, "客户经理之间的流失率差异在随机波动范围内", "Managers' churn rates differ no more than chance would"
    )


def flagged(flags: pd.DataFrame, metric: str, direction: str | None = None) -> list[str]:
    """The managers flagged on `metric` (in `direction`, when given), in the flags' order."""
    f = flags[flags["metric"] == metric]
    if direction is not None:
        f = f[f["direction"] == direction]
    return list(f["rm_id"])


#: Labels of the managers' figures, (zh, en).
LABELS = {
    "now": ("现在", "Now"),
    "after": ("分配后", "After"),
    "covered_axis": ("前{top}客户中有客户经理的比例", "Top {top} with a manager"),
    "capacity": ("容量上限", "Capacity"),
    "book_axis": ("名下活跃客户数", "Active customers in the book"),
    "branch": ("网点整体", "Branch"),
    "churn_axis": ("近{months}个月流失率（{level}区间）", "{months}-month churn ({level} interval)"),
}


def label(key: str, lang: str = "zh", assumptions: Assumptions | None = None) -> str:
    """A label of the managers' figures (`LABELS`)."""
    a = _assumed(assumptions)
    return pick(lang, *LABELS[key]).format(top=top_share_text(a), level=pct(1 - a.alpha, 0), months=a.window_months)


def proposal_title(proposal: Proposal, lang: str = "zh") -> str:
    """The proposal figure's title: how many are assigned and what coverage becomes."""
    before, after = pct(proposal.coverage_before or 0.0), pct(proposal.coverage_after or 0.0)
    return pick(
        lang,
        f"再分配{num(proposal.n)}位高价值客户，覆盖率由{before}升至{after}",
        f"Assigning {num(proposal.n)} valuable customers lifts coverage from {before} to {after}",
    )


# ---------------------------------------------------------------------------
# Display tables


def _columns(lang: str) -> dict[str, str]:
    _, unit = money_unit(lang)
    return {
        "rm": term("relationship manager", lang),
        "grade": pick(lang, "职级", "Grade"),
        "customers": pick(lang, "活跃客户", "Active customers"),
        "utilisation": metric_label("utilisation", lang),
        "revenue": pick(lang, f"{term('revenue_12m', lang)}（{unit}）", f"{term('revenue_12m', lang)} ({unit})"),
        "churn_rate": metric_label("churn_rate", lang),
        "complaints_per_100": metric_label("complaints_per_100", lang),
        "digital_share": metric_label("digital_share", lang),
        "against_peers": pick(lang, "与其他客户经理相比（▲高 ▼低）", "Against the other managers (▲ above, ▼ below)"),
        "pseudonym": pick(lang, "客户代号", "Customer (pseudonym)"),
        "segment": pick(lang, "客户类型", "Segment"),
        "vip": "VIP",
        "p_churn": pick(lang, "流失概率", "P(leave, 12 months)"),
        "why": pick(lang, "分配依据", "Why this manager"),
    }


FORMATS = {
    "utilisation": "{:.1%}",
    "revenue": "{:,.2f}",
    "churn_rate": "{:.1%}",
    "complaints_per_100": "{:.1f}",
    "digital_share": "{:.1%}",
    "p_churn": "{:.1%}",
}

#: Why a customer goes to a manager (`assign`'s reasons), (zh, en).
WHY = {
    "household": ("已服务其家庭", "serves the household"),
    "segment": ("同类客户经验", "segment experience"),
    "load": ("负荷最低", "lightest load"),
}


def formats(table: pd.DataFrame) -> dict[str, str]:
    """Styler formats of a managers display table (either language):
    `table.style.format(formats(table), na_rep="—")`."""
    out = {}
    for lang in LANGS:
        col = _columns(lang)
        out.update({col[k]: f for k, f in FORMATS.items() if col[k] in table.columns})
    return out


def portfolio_table(book: pd.DataFrame, flags: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The portfolio view for a report: per manager and the branch, labelled
    columns, money in 万元 / thousand CNY, shares as fractions; the measures
    on which a book differs reliably from its peers' are named with ▲/▼."""
    col = _columns(lang)
    div, _ = money_unit(lang)
    marks: dict[str, list[str]] = {}
    for f in flags.itertuples(index=False):
        if f.metric != "utilisation":
            marks.setdefault(f.rm_id, []).append(
                metric_label(f.metric, lang) + (" ▲" if f.direction == "higher" else " ▼")
            )
    rows = [
        {
            col["rm"]: pick(lang, "网点整体", "Branch") if rm == "branch" else rm,
            col["grade"]: term(r["grade"], lang) if isinstance(r["grade"], str) else "—",
            col["customers"]: int(r["customers"]),
            col["utilisation"]: r.get("utilisation"),
            col["revenue"]: r["revenue_12m"] / div,
            col["churn_rate"]: r["churn_rate"],
            col["complaints_per_100"]: r["complaints_per_100"],
            col["digital_share"]: r["digital_share"],
            col["against_peers"]: pick(lang, "；", "; ").join(marks.get(rm, [])),
        }
        for rm, r in book.iterrows()
    ]
    return pd.DataFrame(rows).set_index(col["rm"])


def assignment_table(proposal: Proposal, pseud, lang: str = "zh", top: int | None = 30) -> pd.DataFrame:
    """The assignment list for a report: pseudonyms instead of customer ids,
    labelled columns, money in 万元 / thousand CNY, p_churn as a probability
    (NaN when not scored)."""
    col = _columns(lang)
    t = proposal.assignments if top is None else proposal.assignments.head(top)
    div, _ = money_unit(lang)
    out = pseudonymise(t[["customer_id"]], pseud)
    out = out.rename(columns={"pseudonym": col["pseudonym"]})
    out[col["rm"]] = t["rm_id"].to_numpy()
    out[col["segment"]] = [term(s, lang) for s in t["segment"]]
    out[col["vip"]] = [term(v, lang) for v in t["vip_tier"]]
    # rounded (100 CNY, 1/100 of a point): numbers, never a digit string that could read as a customer id
    out[col["revenue"]] = (t["revenue_12m"].astype(float) / div).round(2).to_numpy()
    out[col["p_churn"]] = t["p_churn"].astype(float).round(4).to_numpy()
    out[col["why"]] = [pick(lang, *WHY[r]) for r in t["reason"]]
    out.index = t["order"].to_numpy()
    return out
