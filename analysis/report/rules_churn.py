"""Recommendation rules on attrition: the churn model's drivers and the churn rate."""

from __future__ import annotations

import math

from analysis.words.glossary import term
from analysis.report import paths
from analysis.report.context import ReportContext
from analysis.words.i18n import num, pct, pick, times
from analysis.report.rulebase import Evidence, Rule, _interval, _or_bracket, significant
from analysis.assumptions import Assumptions
from analysis.words.churn import driver_label

# --- churn -------------------------------------------------------------------

CHURN_EVIDENCE_DRIVERS = (
    "unresolved_complaint",
    "complaints_12m",
    "digital_active",
    "products_held",
    "has_rm",
    "vip",
    "balance_trend",
)


def churn_driver_label(key: str, lang: str, assumptions: Assumptions | None = None) -> str:
    """A churn driver's label (`analysis.words.churn.driver_label`); an unknown key as itself."""
    try:
        return driver_label(key, lang, assumptions)
    except KeyError:
        return key


def driver_evidence(ctx: ReportContext, highlight: str) -> Evidence | None:
    """Odds ratios of the drivers a branch can act on, one highlighted."""
    drivers = paths.get(ctx.results, "churn.drivers") or {}
    keys = [k for k in CHURN_EVIDENCE_DRIVERS if isinstance(drivers.get(k), dict) and drivers[k].get("odds_ratio")]
    if highlight not in keys:
        return None
    lang = ctx.lang
    return Evidence(
        title=pick(
            lang,
            "哪些因素让客户更容易流失（优势比，>1 流失几率更高）",
            "What makes customers leave (odds ratio; above 1, more likely)",
        ),
        labels=tuple(churn_driver_label(k, lang, ctx.assumptions) for k in keys),
        values=tuple(drivers[k]["odds_ratio"] for k in keys),
        lows=tuple(drivers[k].get("ci_low") for k in keys),
        highs=tuple(drivers[k].get("ci_high") for k in keys),
        highlight=keys.index(highlight),
        reference=1.0,
        unit="ratio",
    )


class DriverRule(Rule):
    """A churn driver past an odds-ratio threshold, and significant."""

    section = "churn"
    driver = ""
    raises = True  # True: fires when OR > threshold; False: when OR < threshold
    figure_hints = ("churn_drivers", "churn_odds", "churn_forest")
    extra_supporting: tuple[str, ...] = ()

    def __init__(self, threshold: float, span_ratio: float = 3.0):
        self.threshold = threshold
        self.span_ratio = span_ratio

    def fire(self, ctx):
        path = f"churn.drivers.{self.driver}"
        d = paths.get(ctx.results, path)
        if not isinstance(d, dict) or not isinstance(d.get("odds_ratio"), (int, float)):
            return []
        oratio = d["odds_ratio"]
        if oratio <= 0 or not significant(d, 1.0):
            return []
        past = oratio > self.threshold if self.raises else oratio < self.threshold
        if not past:
            return []
        distance = abs(math.log(oratio) - math.log(self.threshold))
        texts = self.texts(ctx, d)
        return [
            self.make(
                ctx,
                cites=f"{path}.odds_ratio",
                distance=distance,
                span=math.log(self.span_ratio),
                supporting=[f"{path}.ci_low", f"{path}.ci_high", f"{path}.p_value", *self.extra_supporting],
                evidence=driver_evidence(ctx, self.driver),
                **texts,
            )
        ]

    def texts(self, ctx, d) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


class UnresolvedComplaints(DriverRule):
    id = "churn.unresolved_complaints"
    driver = "unresolved_complaint"
    weight = 1.0
    figure_hints = ("churn_drivers", "churn_odds", "churn_forest", "satisfaction_complaint")

    def __init__(self, threshold: float = 1.5, span_ratio: float = 2.0):
        super().__init__(threshold, span_ratio)

    def texts(self, ctx, d):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "投诉拖而不决，客户就会离开", "Complaints left open drive customers away"),
            finding=pick(
                lang,
                f"投诉未在30天内解决的客户，流失几率是其他客户的{times(o, lang)}{_interval(d, lang)}，这已扣除年龄、资产、产品数等其他因素的影响。",
                f"Customers whose complaint was not resolved within 30 days were {times(o, lang)} as likely to leave{_interval(d, lang)}, other factors such as age, balances and products held being equal.",
            ),
            recommendation=pick(
                lang,
                "建立投诉30天闭环：每宗投诉当天登记并指定责任人，15天未结升级至网点负责人，结案后回访客户；每月通报逾期投诉。",
                "Close every complaint within 30 days: log it the same day with a named owner, escalate to the branch head after 15 days, call the customer back once closed, and report overdue complaints every month.",
            ),
        )


class RepeatComplaints(DriverRule):
    id = "churn.repeat_complaints"
    driver = "complaints_12m"
    weight = 0.5

    def __init__(self, threshold: float = 1.15, span_ratio: float = 2.0):
        super().__init__(threshold, span_ratio)

    def texts(self, ctx, d):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "投诉越多，流失越多", "Each complaint raises the risk of losing the customer"),
            finding=pick(
                lang,
                f"客户每多投诉一次，流失几率提高{(o - 1) * 100:.0f}%{_or_bracket(d, lang)}。",
                f"Each complaint raises a customer's odds of leaving by {(o - 1) * 100:.0f}%{_or_bracket(d, lang)}.",
            ),
            recommendation=pick(
                lang,
                "对投诉最多的类别逐项查找根因并整改，把同一客户的第二次投诉直接升级给网点负责人处理。",
                "Find and fix the root cause of the most frequent complaint categories, and hand a customer's second complaint straight to the branch head.",
            ),
        )


class DigitalProtects(DriverRule):
    id = "churn.digital_active"
    driver = "digital_active"
    raises = False
    weight = 0.7

    def __init__(self, threshold: float = 0.8, span_ratio: float = 3.0):
        super().__init__(threshold, span_ratio)

    def texts(self, ctx, d):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "用手机银行的客户更少流失", "Customers who bank on their phone stay"),
            finding=pick(
                lang,
                f"使用手机银行或网银的客户，流失几率只有其他客户的{times(o, lang)}{_interval(d, lang)}。",
                f"Customers active on mobile or online banking were only {times(o, lang)} as likely to leave as others{_interval(d, lang)}.",
            ),
            recommendation=pick(
                lang,
                "把手机银行作为留住客户的抓手：柜面办理业务时协助开通并完成第一笔交易，对半年未登录的客户由客户经理回访指导。",
                "Use mobile banking to keep customers: at the counter, help each customer sign up and make a first transaction, and have a relationship manager coach those who have not logged in for six months.",
            ),
        )


class ProductsProtect(DriverRule):
    id = "churn.products_held"
    driver = "products_held"
    raises = False
    weight = 0.7
    extra_supporting = ("qvsrs.relationship.products_per_customer",)

    def __init__(self, threshold: float = 0.9, span_ratio: float = 1.6):
        super().__init__(threshold, span_ratio)

    def texts(self, ctx, d):
        lang, o = ctx.lang, d["odds_ratio"]
        ppc = paths.number(ctx.results, "qvsrs.relationship.products_per_customer")
        now = (
            pick(
                lang,
                f"目前活跃客户户均持有{ppc:.1f}类产品。",
                f" Active customers now hold {ppc:.1f} product lines on average.",
            )
            if ppc is not None
            else ""
        )
        return dict(
            headline=pick(lang, "多一类产品，少一分流失", "Every product line held makes a customer stay"),
            finding=pick(
                lang,
                f"客户每多持有一类产品，流失几率降低{(1 - o) * 100:.0f}%{_or_bracket(d, lang)}。" + now,
                f"Each further product line a customer holds lowers the odds of leaving by {(1 - o) * 100:.0f}%{_or_bracket(d, lang)}."
                + now,
            ),
            recommendation=pick(
                lang,
                "做深客户关系：对只持有一两类产品的客户，优先配置工资代发、信用卡、基金定投和保险，逐季跟踪户均产品数。",
                "Deepen relationships: offer customers holding one or two product lines payroll, a credit card, a regular fund plan and insurance first, and track products per customer every quarter.",
            ),
        )


class FallingBalances(DriverRule):
    id = "churn.balance_trend"
    driver = "balance_trend"
    raises = False
    weight = 0.5

    def __init__(self, threshold: float = 0.8, span_ratio: float = 4.0):
        super().__init__(threshold, span_ratio)

    def texts(self, ctx, d):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "资产流出是流失的前兆", "Falling balances come before leaving"),
            finding=pick(
                lang,
                f"半年内资产下降的客户更容易流失：资产缩水约六成（对数下降1）的客户，流失几率升至{times(1 / o, lang)}{_or_bracket(d, lang)}。",
                f"Customers whose balances fall are about to leave: a drop of about 60% over six months (1 on the log scale) multiplies the odds of leaving by {1 / o:.2f}{_or_bracket(d, lang)}.",
            ),
            recommendation=pick(
                lang,
                "把“半年资产下降超过三成”设为预警信号，客户经理两周内联系客户了解原因并提出挽留方案。",
                "Make a fall of more than 30% in six months an alert: the relationship manager calls the customer within two weeks to learn why and offer a reason to stay.",
            ),
        )


class ChurnRate(Rule):
    id = "churn.rate"
    section = "churn"
    weight = 0.9
    figure_hints = ("churn_loss_over_time", "churn_rate", "churn_retention_segment")

    def __init__(self, threshold: float = 0.10, span: float = 0.15):
        self.threshold, self.span = threshold, span

    def fire(self, ctx):
        rate = paths.number(ctx.results, "churn.churn_rate_12m")
        if rate is None or rate <= self.threshold:
            return []
        lang = ctx.lang
        n = paths.number(ctx.results, "churn.cohort_size")
        k = paths.number(ctx.results, "churn.churned")
        w = ctx.assumptions.window_months
        ago = pick(lang, "一年前" if w == 12 else f"{w}个月前", "a year ago" if w == 12 else f"{w} months ago")
        who = (
            pick(
                lang,
                f"{ago}的{num(n)}名客户中，{num(k)}名（{pct(rate)}）在近{w}个月内销户离开",
                f"Of the {num(n)} customers of {ago}, {num(k)} ({pct(rate)}) closed their accounts within {w} months",
            )
            if n is not None and k is not None
            else pick(lang, f"近{w}个月流失率为{pct(rate)}", f"The {w}-month attrition rate is {pct(rate)}")
        )
        return [
            self.make(
                ctx,
                cites="churn.churn_rate_12m",
                distance=rate - self.threshold,
                span=self.span,
                supporting=["churn.cohort_size", "churn.churned", "churn.auc_holdout"],
                headline=pick(
                    lang,
                    f"{'一年' if w == 12 else f'{w}个月'}流失{pct(rate, 0)}的客户",
                    f"{pct(rate, 0)} of customers left in {'a year' if w == 12 else f'{w} months'}",
                ),
                finding=who
                + pick(
                    lang,
                    f"，高于{pct(self.threshold, 0)}的警戒线。",
                    f", above the {pct(self.threshold, 0)} alert line.",
                ),
                recommendation=pick(
                    lang,
                    "建立流失预警名单：每月用流失模型给客户打分，把风险最高的10%交给客户经理在一个月内联系维护，并跟踪挽留结果。",
                    "Keep an attrition watch list: score every customer monthly with the attrition model, give the riskiest 10% to relationship managers to contact within a month, and track who stays.",
                ),
                evidence=Evidence(
                    title=pick(lang, f"近{w}个月流失率与警戒线", f"{w}-month attrition rate against the alert line"),
                    labels=(term("churn_rate_12m", lang, w),),
                    values=(rate,),
                    highlight=0,
                    reference=self.threshold,
                    reference_label=pick(lang, "警戒线", "alert line"),
                    unit="pct",
                ),
            )
        ]
