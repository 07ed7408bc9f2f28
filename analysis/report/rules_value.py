"""Recommendation rules on customer value, relationship managers and the customer base."""

from __future__ import annotations

from analysis.report import paths
from analysis.words.format import num, pct
from analysis.words.lang import pick
from analysis.report.rulebase import Evidence, Rule

# --- value and relationship managers --------------------------------------------


class TopCustomersUncovered(Rule):
    id = "relationship_managers.coverage_top20"
    section = "relationship_managers"
    weight = 1.0
    figure_hints = (
        "relationship_managers_proposal",
        "relationship_managers_coverage",
        "relationship_managers_portfolio",
    )

    def __init__(self, threshold: float = 0.8, span: float = 0.4):
        self.threshold, self.span = threshold, span

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
        return [
            self.make(
                ctx,
                cites="relationship_managers.coverage_top20",
                distance=self.threshold - cov,
                span=self.span,
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
                    f"本季度内为{nn}名未覆盖的高价值客户指定客户经理{plan}，并按客户数和利润贡献平衡客户经理的工作量。",
                    f"Assign a relationship manager this quarter to the {nn} uncovered top customers{plan}, balancing managers' books by customers and profit.",
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
    weight = 0.6
    figure_hints = ("value_pareto", "value_concentration", "value_lorenz")

    def __init__(self, threshold: float = 0.6, span: float = 0.3):
        self.threshold, self.span = threshold, span

    def fire(self, ctx):
        share = paths.number(ctx.results, "value.top20_revenue_share")
        if share is None or share <= self.threshold:
            return []
        lang = ctx.lang
        return [
            self.make(
                ctx,
                cites="value.top20_revenue_share",
                distance=share - self.threshold,
                span=self.span,
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
                    "用VIP服务体系守住这批客户：分级权益、专属客户经理、每季度至少一次面谈，并单独跟踪他们的流失。",
                    "Protect these customers with the VIP service system: tiered benefits, a dedicated relationship manager, a meeting at least every quarter, and their attrition tracked on its own.",
                ),
                evidence=_value_evidence(ctx),
            )
        ]


class LossMakingCustomers(Rule):
    id = "value.unprofitable"
    section = "value"
    weight = 0.6
    figure_hints = ("value_money_losing", "value_unprofitable", "value_loss")

    def __init__(self, threshold: float = 0.05, span: float = 0.15):
        self.threshold, self.span = threshold, span

    def fire(self, ctx):
        share = paths.number(ctx.results, "value.unprofitable_share")
        if share is None or share <= self.threshold:
            return []
        lang = ctx.lang
        return [
            self.make(
                ctx,
                cites="value.unprofitable_share",
                distance=share - self.threshold,
                span=self.span,
                headline=pick(lang, "部分客户在亏钱", "Some customers lose the bank money"),
                finding=pick(
                    lang,
                    f"{pct(share)}的客户近12个月给本行带来的是亏损（利润为负）。",
                    f"{pct(share)} of customers lost the bank money over the last 12 months (negative profit).",
                ),
                recommendation=pick(
                    lang,
                    "调整亏损客户的服务方式：引导到手机银行和自助渠道，清理低效账户、检讨费用减免，有潜力的由客户经理交叉销售。",
                    "Serve loss-making customers differently: move them to mobile and self-service channels, clean up idle accounts, review fee waivers, and cross-sell to those with potential.",
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


class NetCustomerDecline(Rule):
    id = "qvsrs.net_customer_growth"
    section = "qvsrs"
    weight = 0.6
    figure_hints = ("qvsrs_scorecard", "overview_book")

    def __init__(self, threshold: float = 0.0, span: float = 0.10):
        self.threshold, self.span = threshold, span

    def fire(self, ctx):
        g = paths.number(ctx.results, "qvsrs.sustainability.net_customer_growth_12m")
        if g is None or g >= self.threshold:
            return []
        lang = ctx.lang
        return [
            self.make(
                ctx,
                cites="qvsrs.sustainability.net_customer_growth_12m",
                distance=self.threshold - g,
                span=self.span,
                supporting=["qvsrs.sustainability.retention_12m"],
                headline=pick(lang, "客户在净减少", "The customer base is shrinking"),
                finding=pick(
                    lang,
                    f"近12个月新开户少于销户，客户数净减少{pct(-g)}（相对一年前的客户数）。",
                    f"Fewer customers joined than left in the last 12 months: a net loss of {pct(-g)} of last year's customers.",
                ),
                recommendation=pick(
                    lang,
                    "打通新客来源：通过代发工资、社保卡和小微商户收单批量获客，新客头90天由专人跟进开通手机银行和第二个产品。",
                    "Open new sources of customers: payroll, social-security cards and merchant acquiring for small businesses, with a named person helping each new customer onto mobile banking and a second product in the first 90 days.",
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
