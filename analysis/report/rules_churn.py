"""Recommendation rules on attrition: the churn model's drivers, the churn
rate, churn by segment and why leavers left (pricing).

A driver's finding is worth the customers in its risky state × their
yearly profit × the extra share of them who leave (`stakes.churn_stake`);
its words follow its interval: "可能/may" when the odds ratio's interval
spans more than tenfold (`rulebase.confidence_of`).
"""

from __future__ import annotations

from analysis.assumptions import Assumptions
from analysis.report import paths, stakes
from analysis.report.context import ReportContext
from analysis.report.rulebase import (
    CLEAR,
    MAY,
    Evidence,
    Rule,
    Stake,
    _cap,
    _interval,
    _or_bracket,
    attribute_action,
    confidence_of,
    significant,
)
from analysis.words.churn import driver_label
from analysis.words.glossary import in_sentence, term
from analysis.words.i18n import money, num, pct, pick, times

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
    """Odds ratios of the drivers a branch can act on, one highlighted (a
    driver outside them, such as a segment, joins them as the highlighted row)."""
    drivers = paths.get(ctx.results, "churn.drivers") or {}

    def present(k: str) -> bool:
        return isinstance(drivers.get(k), dict) and bool(drivers[k].get("odds_ratio"))

    keys = [k for k in CHURN_EVIDENCE_DRIVERS if present(k)]
    if highlight not in keys and present(highlight):
        keys.append(highlight)
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


#: Who a driver's finding is about (overview.exposure.<driver>), in words.
STATE_WORDS: dict[str, tuple[str, str]] = {
    "unresolved_complaint": ("有投诉未在30天内解决的", "with a complaint left open beyond 30 days"),
    "complaints_12m": ("近一年投诉过的", "who complained in the last year"),
    "digital_active": ("未使用手机银行的", "not active on mobile or online banking"),
    "products_held": ("只持有一两类产品的", "holding one or two product lines"),
    "balance_trend": ("半年内资产下降三成以上的", "whose balances fell 30% or more in six months"),
    "has_rm": ("没有客户经理的", "without a relationship manager"),
    "vip": ("非VIP", "who are not VIP"),
}


def driver_stake(ctx: ReportContext, key: str, d: dict, protective: bool) -> Stake | None:
    """A driver's stake on the active customers in its risky state."""
    n, rev = stakes.exposure(ctx.results, key)
    if n is None or rev is None:
        return None
    p0 = paths.number(ctx.results, "churn.churn_rate_12m") or 0.0
    extra = stakes.excess_churn(p0, 1 / d["odds_ratio"] if protective else d["odds_ratio"])
    zh, en = STATE_WORDS.get(key, ("", ""))
    lang = ctx.lang
    how = pick(
        lang,
        f"{num(n)}名{zh}活跃客户（近12个月利润{money(rev, lang)}）× 他们一年多流失的约{pct(extra)}",
        f"{num(n)} active customers {en} ({money(rev, lang)} of profit over 12 months) × the {pct(extra)} more of them "
        "who leave in a year",
    )
    return stakes.churn_stake(ctx.results, d, rev, how, protective)


class DriverRule(Rule):
    """A churn driver past an odds-ratio threshold, and significant."""

    section = "churn"
    driver = ""
    raises = True  # True: fires when OR > threshold; False: when OR < threshold
    figure_hints = ("churn_drivers", "churn_odds", "churn_forest")
    extra_supporting: tuple[str, ...] = ()

    def __init__(self, threshold: float):
        self.threshold = threshold

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
        conf = confidence_of(d, 1.0, ratio=True)
        texts = self.texts(ctx, d, conf)
        return [
            self.make(
                ctx,
                cites=f"{path}.odds_ratio",
                stake=driver_stake(ctx, self.driver, d, protective=not self.raises),
                confidence=conf,
                supporting=[f"{path}.ci_low", f"{path}.ci_high", f"{path}.p_value", *self.extra_supporting],
                evidence=driver_evidence(ctx, self.driver),
                acts_on=(self.driver,),
                **texts,
            )
        ]

    def texts(self, ctx, d, conf: str) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


def _may(conf: str, lang: str) -> str:
    """ "可能" / "may " before a verb when the evidence is not sure."""
    return pick(lang, "可能", "may ") if conf == MAY else ""


class UnresolvedComplaints(DriverRule):
    id = "churn.unresolved_complaints"
    driver = "unresolved_complaint"
    figure_hints = ("churn_drivers", "churn_odds", "churn_forest", "satisfaction_complaint")

    def __init__(self, threshold: float = 1.5):
        super().__init__(threshold)

    def texts(self, ctx, d, conf):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "投诉拖而不决，客户就会离开", "Complaints left open drive customers away"),
            finding=pick(
                lang,
                f"投诉未在30天内解决的客户，流失几率{_may(conf, lang)}是其他客户的"
                f"{times(o, lang)}{_interval(d, lang)}，这已扣除年龄、资产、产品数等其他因素的影响。",
                "Customers whose complaint was not resolved within 30 days "
                f"{_may(conf, lang)}{'be' if conf == MAY else 'were'} {times(o, lang)} as likely to "
                f"leave{_interval(d, lang)}, other factors such as age, balances and products held being equal.",
            ),
            recommendation=pick(
                lang,
                "建立投诉30天闭环：每宗投诉当天登记并指定责任人，15天未结升级至网点负责人，结案后回访客户；每月通报逾期投诉。",
                "Close every complaint within 30 days: log it the same day with a named owner, escalate to the branch "
                "head after 15 days, call the customer back once closed, and report overdue complaints every month.",
            ),
        )


class RepeatComplaints(DriverRule):
    id = "churn.repeat_complaints"
    driver = "complaints_12m"

    def __init__(self, threshold: float = 1.15):
        super().__init__(threshold)

    def texts(self, ctx, d, conf):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "投诉越多，流失越多", "Each complaint raises the risk of losing the customer"),
            finding=pick(
                lang,
                f"客户每多投诉一次，流失几率{_may(conf, lang)}提高{(o - 1) * 100:.0f}%{_or_bracket(d, lang)}。",
                f"Each complaint {_may(conf, lang)}{'raise' if conf == MAY else 'raises'} a customer's odds of leaving "
                f"by {(o - 1) * 100:.0f}%{_or_bracket(d, lang)}.",
            ),
            recommendation=pick(
                lang,
                "对投诉最多的类别逐项查找根因并整改，把同一客户的第二次投诉直接升级给网点负责人处理。",
                "Find and fix the root cause of the most frequent complaint categories, and hand a customer's second "
                "complaint straight to the branch head.",
            ),
        )


class DigitalProtects(DriverRule):
    id = "churn.digital_active"
    driver = "digital_active"
    raises = False

    def __init__(self, threshold: float = 0.8):
        super().__init__(threshold)

    def texts(self, ctx, d, conf):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "用手机银行的客户更少流失", "Customers who bank on their phone stay"),
            finding=pick(
                lang,
                f"使用手机银行或网银的客户，流失几率{_may(conf, lang)}只有其他客户的"
                f"{times(o, lang)}{_interval(d, lang)}。",
                f"Customers active on mobile or online banking {_may(conf, lang)}{'be' if conf == MAY else 'were'} "
                f"only {times(o, lang)} as likely to leave as others{_interval(d, lang)}.",
            ),
            recommendation=pick(
                lang,
                "把手机银行作为留住客户的抓手：柜面办理业务时协助开通并完成第一笔交易，对半年未登录的客户由客户经理回访指导。",
                "Use mobile banking to keep customers: at the counter, help each customer sign up and make a first "
                "transaction, and have a relationship manager coach those who have not logged in for six months.",
            ),
        )


class ProductsProtect(DriverRule):
    id = "churn.products_held"
    driver = "products_held"
    raises = False
    extra_supporting = ("qvsrs.relationship.products_per_customer",)

    def __init__(self, threshold: float = 0.9):
        super().__init__(threshold)

    def texts(self, ctx, d, conf):
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
                f"客户每多持有一类产品，流失几率{_may(conf, lang)}降低{(1 - o) * 100:.0f}%{_or_bracket(d, lang)}。"
                + now,
                f"Each further product line a customer holds {_may(conf, lang)}{'lower' if conf == MAY else 'lowers'} "
                f"the odds of leaving by {(1 - o) * 100:.0f}%{_or_bracket(d, lang)}." + now,
            ),
            recommendation=pick(
                lang,
                "做深客户关系：对只持有一两类产品的客户，优先配置工资代发、信用卡、基金定投和保险，逐季跟踪户均产品数。",
                "Deepen relationships: offer customers holding one or two product lines payroll, a credit card, a "
                "regular fund plan and insurance first, and track products per customer every quarter.",
            ),
        )


class FallingBalances(DriverRule):
    id = "churn.balance_trend"
    driver = "balance_trend"
    raises = False

    def __init__(self, threshold: float = 0.8):
        super().__init__(threshold)

    def texts(self, ctx, d, conf):
        lang, o = ctx.lang, d["odds_ratio"]
        return dict(
            headline=pick(lang, "资产流出是流失的前兆", "Falling balances come before leaving"),
            finding=pick(
                lang,
                f"半年内资产下降的客户更容易流失：资产缩水约六成（对数下降1）的客户，流失几率{_may(conf, lang)}升至"
                f"{times(1 / o, lang)}{_or_bracket(d, lang)}。",
                "Customers whose balances fall are about to leave: a drop of about 60% over six months (1 on the log "
                f"scale) {_may(conf, lang)}{'multiply' if conf == MAY else 'multiplies'} the odds of leaving by "
                f"{1 / o:.2f}{_or_bracket(d, lang)}.",
            ),
            recommendation=pick(
                lang,
                "把“半年资产下降超过三成”设为预警信号，客户经理两周内联系客户了解原因并提出挽留方案。",
                "Make a fall of more than 30% in six months an alert: the relationship manager calls the customer "
                "within two weeks to learn why and offer a reason to stay.",
            ),
        )


class ChurnRate(Rule):
    id = "churn.rate"
    section = "churn"
    figure_hints = ("churn_loss_over_time", "churn_rate", "churn_retention_segment")

    def __init__(self, threshold: float = 0.10):
        self.threshold = threshold

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
        gone = paths.get(ctx.results, "overview.leavers")
        stake = None
        if isinstance(gone, dict) and isinstance(gone.get("revenue_year"), (int, float)):
            stake = Stake(
                float(gone["revenue_year"]),
                how=pick(
                    lang,
                    f"近12个月销户的{num(gone['customers'])}名客户离开前一年的利润",
                    f"the yearly profit of the {num(gone['customers'])} customers who closed in the last 12 months, "
                    "before they left",
                ),
            )
        return [
            self.make(
                ctx,
                cites="churn.churn_rate_12m",
                stake=stake,
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
                    "Keep an attrition watch list: score every customer monthly with the attrition model, give the "
                    "riskiest 10% to relationship managers to contact within a month, and track who stays.",
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


class SegmentChurn(Rule):
    """A customer segment that leaves more than mass customers, with its share
    of customers and of profit: one finding per such segment."""

    id = "churn.segment"
    section = "churn"
    figure_hints = ("churn_drivers", "churn_retention_segment")
    segments = ("high_net_worth", "affluent", "sme")

    def __init__(self, threshold: float = 1.5):
        self.threshold = threshold

    def fire(self, ctx):
        out = []
        lang = ctx.lang
        for seg in self.segments:
            key = f"segment[{seg}]"
            d = paths.get(ctx.results, f"churn.drivers.{key}")
            if not isinstance(d, dict) or not isinstance(d.get("odds_ratio"), (int, float)):
                continue
            o = d["odds_ratio"]
            if o <= self.threshold or not significant(d, 1.0):
                continue
            conf = confidence_of(d, 1.0, ratio=True)
            g = stakes.segment(ctx.results, seg) or {}
            name, mass = term(seg, lang), term("mass", lang)
            share = ""
            stake = None
            if isinstance(g.get("customers"), (int, float)) and isinstance(g.get("profit_share"), (int, float)):
                share = pick(
                    lang,
                    f"{name}只占活跃客户的{pct(g['customer_share'])}，却贡献了近12个月利润的{pct(g['profit_share'])}；",
                    f"{name} customers are {pct(g['customer_share'])} of active customers but made "
                    f"{pct(g['profit_share'])} of the last 12 months' profit; ",
                )
                p0 = paths.number(ctx.results, "churn.churn_rate_12m") or 0.0
                how = pick(
                    lang,
                    f"{num(g['customers'])}名{name}（近12个月利润{money(g['revenue_12m'], lang)}）× 他们一年多流失的约"
                    f"{pct(stakes.excess_churn(p0, o))}",
                    f"{num(g['customers'])} {in_sentence(name)} customers ({money(g['revenue_12m'], lang)} of profit "
                    f"over 12 months) × the {pct(stakes.excess_churn(p0, o))} more of them who leave in a year",
                )
                stake = stakes.churn_stake(ctx.results, d, float(g["revenue_12m"]), how)
            wide_note = (
                pick(lang, "区间很宽，还需更多数据确认", "a wide interval that more data must confirm")
                if conf == MAY
                else ""
            )
            bracket = _or_bracket(d, lang)
            if wide_note:
                bracket = bracket[:-1] + pick(lang, f"，{wide_note}）", f"; {wide_note})")
            check = (
                pick(
                    lang,
                    "下季度先核实：逐月比较这批客户与大众客户的流失，确认差距后再追加投入。",
                    " Check it first next quarter: compare their attrition with mass customers' month by month before "
                    "spending more.",
                )
                if conf == MAY
                else ""
            )
            out.append(
                self.make(
                    ctx,
                    rid=f"{self.id}.{seg}",
                    cites=f"churn.drivers.{key}.odds_ratio",
                    stake=stake,
                    confidence=conf,
                    supporting=[f"churn.drivers.{key}.ci_low", f"churn.drivers.{key}.ci_high"],
                    headline=pick(
                        lang, f"{name}{_may(conf, lang)}更容易流失", f"{name} customers {_may(conf, lang)}leave more"
                    ),
                    finding=share
                    + pick(
                        lang,
                        f"其流失几率{_may(conf, lang)}是{mass}的{times(o, lang)}{bracket}。",
                        f"their odds of leaving {_may(conf, lang)}{'be' if conf == MAY else 'are'} {times(o, lang)} "
                        f"those of {in_sentence(mass)} customers{bracket}.",
                    ),
                    recommendation=pick(
                        lang,
                        f"把{name}的流失单独列入每月监测：资产下降或有投诉的，两周内由网点负责人牵头处理。",
                        f"Track {in_sentence(name)} customers' attrition on its own every month: those whose balances "
                        "fall or who complain are handled within two weeks, led by the branch head.",
                    )
                    + check,
                    evidence=driver_evidence(ctx, key),
                )
            )
        return out


#: close reasons that are about price: the branch's fees, a competitor's better offer
PRICE_REASONS = ("fees", "competitor_offer")


class PriceLeavers(Rule):
    """Pricing is why most leavers left (fees or a competitor's offer is the top close reason)."""

    id = "churn.pricing"
    section = "churn"
    figure_hints = ("churn_loss_reasons", "churn_loss_over_time")

    def __init__(self, min_leavers: int = 20):
        self.min_leavers = min_leavers

    def fire(self, ctx):
        by = paths.get(ctx.results, "overview.leavers.by_reason")
        gone = paths.get(ctx.results, "overview.leavers")
        if not isinstance(by, dict) or not by or not isinstance(gone, dict):
            return []
        known = {r: v for r, v in by.items() if isinstance(v, dict) and r not in ("other", "deceased", "relocation")}
        if not known:
            return []
        top = max(known, key=lambda r: known[r]["customers"])
        if top not in PRICE_REASONS:
            return []
        n, rev = stakes.leavers(ctx.results, PRICE_REASONS)
        total = int(gone.get("customers") or 0)
        if total == 0:
            return []
        lang = ctx.lang
        conf = CLEAR if total >= self.min_leavers else MAY
        parts = [
            pick(
                lang,
                f"“{term(r, lang)}”{num(by[r]['customers'])}名（{pct(by[r]['share'], 0)}）",
                f"“{in_sentence(term(r, lang))}” {num(by[r]['customers'])} ({pct(by[r]['share'], 0)})",
            )
            for r in PRICE_REASONS
            if isinstance(by.get(r), dict)
        ]
        stake = Stake(
            rev,
            how=pick(
                lang,
                f"因价格离开的{num(n)}名客户离开前一年的利润",
                f"the yearly profit of the {num(n)} customers who left over price",
            ),
        )
        return [
            self.make(
                ctx,
                cites=f"overview.leavers.by_reason.{top}.share",
                stake=stake,
                confidence=conf,
                supporting=[f"overview.leavers.by_reason.{r}.customers" for r in PRICE_REASONS],
                headline=pick(lang, "价格是客户离开的首要原因", "Price is the main reason customers leave"),
                finding=pick(
                    lang,
                    f"近12个月销户的{num(total)}名客户中，首要原因是“{term(top, lang)}”；与价格有关的共{num(n)}名（"
                    f"{pct(n / total, 0)}）："
                    f"{'，'.join(parts)}。",
                    f"Of the {num(total)} customers who closed in the last 12 months, the main reason given was "
                    f"“{in_sentence(term(top, lang))}”; {num(n)} ({pct(n / total, 0)}) left over price: "
                    f"{', '.join(parts)}.",
                ),
                recommendation=_cap(attribute_action("fees_value", lang))
                + pick(
                    lang,
                    "；对提出销户或大额转出的客户，当场给出与他行的价格对比和挽留报价。",
                    "; when a customer asks to close or moves a large sum out, show the comparison with the other "
                    "bank's price and make a retention offer on the spot.",
                ),
            )
        ]
