"""Next quarter's plan in words (zh / en), for the notebook, the briefing and
the deck alike: each row's one-line description, its owner and KPI, the
plan's summary, and the decisions of the first page.

    describe_plan(section, "zh")        # the summary sentences
    plan_table(section, "en")           # the rows, labelled (numbers numeric)
    decisions(section, "zh")            # the first page's three to five decisions

The rules and the numbers are `analysis.questions.plan`'s; this module only
words them. A return is always a yearly net contribution (年净贡献) with its
interval and the persistence it assumes; balances are never called profit.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.questions.plan import top_actions
from analysis.words.format import interval, is_number, join, money, money_unit, num, pct, yuan
from analysis.words.glossary import feature_term, in_sentence, term
from analysis.words.lang import pick
from analysis.words.names import SEASONS, campaign_name
from analysis.words.persistence import lasts_clause, months_words, slope_of

ROLES: dict[str, tuple[str, str]] = {
    "head_of_retail": ("零售业务部负责人", "Head of retail"),
    "rm_team_lead": ("客户经理主管", "RM team lead"),
    "outlet_manager": ("网点主任", "Outlet manager"),
    "operations_lead": ("运营主管", "Operations lead"),
}
#: KPI → (zh, en, unit): unit "share" (0–1), "cny", "count".
KPIS: dict[str, tuple[str, str, str]] = {
    "customers_reached": ("触达客户数", "Customers reached", "count"),
    "balance_effect_per_contact": (
        "每位受邀客户比对照组多出的余额（存款+理财）",
        "Extra balances (deposits + wealth) per invited customer vs. the holdout",
        "cny",
    ),
    "campaign_spend": ("活动支出", "Spend on the event", "cny"),
    "coverage_top20": ("利润前20%客户的客户经理覆盖率", "Manager coverage of the top 20%", "share"),
    "top20_churn_rate": ("利润前20%客户的年流失率", "Yearly attrition of the top 20%", "share"),
    "complaints_resolved_share": ("{days}天内解决的投诉占比", "Complaints resolved within {days} days", "share"),
    "digital_active_share": ("使用手机银行的活跃客户占比", "Active customers using mobile banking", "share"),
    "leavers_price_share": (
        "因价格（收费或他行优惠）离开的客户占比",
        "Leavers citing price (fees or a rival's offer)",
        "share",
    ),
}
#: the campaign rows whose margin rests on how long the effect lasts
MARGIN_ACTIONS = ("campaign_grow", "campaign_repeat", "campaign_test")
EVIDENCE_ACTIONS = ("rm_coverage", "retention_visit", "complaint_closure", "digital_onboarding")
REASONS = {
    "out_of_season": ("不在季节内，本季度不安排", "out of season, not scheduled"),
    "over_budget": ("超出预算，本季度不安排", "over the budget, not scheduled"),
    "no_eligible": ("没有符合条件的客户", "no eligible customers"),
    "too_few_eligible": ("符合条件的客户太少，测不出结果", "too few eligible customers to learn anything"),
}


def role_label(key: str, lang: str = "zh") -> str:
    """The owner role in words (责任人)."""
    zh, en = ROLES.get(key, (key, key))
    return pick(lang, zh, en)


def kpi_label(key: str, lang: str = "zh", days: int = 30) -> str:
    """The KPI in words (`days`: the assumptions' unresolved_days)."""
    zh, en, _ = KPIS.get(key, (key, key, ""))
    return pick(lang, zh, en).format(days=days)


def kpi_value(key: str, v, lang: str = "zh") -> str:
    """A KPI's baseline or target in its unit ("—" when unknown)."""
    unit = KPIS.get(key, ("", "", ""))[2]
    if not is_number(v):
        return "—"
    return pct(v) if unit == "share" else money(v, lang) if unit == "cny" else num(v)


def _pick(lang: str, pair: tuple[str, str]) -> str:
    return pick(lang, pair[0], pair[1])


def _campaign(d: Mapping, lang: str) -> str:
    return campaign_name(d.get("name"), d.get("kind"), d.get("start_date"), lang)


def _tiers(tiers, lang: str) -> str:
    return join([term(t, lang) for t in tiers], lang)


def _group(g: str, lang: str) -> str:
    return term(g, lang)


def _against(d: Mapping, lang: str) -> str:
    """ "; not for X: its own estimate disagrees (tested there instead)" for the subgroups a row leaves out."""
    out = {g: why for g, why in (d.get("left_out") or {}).items() if why.startswith("subgroup_")}
    if not out:
        return ""
    names = join([_group(g, lang) for g in sorted(out)], lang)
    tested = any(why == "subgroup_test" for why in out.values())
    return pick(
        lang,
        f"；不含{names}：该层自身的估计与总体效应不符" + ("，改在该层另做对照测试" if tested else ""),
        f"; not for {names}: its own estimate disagrees with the pooled one"
        + (", tested there instead" if tested else ""),
    )


def action_line(row: Mapping, details: Mapping | None, lang: str = "zh") -> str:
    """One row of the plan in one sentence, with its own numbers."""
    d = details or {}
    a, n = row["action"], row.get("customers") or 0
    h = row.get("holdout_share") or 0.0
    if a == "campaign_grow":
        return pick(
            lang,
            f"扩大：{_campaign(d, lang)}推广至全部{num(n)}位符合条件的客户（{_tiers(d.get('tiers', []), lang)}），不留"
            "对照组",
            f"Grow: run {_campaign(d, lang)} for all {num(n)} eligible customers ({_tiers(d.get('tiers', []), lang)}), "
            "no holdout",
        ) + _against(d, lang)
    if a == "campaign_repeat":
        return pick(
            lang,
            f"保持：按上次规模重复{_campaign(d, lang)}，{num(n)}位客户中随机留出{pct(h, 0)}作对照组",
            f"Keep: repeat {_campaign(d, lang)} at last time's size, {num(n)} customers, {pct(h, 0)} held out at "
            "random",
        ) + _against(d, lang)
    if a == "campaign_test":
        t = d.get("test") or {}
        line = pick(
            lang,
            f"再测：{_campaign(d, lang)}做随机对照测试，{num(n)}位客户，随机留出{pct(h, 0)}作对照组",
            f"Test: a randomized test of {_campaign(d, lang)}, {num(n)} customers, {pct(h, 0)} held out at random",
        )
        if t.get("delta"):
            what = pick(
                lang,
                "回本所需的最小效应" if t.get("basis") == "break_even" else "上次测得的效应",
                "the smallest effect that pays back"
                if t.get("basis") == "break_even"
                else "the effect measured last time",
            )
            line += pick(
                lang,
                f"：能以80%的把握测出每位受邀客户{money(t['delta'], lang)}的余额增量（{what}）",
                f": finds an extra {money(t['delta'], lang)} of balances per invited customer ({what}) with 80% power",
            )
            if t.get("underpowered"):
                line += pick(
                    lang, "，但符合条件的客户不够，把握不足80%", ", though too few customers are eligible for 80%"
                )
        return line
    if a == "campaign_stop":
        return pick(
            lang,
            f"停办：{_campaign(d, lang)}不再举办，省下上次的{money(d.get('frees'), lang)}",
            f"Stop: {_campaign(d, lang)} is not run again, freeing last time's {money(d.get('frees'), lang)}",
        )
    if a == "rm_coverage":
        why = pick(
            lang,
            "（流失模型显示有客户经理的客户更少流失）"
            if d.get("why") == "churn_effect"
            else "（为照看高价值客户；流失模型未发现客户经理对流失有显著作用）",
            " (the churn model finds customers with a manager leave less)"
            if d.get("why") == "churn_effect"
            else (
                " (to look after high-value customers; the churn model finds no significant effect of a manager on "
                "attrition)"
            ),
        )
        return pick(
            lang,
            f"为{num(n)}位尚无客户经理的利润前20%客户配备客户经理并上门介绍{why}",
            f"Give {num(n)} top-20% customers without a manager one, with an introductory visit{why}",
        )
    if a == "retention_visit":
        drivers = join([feature_term(k, lang) for k in (d.get("drivers") or {})], lang)
        return pick(
            lang,
            f"客户经理走访{num(n)}位有流失风险的利润前20%客户（风险因素：{drivers}）",
            f"Managers visit {num(n)} top-20% customers at risk of leaving (risk factors: {drivers})",
        )
    if a == "complaint_closure":
        days = d.get("unresolved_days", 30)
        return pick(
            lang,
            f"回访{num(n)}位近一年投诉未在{days}天内解决的客户，逐一闭环",
            f"Call back the {num(n)} customers whose complaint of the last year was not resolved within {days} days, "
            "and close each",
        )
    if a == "digital_onboarding":
        return pick(
            lang,
            f"在网点为{num(n)}位尚未使用手机银行的客户开通并辅导使用",
            f"Get {num(n)} customers not yet on mobile banking onto it at the outlet",
        )
    if a == "pricing_review":
        return pick(
            lang,
            f"复核收费与存贷款定价：{pct(row.get('baseline'))}的流失客户因收费或他行优惠离开",
            f"Review fees and rates: {pct(row.get('baseline'))} of leavers left over fees or a rival's offer",
        )
    return str(a)


def profit_text(row: Mapping, lang: str = "zh") -> str:
    """The row's yearly net contribution with its interval, or why there is none."""
    p = row.get("profit_12m")
    if not is_number(p):
        return pick(lang, "不声明", "none claimed")
    rng = interval(row.get("profit_ci_low"), row.get("profit_ci_high"), lang, fmt=lambda v: money(v, lang))
    return f"{money(p, lang)}" + (pick(lang, f"（{rng}）", f" ({rng})") if rng else "")


def campaign_persistence(section: Mapping) -> tuple[list[Mapping], list[Mapping]]:
    """(faded, steady): the details of the campaigns behind the plan's grow,
    keep and test rows (one each) whose event study shows the balance effect
    fading (counted for the months it lasts), and whose event study shows no
    fade (counted for the assumed months)."""
    details = section.get("details") or {}
    seen: dict[str, Mapping] = {}
    for r in section.get("actions") or []:
        d = details.get(r.get("action_id")) or {}
        if r.get("action") in MARGIN_ACTIONS and isinstance(d.get("persistence"), Mapping):
            seen.setdefault(str(d.get("campaign_id")), d)
    faded = [d for d in seen.values() if d["persistence"].get("source") == "event_study"]
    steady = [
        d
        for d in seen.values()
        if d["persistence"].get("source") != "event_study" and slope_of(d["persistence"]) is not None
    ]
    return faded, steady


def persistence_sentence(section: Mapping, lang: str = "zh") -> str:
    """How long the plan counts a balance effect: the assumption, and each
    campaign whose own event study shows its effect fading (the months it is
    counted for instead); how profit follows from it."""
    m = (section.get("assumptions") or {}).get("effect_persistence_months", 12)
    faded, steady = campaign_persistence(section)
    ev = term("event study", lang)
    out = pick(
        lang,
        f"假设余额效应持续{months_words(m, lang)}",
        f"The balance effect is assumed to last {months_words(m, lang)}",
    )
    if steady:
        names = join([_campaign(d, lang) for d in steady], lang)
        out += pick(
            lang,
            f"（{names}的{ev}未发现效应逐月减弱）",
            f" (the {in_sentence(ev)} of {names} shows no sign of it fading)",
        )
    for d in faded:
        out += pick(
            lang,
            f"；{_campaign(d, lang)}的余额效应{lasts_clause(d['persistence'], lang)}",
            f"; the balance effect of {_campaign(d, lang)} {lasts_clause(d['persistence'], lang)}",
        )
    return out + pick(
        lang,
        "；年净贡献 = 余额效应 × 受邀客户数 × 资金年化净收益率 × 持续月数 ÷ 12，不是余额本身。",
        "; yearly net contribution = balance effect × customers invited × funds margin × months it lasts ÷ 12, "
        "never the balances themselves.",
    )


def describe_plan(section: Mapping, lang: str = "zh") -> list[str]:
    """The plan's summary: budget, expected yearly net contribution with its
    interval, the assumptions it rests on, capacity, what was left out."""
    if not isinstance(section, Mapping) or section.get("status") != "ok":
        reason = (section or {}).get("reason") if isinstance(section, Mapping) else None
        return [
            pick(
                lang,
                f"未能制定下季度计划：{reason or '计划未计算'}。",
                f"No plan for next quarter: {reason or 'not computed'}.",
            )
        ]
    p, b, cap = section["period"], section.get("budget") or {}, section.get("capacity") or {}
    rows = section.get("actions") or []
    share = b.get("share")
    out = [
        pick(
            lang,
            f"下季度（{p['start']}至{p['end']}）计划{len(rows)}项行动，预算{money(section['cost'], lang)}"
            f"（上限为网点近12个月利润{money(b.get('yearly_profit'), lang)}的{pct(share, 0)}，即"
            f"{money(b.get('limit'), lang)}）",
            f"Next quarter ({p['start']} to {p['end']}): {len(rows)} actions, a budget of "
            f"{money(section['cost'], lang)} "
            f"(at most {pct(share, 0)} of the branch's 12-month profit of {money(b.get('yearly_profit'), lang)}, "
            f"{money(b.get('limit'), lang)})",
        )
    ]
    if any(is_number(r.get("profit_12m")) for r in rows):
        rng = interval(section.get("profit_ci_low"), section.get("profit_ci_high"), lang, fmt=lambda v: money(v, lang))
        out[0] += pick(
            lang,
            f"，预计年净贡献{money(section['profit_12m'], lang)}（{rng}）。",
            f", expected to earn a yearly net contribution of {money(section['profit_12m'], lang)} ({rng}).",
        )
        out.append(persistence_sentence(section, lang))
    else:
        out[0] += pick(lang, "；本计划不声明任何年净贡献。", "; the plan claims no yearly net contribution.")
    missing = section.get("missing") or []
    if "economics.funds_margin" in missing:
        out.append(
            pick(
                lang,
                "本次结果没有资金年化净收益率，无法把余额效应换算成利润：活动行不声明利润，再测按上次测得的效应确定样本量。",
                "This run has no funds margin, so no balance effect can be turned into profit: campaign rows claim "
                "none, and tests are sized on the effect measured last time.",
            )
        )
    if any(m.endswith(".verdict") for m in missing):
        out.append(
            pick(
                lang,
                "活动缺少结论（扩大/保持/再测/停办）：这些活动一律只做带对照组的再测，不全面推行。",
                "Campaigns without a verdict (grow / keep / test / stop) are only tested with a holdout, never rolled "
                "out.",
            )
        )
    if any(r["action"] in ("campaign_test", "campaign_repeat") for r in rows):
        out.append(
            pick(
                lang,
                f"{term('holdout', lang)}：随机留出、本季度不联系的客户，用来测出活动的真实效果；再测按80%检验功效、双"
                f"侧显著性水平{pct((section.get('assumptions') or {}).get('alpha', 0.05), 0)}设计，分组名单保存在运行目"
                "录的 private/ 文件夹。",
                f"{term('holdout', lang)}: customers left out at random and not contacted this quarter, so that the "
                "event's true effect can be measured; tests are designed for 80% power at a two-sided "
                f"{pct((section.get('assumptions') or {}).get('alpha', 0.05), 0)} level, and the lists are kept in the "
                "run folder's private/ folder.",
            )
        )
    if any(r["action"] in EVIDENCE_ACTIONS and r["customers"] for r in rows):
        out.append(
            pick(
                lang,
                "客户经理覆盖、挽留走访、投诉闭环和手机银行开通不声明利润：流失模型的优势比说明哪些客户更容易流失，不能说明一次走访或回访能减少多少流失；这些行动按各自的KPI衡量。",
                "Manager coverage, retention visits, complaint closure and mobile-banking onboarding claim no profit: "
                "the churn model's odds ratios say who leaves more often, not how much a visit or a call would change "
                "that; each is measured by its KPI.",
            )
        )
    if any(r["action"] in ("campaign_grow", "campaign_repeat", "campaign_test") for r in rows):
        out.append(
            pick(
                lang,
                "活动只用于它上次触达过、且该层（卡级或客户类型）自身估计不与总体效应矛盾的客户；卡级按活动开始时计（数据只保存当前卡级和成为VIP的日期，没有卡级历史）；各卡级已有的常设VIP服务不再作为活动重复提供。",
                "A campaign goes only to the tiers and segments it reached whose own estimate does not contradict the "
                "pooled one; tiers are as they were at its start (the data keep only today's tier and the date a "
                "customer became VIP, no tier history); no tier is offered again a VIP service it already has.",
            )
        )
    unit = (section.get("assumptions") or {}).get("unit_costs") or {}
    if unit and any(r["action"] in EVIDENCE_ACTIONS for r in rows):
        out.append(
            pick(
                lang,
                f"单位成本假设：客户经理每次联系{yuan(unit.get('rm'), lang)}，电话每次"
                f"{yuan(unit.get('phone'), lang)}，网点辅导每人{yuan(unit.get('outlet'), lang)}；活动按上次每位受邀客"
                "户的成本计。",
                f"Unit costs assumed: {yuan(unit.get('rm'), lang)} a manager's contact, "
                f"{yuan(unit.get('phone'), lang)} a call, {yuan(unit.get('outlet'), lang)} an onboarding at the "
                "outlet; an event costs what it cost per invited customer last time.",
            )
        )
    if cap.get("managers"):
        line = pick(
            lang,
            f"客户经理：{num(cap['managers'])}位，每人每季度至多{num(cap['per_manager'])}次客户联系；计划安排{num(cap['rm_contacts'])}次，最忙的一位{num(cap['max_per_manager'])}次",
            f"Relationship managers: {num(cap['managers'])}, at most {num(cap['per_manager'])} customer contacts each "
            f"a quarter; the plan gives them {num(cap['rm_contacts'])}, the busiest {num(cap['max_per_manager'])}",
        )
        extra = []
        if cap.get("moved_to_phone"):
            extra.append(
                pick(
                    lang,
                    f"{num(cap['moved_to_phone'])}次价值最低的联系改为电话",
                    f"{num(cap['moved_to_phone'])} of the lowest-value contacts go by phone instead",
                )
            )
        if cap.get("dropped"):
            extra.append(
                pick(lang, f"{num(cap['dropped'])}次推迟到下季度", f"{num(cap['dropped'])} wait for next quarter")
            )
        out.append(line + "".join(pick(lang, "；", "; ") + e for e in extra) + pick(lang, "。", "."))
    for s in section.get("not_scheduled") or []:
        what = (
            _campaign(s, lang)
            if s.get("campaign_id")
            else action_line({"action": s["action"], "customers": s.get("customers")}, s, lang)
        )
        reason = _pick(lang, REASONS.get(s["reason"], (s["reason"], s["reason"])))
        if s["reason"] == "out_of_season":
            season = SEASONS.get(s.get("season"), ("", ""))
            reason = pick(lang, f"属{season[0]}活动，", f"a {season[1]} event, ") + reason
        standing = sorted(t for t, why in (s.get("left_out") or {}).items() if why == "standing_service")
        if s["reason"] == "no_eligible" and standing:
            reason = pick(
                lang,
                f"它已是{_tiers(standing, lang)}客户的常设VIP服务，不再作为活动重复提供，其余客户层未曾参加",
                f"it is a standing VIP service of {_tiers(standing, lang)} customers, not offered to them again as a "
                "campaign, and it reached no other tier",
            )
        if s["reason"] == "over_budget":
            reason += pick(
                lang, f"（需{money(s.get('cost'), lang)}）", f" (it would cost {money(s.get('cost'), lang)})"
            )
        out.append(pick(lang, f"{what}：{reason}。", f"{what}: {reason}."))
    return out


def plan_table(section: Mapping, lang: str = "zh") -> pd.DataFrame:
    """The rows, labelled for a reader: action, owner, dates, customers, cost
    and yearly net contribution with its interval (万元 / thousand CNY,
    numeric), KPI baseline → target, holdout share (%)."""
    div, unit = money_unit(lang)
    details = section.get("details") or {}
    days = (section.get("assumptions") or {}).get("unresolved_days", 30)
    rows = []
    for r in section.get("actions") or []:
        k = r["kpi"]

        def m(v):
            return v / div if is_number(v) else None

        rows.append(
            {
                pick(lang, "行动", "Action"): action_line(r, details.get(r["action_id"]), lang),
                term("owner", lang): role_label(r["owner_role"], lang),
                pick(lang, "开始", "Start"): r["start"],
                pick(lang, "结束", "End"): r["end"],
                pick(lang, "客户数", "Customers"): r["customers"],
                pick(lang, f"成本（{unit}）", f"Cost ({unit})"): m(r["cost"]),
                pick(lang, f"年净贡献（{unit}）", f"Yearly net contribution ({unit})"): m(r.get("profit_12m")),
                pick(lang, "95%区间下限", "95 % low"): m(r.get("profit_ci_low")),
                pick(lang, "95%区间上限", "95 % high"): m(r.get("profit_ci_high")),
                "KPI": kpi_label(k, lang, days)
                + pick(lang, "：", ": ")
                + f"{kpi_value(k, r.get('baseline'), lang)} → {kpi_value(k, r.get('target'), lang)}",
                pick(lang, "对照组比例（%）", "Holdout (%)"): 100 * float(r.get("holdout_share") or 0.0),
            }
        )
    df = pd.DataFrame(rows)
    for c in df.columns:
        if df[c].map(lambda v: v is None or is_number(v)).all():
            df[c] = pd.to_numeric(df[c], errors="coerce")
    return df


def decisions(section: Mapping, lang: str = "zh") -> list[dict]:
    """The first page's decisions (three to five): what, owner, when, cost,
    expected yearly net contribution with its range."""
    details = section.get("details") or {} if isinstance(section, Mapping) else {}
    out = []
    for r in top_actions(section):
        out.append(
            {
                "action_id": r["action_id"],
                "action": action_line(r, details.get(r["action_id"]), lang),
                "owner": role_label(r["owner_role"], lang),
                "when": pick(lang, f"{r['start']}至{r['end']}", f"{r['start']} to {r['end']}"),
                "cost": money(r["cost"], lang),
                "profit": profit_text(r, lang),
            }
        )
    return out
