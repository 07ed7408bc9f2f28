"""Recommendation rules on customer value, relationship managers, the
customer base and the branch's book (loans and deposits over a year)."""

from __future__ import annotations

from analysis.report import paths, stakes
from analysis.report.rulebase import CLEAR, MAY, Evidence, Rule, Stake, _or_bracket, significant
from analysis.words.format import money, num, pct
from analysis.words.lang import pick


def rm_effect(ctx) -> tuple[bool, dict | None]:
    """(whether the churn model shows that a relationship manager keeps
    customers: has_rm's odds ratio below 1 and significant, its figures)."""
    d = paths.get(ctx.results, "churn.drivers.has_rm")
    if not isinstance(d, dict) or not isinstance(d.get("odds_ratio"), (int, float)):
        return False, None
    return d["odds_ratio"] < 1 and significant(d, 1.0), d


def rm_why(ctx) -> str:
    """Why a relationship manager is still advised when the churn model finds
    no effect of one on attrition (empty when it does find one)."""
    shown, d = rm_effect(ctx)
    if shown:
        return ""
    lang = ctx.lang
    model = (
        pick(
            lang,
            f"流失模型没有发现客户经理能降低流失{_or_bracket(d, lang)}",
            f"the attrition model finds no effect of a relationship manager on leaving{_or_bracket(d, lang)}",
        )
        if d
        else pick(lang, "客户经理对流失的作用没有测算", "a relationship manager's effect on attrition is not measured")
    )
    return pick(
        lang,
        f"（{model}：配备客户经理是为了守住和做大这批客户的价值，而不是为了防止流失）",
        f" ({model}: the manager is there to protect and grow these customers' value, not to stop them leaving)",
    )


# --- value and relationship managers --------------------------------------------


class TopCustomersUncovered(Rule):
    id = "relationship_managers.coverage_top20"
    section = "relationship_managers"
    figure_hints = (
        "relationship_managers_proposal",
        "relationship_managers_coverage",
        "relationship_managers_portfolio",
    )

    def __init__(self, threshold: float = 0.8):
        self.threshold = threshold

    def stake(self, ctx, n: float | None, cov: float) -> tuple[Stake | None, str]:
        """The uncovered top customers' profit × what a manager does for it."""
        lang = ctx.lang
        shown, d = rm_effect(ctx)
        conf = CLEAR if shown else MAY
        share = paths.number(ctx.results, "value.top20_revenue_share")
        total = paths.number(ctx.results, "overview.revenue_12m")
        top_n = paths.number(ctx.results, "relationship_managers.top20_customers")
        if top_n is None and n is not None and cov < 1:
            top_n = n / (1 - cov)  # uncovered = top × (1 − coverage)
        if None in (share, total, top_n, n) or not top_n:
            return None, conf
        rev = share * total / top_n * n
        if shown:
            how = pick(
                lang,
                f"{num(n)}名未覆盖的高价值客户（近12个月利润约{money(rev, lang)}）× 配备客户经理后少流失的比例",
                f"{num(n)} uncovered top customers (about {money(rev, lang)} of profit over 12 months) × the share a "
                "manager keeps from leaving",
            )
            return stakes.churn_stake(ctx.results, d, rev, how, protective=True), conf
        p0 = paths.number(ctx.results, "churn.churn_rate_12m") or 0.0
        how = pick(
            lang,
            f"{num(n)}名未覆盖的高价值客户近12个月利润约{money(rev, lang)}，按网点整体流失率{pct(p0)}计一年可能流失的部"
            "分；客户经理能否保住它未经证实",
            f"the {pct(p0)} of the {num(n)} uncovered top customers' {money(rev, lang)} a year that ordinary attrition "
            "takes; whether a manager keeps it is not shown",
        )
        return Stake(rev * p0, 0.0, rev * p0, how), conf

    def fire(self, ctx):
        cov = paths.number(ctx.results, "relationship_managers.coverage_top20")
        if cov is None or cov >= self.threshold:
            return []
        lang = ctx.lang
        n = paths.number(ctx.results, "relationship_managers.uncovered_top20")
        k = paths.number(ctx.results, "relationship_managers.proposed_assignments")
        nn = num(n) if n is not None else pick(lang, "这批", "these")
        after = paths.number(ctx.results, "relationship_managers.coverage_top20_after")
        plan = ""
        if k is not None:
            plan = pick(
                lang,
                f"（分配方案按客户经理容量可安排其中{num(k)}名"
                + (f"，覆盖率将升至{pct(after)}）" if after is not None else "）"),
                f" (the proposed assignment places {num(k)} of them within managers' capacity"
                + (f", lifting coverage to {pct(after)})" if after is not None else ")"),
            )
        stake, conf = self.stake(ctx, n, cov)
        return [
            self.make(
                ctx,
                cites="relationship_managers.coverage_top20",
                stake=stake,
                confidence=conf,
                acts_on=("has_rm",),
                supporting=[
                    "relationship_managers.uncovered_top20",
                    "relationship_managers.proposed_assignments",
                    "relationship_managers.coverage_top20_after",
                    "churn.drivers.has_rm.odds_ratio",
                ],
                headline=pick(lang, "高价值客户无人专门维护", "Top customers without a relationship manager"),
                finding=pick(
                    lang,
                    f"利润前20%的高价值客户中，只有{pct(cov)}配有专属客户经理"
                    + (f"，{num(n)}名没有。" if n is not None else "。"),
                    f"Only {pct(cov)} of the top 20% of customers by profit have a relationship manager"
                    + (f"; {num(n)} have none." if n is not None else "."),
                ),
                recommendation=pick(
                    lang,
                    f"本季度内为{nn}名未覆盖的高价值客户指定客户经理{plan}，并按客户数和利润贡献平衡客户经理的工作量{rm_why(ctx)}。",
                    f"Assign a relationship manager this quarter to the {nn} uncovered top customers{plan}, balancing "
                    f"managers' books by customers and profit{rm_why(ctx)}.",
                ),
                evidence=Evidence(
                    title=pick(lang, "前20%客户的客户经理覆盖率", "Relationship-manager coverage of the top 20%"),
                    labels=(pick(lang, "已覆盖", "covered"),),
                    values=(cov,),
                    highlight=0,
                    reference=self.threshold,
                    reference_label=pick(lang, "目标", "target"),
                    unit="pct",
                ),
            )
        ]


def _value_evidence(ctx) -> Evidence | None:
    lang = ctx.lang
    pairs = [
        (pick(lang, "前20%客户", "top 20%"), "value.top20_revenue_share"),
        (pick(lang, "后30%客户", "bottom 30%"), "value.bottom30_revenue_share"),
    ]
    vals = [(lab, paths.number(ctx.results, p)) for lab, p in pairs]
    vals = [(lab, v) for lab, v in vals if v is not None]
    if not vals:
        return None
    return Evidence(
        title=pick(lang, "近12个月利润的占比", "Share of the last 12 months' profit"),
        labels=tuple(v[0] for v in vals),
        values=tuple(v[1] for v in vals),
        highlight=0,
        unit="pct",
    )


class RevenueConcentration(Rule):
    id = "value.concentration"
    section = "value"
    figure_hints = ("value_pareto", "value_concentration", "value_lorenz")

    def __init__(self, threshold: float = 0.6):
        self.threshold = threshold

    def fire(self, ctx):
        share = paths.number(ctx.results, "value.top20_revenue_share")
        if share is None or share <= self.threshold:
            return []
        lang = ctx.lang
        total = paths.number(ctx.results, "overview.revenue_12m")
        p0 = paths.number(ctx.results, "churn.churn_rate_12m")
        stake = None
        if total is not None and p0 is not None:
            stake = Stake(
                share * total * p0,
                how=pick(
                    lang,
                    f"前20%客户近12个月利润{money(share * total, lang)} × 网点整体流失率{pct(p0)}：一年正常流失可能带走"
                    "的部分，VIP服务能保住多少未经测量",
                    f"the top 20%'s {money(share * total, lang)} of profit over 12 months × the branch's {pct(p0)} "
                    "attrition: what an ordinary year's leaving may take; how much the VIP service keeps is not "
                    "measured",
                ),
            )
        shown, _ = rm_effect(ctx)
        rm = pick(lang, "专属客户经理、", "a dedicated relationship manager, ") if shown else ""
        return [
            self.make(
                ctx,
                cites="value.top20_revenue_share",
                stake=stake,
                confidence=MAY,  # what the VIP service system keeps of it is not measured
                acts_on=("has_rm",) if shown else (),
                supporting=["value.bottom30_revenue_share"],
                headline=pick(
                    lang, f"两成客户贡献{pct(share, 0)}的利润", f"20% of customers make {pct(share, 0)} of profit"
                ),
                finding=pick(
                    lang,
                    f"利润前20%的客户贡献了近12个月利润的{pct(share)}。",
                    f"The top 20% of customers made {pct(share)} of the last 12 months' profit.",
                ),
                recommendation=pick(
                    lang,
                    f"用VIP服务体系守住这批客户：分级权益、{rm}每季度至少一次面谈，并单独跟踪他们的流失。",
                    f"Protect these customers with the VIP service system: tiered benefits, {rm}a meeting at least "
                    "every quarter, and their attrition tracked on its own.",
                ),
                evidence=_value_evidence(ctx),
            )
        ]


class LossMakingCustomers(Rule):
    id = "value.unprofitable"
    section = "value"
    figure_hints = ("value_money_losing", "value_unprofitable", "value_loss")

    def __init__(self, threshold: float = 0.05):
        self.threshold = threshold

    def fire(self, ctx):
        share = paths.number(ctx.results, "value.unprofitable_share")
        if share is None or share <= self.threshold:
            return []
        lang = ctx.lang
        loss = paths.get(ctx.results, "overview.unprofitable")
        stake = None
        if isinstance(loss, dict) and isinstance(loss.get("loss_12m"), (int, float)):
            stake = Stake(
                -float(loss["loss_12m"]),
                how=pick(
                    lang,
                    f"{num(loss['customers'])}名亏损客户近12个月的亏损合计",
                    f"what the {num(loss['customers'])} loss-making customers lost the branch over 12 months",
                ),
            )
        return [
            self.make(
                ctx,
                cites="value.unprofitable_share",
                stake=stake,
                headline=pick(lang, "部分客户在亏钱", "Some customers lose the bank money"),
                finding=pick(
                    lang,
                    f"{pct(share)}的客户近12个月给本行带来的是亏损（利润为负）。",
                    f"{pct(share)} of customers lost the bank money over the last 12 months (negative profit).",
                ),
                recommendation=pick(
                    lang,
                    "调整亏损客户的服务方式：引导到手机银行和自助渠道，清理低效账户、检讨费用减免，有潜力的由客户经理交叉销售，以提高收入。",
                    "Serve loss-making customers differently: move them to mobile and self-service channels, clean up "
                    "idle accounts, review fee waivers, and cross-sell to those with potential, to raise the profit "
                    "they bring.",
                ),
                evidence=Evidence(
                    title=pick(lang, "利润为负的客户占比", "Share of customers with negative profit"),
                    labels=(pick(lang, "亏损客户", "loss-making"),),
                    values=(share,),
                    highlight=0,
                    reference=self.threshold,
                    reference_label=pick(lang, "警戒线", "alert line"),
                    unit="pct",
                ),
            )
        ]


# --- sustainability ----------------------------------------------------------


def _keeps(ctx, key: str) -> bool:
    """Whether the churn model shows that driver `key` keeps customers (OR < 1, significant)."""
    d = paths.get(ctx.results, f"churn.drivers.{key}")
    return (
        isinstance(d, dict)
        and isinstance(d.get("odds_ratio"), (int, float))
        and d["odds_ratio"] < 1
        and significant(d, 1.0)
    )


def first_steps(ctx) -> str:
    """What a new customer is helped to first: only the levers the churn model shows keep customers."""
    lang = ctx.lang
    steps = []
    if _keeps(ctx, "digital_active"):
        steps.append(pick(lang, "开通手机银行", "onto mobile banking"))
    if _keeps(ctx, "products_held"):
        steps.append(pick(lang, "配置第二个产品", "to a second product"))
    if not steps:
        return pick(lang, "了解需求", "learning what each new customer needs")
    return pick(lang, "帮助" + "和".join(steps), "helping each new customer " + " and ".join(steps))


class NetCustomerDecline(Rule):
    id = "qvsrs.net_customer_growth"
    section = "qvsrs"
    figure_hints = ("qvsrs_scorecard", "overview_book")

    def __init__(self, threshold: float = 0.0):
        self.threshold = threshold

    def fire(self, ctx):
        g = paths.number(ctx.results, "qvsrs.sustainability.net_customer_growth_12m")
        if g is None or g >= self.threshold:
            return []
        lang = ctx.lang
        per = stakes.profit_per_customer(ctx.results)
        active = paths.number(ctx.results, "active_customers")
        stake = None
        if per is not None and active is not None and g > -1:
            lost = -g * active / (1 + g)
            stake = Stake(
                lost * per,
                how=pick(
                    lang,
                    f"净减少的约{num(lost)}名客户 × 每名活跃客户一年的平均利润{money(per, lang)}",
                    f"the net loss of about {num(lost)} customers × the yearly profit of an average active customer "
                    f"({money(per, lang)})",
                ),
            )
        return [
            self.make(
                ctx,
                cites="qvsrs.sustainability.net_customer_growth_12m",
                stake=stake,
                supporting=["qvsrs.sustainability.retention_12m"],
                headline=pick(lang, "客户在净减少", "The customer base is shrinking"),
                finding=pick(
                    lang,
                    f"近12个月新开户少于销户，客户数净减少{pct(-g)}（相对一年前的客户数）。",
                    f"Fewer customers joined than left in the last 12 months: a net loss of {pct(-g)} of last year's "
                    "customers.",
                ),
                recommendation=pick(
                    lang,
                    f"打通新客来源：通过代发工资、社保卡和小微商户收单批量获客，新客头90天由专人跟进{first_steps(ctx)}。",
                    "Open new sources of customers: payroll, social-security cards and merchant acquiring for small "
                    f"businesses, with a named person {first_steps(ctx)} in the first 90 days.",
                ),
                evidence=Evidence(
                    title=pick(lang, "客户净增长率（近12个月）", "Net customer growth (12 months)"),
                    labels=(pick(lang, "净增长", "net growth"),),
                    values=(g,),
                    highlight=0,
                    reference=0.0,
                    unit="pct",
                ),
            )
        ]


# --- the book ----------------------------------------------------------------


class BookShrinking(Rule):
    """Loans or deposits down over the year (month-end totals, M against M−12)."""

    id = "overview.book"
    section = "overview"
    figure_hints = ("overview_book",)
    #: (kind, change key in overview, balance key, economics margin)
    KINDS = (
        ("loans", "loans_change_12m", "loans", "loan_margin"),
        ("deposits", "deposits_change_12m", "deposits", "funds_margin"),
    )

    def __init__(self, threshold: float = -0.05):
        self.threshold = threshold

    def fire(self, ctx):
        lang, out = ctx.lang, []
        for kind, key, bal, which in self.KINDS:
            c = paths.number(ctx.results, f"overview.{key}")
            now = paths.number(ctx.results, f"overview.{bal}")
            if c is None or now is None or c >= self.threshold or c <= -1:
                continue
            before = now / (1 + c)
            lost = before - now
            m = stakes.margin(ctx.results, which)
            word = pick(lang, "贷款" if kind == "loans" else "存款", kind)
            how = ""
            if m is not None:
                how = pick(
                    lang,
                    f"一年少了{money(lost, lang)}{word} × 本行每元{word}一年的净贡献{m['estimate'] * 100:.2f}%",
                    f"{money(lost, lang)} less in {word} × the branch's yearly net contribution of "
                    f"{m['estimate'] * 100:.2f}% per CNY of them",
                )
            stake = stakes.balance_stake(ctx.results, lost, which, how)
            conf = CLEAR if m is None or significant(m, 0.0) else MAY
            rec = (
                pick(
                    lang,
                    "逐笔查明贷款下降的来源（到期未续、提前还款还是转投他行）：到期前一个月联系借款客户续贷，对提前还款的客户了解原因并给出转贷方案，按月跟踪贷款余额。",
                    "Find where the loans went, loan by loan (not renewed, repaid early or moved to another bank): "
                    "contact borrowers a month before maturity about renewal, ask early repayers why and offer a "
                    "refinancing, and track loan balances monthly.",
                )
                if kind == "loans"
                else pick(
                    lang,
                    "查明存款流向（到期转出、转投他行还是转为理财）：对大额到期存款提前联系，按月跟踪存款余额。",
                    "Find where the deposits went (matured and moved, to another bank, or into wealth products): call "
                    "large maturing depositors ahead of time and track deposit balances monthly.",
                )
            )
            out.append(
                self.make(
                    ctx,
                    rid=f"{self.id}.{kind}",
                    cites=f"overview.{key}",
                    stake=stake,
                    confidence=conf,
                    supporting=[f"overview.{bal}", f"economics.{which}.estimate"],
                    headline=pick(
                        lang, f"{word}一年下降{pct(-c, 0)}", f"{kind.capitalize()} down {pct(-c, 0)} in a year"
                    ),
                    finding=pick(
                        lang,
                        f"本网点{word}余额一年内从{money(before, lang)}降至{money(now, lang)}，下降{pct(-c)}。",
                        f"The branch's {kind} fell from {money(before, lang)} to {money(now, lang)} in a year, down "
                        f"{pct(-c)}.",
                    ),
                    recommendation=rec,
                )
            )
        return out
