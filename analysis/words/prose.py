"""The briefing's sentences, read off the branch's results.json.

One function per section, `describe_<section>(ctx) -> list[str]`: each
sentence quotes that branch's numbers; a figure that is absent is left out
rather than guessed. Statistical terms get a one-line plain explanation the
first time they appear (odds ratio in churn, NPS in satisfaction, ITT/ATT in
campaigns).
"""

from __future__ import annotations

import math

from analysis.words.glossary import term
from analysis.questions.verdicts import campaign_verdict
from analysis.report import paths
from analysis.report.context import ReportContext
from analysis.words.i18n import join, money, num, pct, pick, pp, times
from analysis.words.plan import describe_plan as plan_summary
from analysis.report.recommendations import ALPHA, attr_label, significant

ATTRS = (
    "service_quality",
    "staff_attitude",
    "convenience",
    "timeliness",
    "product_quality",
    "fees_value",
    "brand_image",
    "digital_experience",
)


def _n(ctx: ReportContext, path: str) -> float | None:
    return paths.number(ctx.results, path)


def _rank(shares: dict, bank: str) -> int:
    order = sorted(shares, key=lambda b: -shares[b])
    return order.index(bank) + 1


# ---------------------------------------------------------------------------


def describe_overview(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    cust, active = _n(ctx, "customers"), _n(ctx, "active_customers")
    as_of = ctx.results.get("as_of") or ""
    where = ctx.title_name + (pick(lang, f"（{ctx.city}）", f" ({ctx.city})") if ctx.city else "")
    if cust is not None and active is not None:
        out.append(
            pick(
                lang,
                f"{where}的数据共有{num(cust)}名客户，截至{as_of}仍活跃的有{num(active)}名。",
                f"{where} has {num(cust)} customers in its data, {num(active)} of them active on {as_of}.",
            )
        )
    g = _n(ctx, "qvsrs.sustainability.revenue_growth_12m")
    ng = _n(ctx, "qvsrs.sustainability.net_customer_growth_12m")
    if g is not None:
        out.append(
            pick(
                lang,
                f"近12个月利润比前12个月{'增长' if g >= 0 else '下降'}{pct(abs(g))}",
                f"Revenue of the last 12 months is {pct(abs(g))} {'above' if g >= 0 else 'below'} the 12 months before",
            )
            + (
                pick(
                    lang,
                    f"，客户数净{'增加' if ng >= 0 else '减少'}{pct(abs(ng))}。",
                    f", and the customer base {'grew' if ng >= 0 else 'shrank'} by a net {pct(abs(ng))}.",
                )
                if ng is not None
                else pick(lang, "。", ".")
            )
        )
    shares = paths.get(ctx.results, "competitors.deposit_share") or {}
    if ctx.home_bank and isinstance(shares.get(ctx.home_bank), (int, float)):
        leader = max(shares, key=shares.get)
        r = _rank(shares, ctx.home_bank)
        city = ctx.city or pick(lang, "本市", "the city")
        s = pick(
            lang,
            f"在{city}的{len(shares)}家银行中，本行存款份额{pct(shares[ctx.home_bank])}，排第{r}位",
            f"Among {len(shares)} banks in {city}, the bank holds {pct(shares[ctx.home_bank])} of deposits, ranking {r}",
        )
        if leader != ctx.home_bank:
            s += pick(
                lang, f"；{leader}居首（{pct(shares[leader])}）。", f"; {leader} leads with {pct(shares[leader])}."
            )
        else:
            s += pick(lang, "，居首位。", ", the largest.")
        out.append(s)
    return out


def describe_value(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    top, bottom, loss = (
        _n(ctx, f"value.{k}") for k in ("top20_revenue_share", "bottom30_revenue_share", "unprofitable_share")
    )
    if top is not None:
        out.append(
            pick(
                lang,
                f"利润前20%的客户贡献了近12个月利润的{pct(top)}。",
                f"The top 20% of customers made {pct(top)} of the last 12 months' profit.",
            )
        )
        if top > 1:
            out.append(
                pick(
                    lang,
                    "这一比例超过100%，因为有客户在亏钱，把其余客户创造的部分利润抵消了。",
                    "The share exceeds 100% because loss-making customers cancel part of what the others earn.",
                )
            )
    if bottom is not None:
        out.append(
            pick(lang, f"利润最低的30%客户合计贡献{pct(bottom)}。", f"The bottom 30% together made {pct(bottom)}.")
        )
    if loss is not None:
        out.append(
            pick(
                lang,
                f"{pct(loss)}的客户近12个月利润为负，即服务他们的成本高于他们带来的收入。",
                f"{pct(loss)} of customers had negative profit: they cost more to serve than they bring in.",
            )
        )
    return out


def describe_churn(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    n, k, rate = _n(ctx, "churn.cohort_size"), _n(ctx, "churn.churned"), _n(ctx, "churn.churn_rate_12m")
    if n is not None and k is not None and rate is not None:
        out.append(
            pick(
                lang,
                f"一年前的{num(n)}名客户中，{num(k)}名在近12个月内销户，{term('churn_rate_12m', lang)}为{pct(rate)}。",
                f"Of {num(n)} customers a year ago, {num(k)} closed their accounts within 12 months: a {term('churn_rate_12m', lang).lower()} of {pct(rate)}.",
            )
        )
    drivers = paths.get(ctx.results, "churn.drivers") or {}
    sig = {
        key: d
        for key, d in drivers.items()
        if isinstance(d, dict)
        and isinstance(d.get("odds_ratio"), (int, float))
        and d["odds_ratio"] > 0
        and significant(d, 1.0)
    }
    if drivers:
        out.append(
            pick(
                lang,
                "优势比表示某一因素使流失几率变为原来的多少倍（大于1更易流失，小于1更少流失），已同时考虑其他因素。",
                "An odds ratio says by how much a factor multiplies the odds of leaving (above 1, more likely; below 1, less), with the other factors held equal.",
            )
        )
    if sig:
        from analysis.report.recommendations import churn_driver_label

        def driver(key: str) -> str:
            label, odds = churn_driver_label(key, lang), times(sig[key]["odds_ratio"], lang)
            return f"{label}（{odds}）" if lang == "zh" else f"{label.lower()} ({odds})"

        ranked = sorted(sig, key=lambda key: -abs(math.log(sig[key]["odds_ratio"])))[:4]
        up = [driver(key) for key in ranked if sig[key]["odds_ratio"] > 1]
        down = [driver(key) for key in ranked if sig[key]["odds_ratio"] < 1]
        if up:
            out.append(
                pick(
                    lang,
                    f"流失几率明显更高的客户：{join(up, lang)}。",
                    f"Customers more likely to leave: {join(up, lang)}.",
                )
            )
        if down:
            out.append(
                pick(lang, f"流失几率明显更低：{join(down, lang)}。", f"Less likely to leave: {join(down, lang)}.")
            )
    elif drivers:
        out.append(
            pick(lang, f"没有一个因素在{ALPHA:.0%}水平上显著。", f"No factor is significant at the {ALPHA:.0%} level.")
        )
    auc = _n(ctx, "churn.auc_holdout")
    if auc is not None:
        out.append(
            pick(
                lang,
                f"模型在留出的30%客户上的区分能力（AUC）为{auc:.2f}：0.5相当于随机猜测，1为完全区分。",
                f"On the 30% of customers held out, the model separates leavers from stayers with an AUC of {auc:.2f} (0.5 is a coin toss, 1 is perfect).",
            )
        )
    return out


def describe_satisfaction(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    n = _n(ctx, "satisfaction.responses")
    cs = _n(ctx, "satisfaction.cs_overall")
    gaps = {
        a: g for a, g in (paths.get(ctx.results, "satisfaction.cs_gap") or {}).items() if isinstance(g, (int, float))
    }
    if n is not None:
        out.append(
            pick(
                lang,
                f"近12个月共收回{num(n)}份满意度问卷。",
                f"{num(n)} satisfaction survey responses came in over the last 12 months.",
            )
        )
    if cs is not None:
        out.append(
            pick(
                lang,
                f"满意度按QVSRS定义为“感知 − 期望”：八项平均为{cs:+.2f}分（7分制），{'超出' if cs >= 0 else '未达'}客户期望。",
                f"Satisfaction in QVSRS is perceived minus expected: the average over eight attributes is {cs:+.2f} points (on 7), {'above' if cs >= 0 else 'below'} what customers expect.",
            )
        )
    if gaps:
        worst = sorted(gaps, key=gaps.get)[:2]
        best = max(gaps, key=gaps.get)
        out.append(
            pick(
                lang,
                f"差距最大的是{join([f'{attr_label(a, lang)}（{gaps[a]:+.2f}）' for a in worst], lang)}；表现最好的是{attr_label(best, lang)}（{gaps[best]:+.2f}）。",
                f"The widest gaps are {join([f'{attr_label(a, lang).lower()} ({gaps[a]:+.2f})' for a in worst], lang)}; the best is {attr_label(best, lang).lower()} ({gaps[best]:+.2f}).",
            )
        )
    nps = _n(ctx, "satisfaction.nps")
    if nps is not None:
        out.append(
            pick(
                lang,
                f"{term('NPS', lang)}为{nps:.0f}：打9–10分（愿意推荐）的客户比例减去打0–6分的比例。",
                f"The {term('NPS', lang).lower()} is {nps:.0f}: the share of customers scoring 9–10 (would recommend) minus the share scoring 0–6.",
            )
        )
    drivers = {
        a: d
        for a, d in (paths.get(ctx.results, "satisfaction.drivers") or {}).items()
        if isinstance(d, dict) and isinstance(d.get("estimate"), (int, float))
    }
    if drivers:
        strong = sorted(
            (a for a in drivers if significant(drivers[a], 0.0) and drivers[a]["estimate"] > 0),
            key=lambda a: -drivers[a]["estimate"],
        )[:3]
        if strong:
            est = {a: drivers[a]["estimate"] for a in strong}
            zh = join([f"{attr_label(a, lang)}（每分+{est[a]:.2f}）" for a in strong], lang)
            en = join([f"{attr_label(a, lang).lower()} (+{est[a]:.2f} per point)" for a in strong], lang)
            out.append(pick(lang, f"对总体满意度影响最大的是{zh}。", f"Overall satisfaction moves most with {en}."))
    return out


def describe_qvsrs(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    q, v = _n(ctx, "qvsrs.quality"), _n(ctx, "qvsrs.value")
    if q is not None:
        out.append(pick(lang, f"服务品质指数为{q:.1f}（0–100）。", f"The quality index stands at {q:.1f} (0–100)."))
    if v is not None:
        out.append(
            pick(
                lang,
                f"顾客价值（利益 ÷ 成本）为{v:.2f}：{'客户感到得到的多于付出的' if v >= 1 else '客户感到付出的多于得到的'}。",
                f"Customer value (benefits ÷ costs) is {v:.2f}: customers feel they {'get more than they give' if v >= 1 else 'give more than they get'}.",
            )
        )
    ppc, cov, ten = (
        _n(ctx, f"qvsrs.relationship.{k}") for k in ("products_per_customer", "rm_coverage", "median_tenure_years")
    )
    if ppc is not None and cov is not None:
        out.append(
            pick(
                lang,
                f"活跃客户户均持有{ppc:.1f}类产品，{pct(cov)}有专属客户经理"
                + (f"，往来年限中位数{ten:.1f}年。" if ten is not None else "。"),
                f"Active customers hold {ppc:.1f} product lines on average and {pct(cov)} have a relationship manager"
                + (f"; median tenure is {ten:.1f} years." if ten is not None else "."),
            )
        )
    ret = _n(ctx, "qvsrs.sustainability.retention_12m")
    if ret is not None:
        out.append(pick(lang, f"12个月客户保留率为{pct(ret)}。", f"12-month retention is {pct(ret)}."))
    return out


def describe_competitors(ctx: ReportContext) -> list[str]:
    lang, out = ctx.lang, []
    home = ctx.home_bank
    period = paths.get(ctx.results, "competitors.period")
    dep = paths.get(ctx.results, "competitors.deposit_share") or {}
    loan = paths.get(ctx.results, "competitors.loan_share") or {}
    chg = paths.get(ctx.results, "competitors.deposit_share_change_4q") or {}
    if home and isinstance(dep.get(home), (int, float)):
        s = pick(
            lang,
            f"截至{period}，本行存款份额{pct(dep[home])}（{len(dep)}家中第{_rank(dep, home)}位）",
            f"At {period} the bank held {pct(dep[home])} of deposits (rank {_rank(dep, home)} of {len(dep)})",
        )
        if isinstance(loan.get(home), (int, float)):
            s += pick(
                lang,
                f"，贷款份额{pct(loan[home])}（第{_rank(loan, home)}位）",
                f" and {pct(loan[home])} of loans (rank {_rank(loan, home)})",
            )
        out.append(s + pick(lang, "。", "."))
        if isinstance(chg.get(home), (int, float)):
            c = chg[home]
            gain = max(chg, key=chg.get)
            s = pick(
                lang,
                f"一年来本行存款份额{'上升' if c >= 0 else '下降'}{pp(c, lang)}",
                f"Over a year the bank's deposit share {'rose' if c >= 0 else 'fell'} {pp(c, lang)}",
            )
            if gain != home and chg[gain] > 0:
                s += pick(
                    lang,
                    f"，增长最快的是{gain}（+{pp(chg[gain], lang)}）",
                    f"; {gain} gained most (+{pp(chg[gain], lang)})",
                )
            out.append(s + pick(lang, "。", "."))
    elif dep and not home:
        out.append(
            pick(
                lang,
                "结果中未注明本行在市场数据中的名称，以下按各行列示。",
                "The results do not name the home bank in the market data; banks are listed as they are.",
            )
        )
    means = paths.get(ctx.results, "competitors.attribute_means") or {}
    if home and home in means and len(means) > 1:
        diffs = {}
        for a in ATTRS:
            ours = means[home].get(a)
            others = [m.get(a) for b, m in means.items() if b != home and isinstance(m.get(a), (int, float))]
            if isinstance(ours, (int, float)) and others:
                diffs[a] = ours - sum(others) / len(others)
        if diffs:
            hi, lo = max(diffs, key=diffs.get), min(diffs, key=diffs.get)
            out.append(
                pick(
                    lang,
                    f"与其他银行的平均评分相比，本行在{attr_label(hi, lang)}上领先最多（{diffs[hi]:+.2f}分），在{attr_label(lo, lang)}上落后最多（{diffs[lo]:+.2f}分）。",
                    f"Against the other banks' average rating, the bank leads most on {attr_label(hi, lang).lower()} ({diffs[hi]:+.2f}) and trails most on {attr_label(lo, lang).lower()} ({diffs[lo]:+.2f}).",
                )
            )
    choice = {
        a: d
        for a, d in (paths.get(ctx.results, "competitors.choice_drivers") or {}).items()
        if isinstance(d, dict) and isinstance(d.get("estimate"), (int, float))
    }
    if choice:
        top = sorted(
            (a for a in choice if significant(choice[a], 0.0) and choice[a]["estimate"] > 0),
            key=lambda a: -choice[a]["estimate"],
        )[:3]
        if top:
            mult = {a: math.exp(choice[a]["estimate"]) for a in top}
            zh = join([f"{attr_label(a, lang)}（每分使被选几率×{mult[a]:.2f}）" for a in top], lang)
            en = join(
                [f"{attr_label(a, lang).lower()} (each point multiplies the odds by {mult[a]:.2f})" for a in top], lang
            )
            out.append(
                pick(
                    lang,
                    f"居民选择{term('primary bank', lang)}时最看重：{zh}。",
                    f"Residents choose their {term('primary bank', lang).lower()} mostly by {en}.",
                )
            )
    dest = {
        b: v
        for b, v in (paths.get(ctx.results, "competitors.switching_destinations") or {}).items()
        if isinstance(v, (int, float))
    }
    if dest:
        top = sorted(dest, key=lambda b: -dest[b])[:3]
        out.append(
            pick(
                lang,
                f"近12个月销户客户的去向（已知者{num(sum(dest.values()))}名）：{join([f'{b}{num(dest[b])}名' for b in top], lang)}。",
                f"Where leavers of the last 12 months went ({num(sum(dest.values()))} known): {join([f'{b} {num(dest[b])}' for b in top], lang)}.",
            )
        )
    return out


def _campaign_entries(ctx: ReportContext) -> dict:
    return {
        k: v
        for k, v in (paths.section(ctx.results, "campaigns") or {}).items()
        if isinstance(v, dict) and v.get("design")
    }


def describe_campaigns(ctx: ReportContext) -> list[str]:
    return campaign_notes(ctx) + campaign_lines(ctx)


def campaign_notes(ctx: ReportContext) -> list[str]:
    """What a randomized and a targeted design can tell (for the designs present)."""
    lang, out = ctx.lang, []
    camps = _campaign_entries(ctx)
    if any(c["design"] == "randomized" for c in camps.values()):
        out.append(
            pick(
                lang,
                f"随机对照活动随机留出一部分客户不接触；两组之差就是活动的效果（{term('ITT', lang)}）。",
                f"A randomized campaign leaves a random group of customers out; the difference between the groups is the campaign's effect ({term('ITT', lang).lower()}).",
            )
        )
    if any(c["design"] == "targeted" for c in camps.values()):
        out.append(
            pick(
                lang,
                "定向活动没有对照组，参与者是挑选出来的，简单对比会把“本来就好的客户”算成活动效果，需要按客户差异调整。",
                "A targeted campaign has no holdout and its participants were picked, so a plain comparison credits the campaign with customers who were better to begin with; it must be adjusted for how they differ.",
            )
        )
    return out


def _verdict_text(c: dict, lang: str) -> str:
    """The campaign's verdict, as the campaigns notebook gives it (`analysis.verdicts`)."""
    v = campaign_verdict(c)
    return pick(lang, f"结论：{term(v, lang)}", f"verdict: {term(v, lang).lower()}")


def campaign_lines(ctx: ReportContext) -> list[str]:
    """One sentence per campaign with its effects, then their ranking."""
    lang, out = ctx.lang, []
    camps = _campaign_entries(ctx)
    for cid, c in camps.items():
        name = c.get("name") or ctx.campaign_names.get(cid)
        design = pick(lang, "随机对照", "randomized") if c["design"] == "randomized" else pick(lang, "定向", "targeted")
        head = (
            pick(lang, f"“{name}”（{cid}，{design}）：", f"{name} ({cid}, {design}): ")
            if name
            else pick(lang, f"{cid}（{design}）：", f"{cid} ({design}): ")
        )
        if c["design"] == "randomized":
            parts = []
            nt, nc = c.get("n_treatment"), c.get("n_control")
            if isinstance(nt, (int, float)) and isinstance(nc, (int, float)):
                parts.append(
                    pick(lang, f"接触{num(nt)}名、对照{num(nc)}名", f"{num(nt)} contacted, {num(nc)} held out")
                )
            ate = c.get("response_ate")
            if isinstance(ate, dict) and isinstance(ate.get("estimate"), (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"响应率差{pp(ate['estimate'], lang, 1, signed=True)}{'（显著）' if significant(ate, 0) else '（不显著）'}",
                        f"response {pp(ate['estimate'], lang, 1, signed=True)} {'(significant)' if significant(ate, 0) else '(not significant)'}",
                    )
                )
            be = c.get("balance_effect")
            if isinstance(be, dict) and isinstance(be.get("estimate"), (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"资产变化差{money(be['estimate'], lang)}{'（显著）' if significant(be, 0) else '（不显著）'}",
                        f"balances {money(be['estimate'], lang)} {'(significant)' if significant(be, 0) else '(not significant)'}",
                    )
                )
            roi = c.get("roi")
            if isinstance(roi, (int, float)):
                parts.append(pick(lang, f"{term('ROI', lang)} {roi * 100:,.0f}%", f"ROI {roi * 100:,.0f}%"))
            parts.append(_verdict_text(c, lang))
            out.append(head + pick(lang, "，", ", ").join(parts) + pick(lang, "。", "."))
        else:
            parts = []
            npart, ncomp = c.get("n_participants"), c.get("n_comparison")
            if isinstance(npart, (int, float)):
                parts.append(
                    pick(lang, f"参与{num(npart)}名", f"{num(npart)} took part")
                    + (
                        pick(lang, f"、对比客户{num(ncomp)}名", f", {num(ncomp)} in the comparison pool")
                        if isinstance(ncomp, (int, float))
                        else ""
                    )
                )
            naive = c.get("naive_balance_difference")
            if isinstance(naive, (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"{term('naive difference', lang)}{money(naive, lang)}",
                        f"{term('naive difference', lang).lower()} {money(naive, lang)}",
                    )
                )
            be = c.get("balance_effect")
            if isinstance(be, dict) and isinstance(be.get("estimate"), (int, float)):
                parts.append(
                    pick(
                        lang,
                        f"调整后{term('ATT', lang)}{money(be['estimate'], lang)}{'（显著）' if significant(be, 0) else '（不显著）'}",
                        f"adjusted {term('ATT', lang).lower()} {money(be['estimate'], lang)} {'(significant)' if significant(be, 0) else '(not significant)'}",
                    )
                )
            parts.append(_verdict_text(c, lang))
            out.append(head + pick(lang, "，", ", ").join(parts) + pick(lang, "。", "."))
    ranked = ctx.results.get("campaigns_ranked")
    if isinstance(ranked, list) and len(ranked) > 1:
        order = " > ".join(ctx.campaign_names.get(str(r), str(r)) for r in ranked)
        out.append(pick(lang, f"按资产效果排序：{order}。", f"By effect on balances: {order}."))
    return out


def describe_managers(ctx: ReportContext) -> list[str]:
    """Coverage of the top 20 %, the proposal and the managers' books."""
    lang, out = ctx.lang, []
    cov = _n(ctx, "relationship_managers.coverage_top20")
    unc = _n(ctx, "relationship_managers.uncovered_top20")
    prop = _n(ctx, "relationship_managers.proposed_assignments")
    if cov is not None:
        out.append(
            pick(
                lang,
                f"利润前20%客户的客户经理覆盖率为{pct(cov)}"
                + (f"，{num(unc)}名尚无客户经理" if unc is not None else "")
                + "。",
                f"{pct(cov)} of the top 20% of customers have a relationship manager"
                + (f"; {num(unc)} have none" if unc is not None else "")
                + ".",
            )
        )
    if prop is not None:
        out.append(
            pick(
                lang,
                f"分配方案在客户经理容量之内安排了其中{num(prop)}名。",
                f"The proposed assignment places {num(prop)} of them within managers' capacity.",
            )
        )
    per = {
        k: v for k, v in (paths.get(ctx.results, "relationship_managers.per_rm") or {}).items() if isinstance(v, dict)
    }
    if per:
        custs = [v.get("customers") for v in per.values() if isinstance(v.get("customers"), (int, float))]
        revs = [v.get("revenue_12m") for v in per.values() if isinstance(v.get("revenue_12m"), (int, float))]
        if custs and revs:
            out.append(
                pick(
                    lang,
                    f"{len(per)}名客户经理各管{num(min(custs))}至{num(max(custs))}名活跃客户，名下近12个月利润{money(min(revs), lang)}至{money(max(revs), lang)}。",
                    f"{len(per)} relationship managers look after {num(min(custs))} to {num(max(custs))} active customers each, with {money(min(revs), lang)} to {money(max(revs), lang)} of profit over 12 months.",
                )
            )
    return out


def describe_plan(ctx: ReportContext) -> list[str]:
    """Next quarter's plan: its summary (budget, expected yearly net contribution with its
    interval, persistence, capacity, what was left out), from `plan`."""
    plan = paths.section(ctx.results, "plan")
    return plan_summary(plan, ctx.lang) if plan is not None else []


def _paragraphs(*parts: list[str]) -> list[list[str]]:
    return [p for p in parts if p]


def satisfaction_paragraphs(ctx: ReportContext) -> list[list[str]]:
    sat = describe_satisfaction(ctx) if paths.section(ctx.results, "satisfaction") else []
    q = describe_qvsrs(ctx) if paths.section(ctx.results, "qvsrs") else []
    return _paragraphs(sat, q)


def campaign_paragraphs(ctx: ReportContext) -> list[list[str]]:
    """The design notes as one paragraph, then one paragraph per campaign."""
    notes, lines = campaign_notes(ctx), campaign_lines(ctx)
    return _paragraphs(notes) + [[s] for s in lines]


#: briefing section → its paragraphs, each a list of sentences
DESCRIBE = {
    "overview": lambda ctx: _paragraphs(describe_overview(ctx)),
    "value": lambda ctx: _paragraphs(describe_value(ctx)),
    "churn": lambda ctx: _paragraphs(describe_churn(ctx)),
    "satisfaction": satisfaction_paragraphs,
    "competitors": lambda ctx: _paragraphs(describe_competitors(ctx)),
    "campaigns": campaign_paragraphs,
    "plan": lambda ctx: [[line] for line in describe_plan(ctx)] + _paragraphs(describe_managers(ctx)),
}
