"""Recommendations: rules that read a branch's results.json.

Each rule looks at one or a few figures of results.json, fires when a figure
is past the rule's threshold, and then writes a finding (a sentence with the
number) and the recommendation it implies, citing the path of the figure
that triggered it (`churn.drivers.unresolved_complaint.odds_ratio`). Nothing
is canned: when the numbers change, the sentences, the recommendation and
whether a rule fires at all change with them.

Ranking (the first page takes the top): by the **profit at stake**, CNY a
year (`stakes`: customers affected × their yearly profit × the effect,
stated with each finding), and by **confidence**: a finding whose interval
spans what would change the decision (an estimate whose interval includes
no effect, an odds ratio whose interval spans more than tenfold, a stake
resting on an assumed link) is worded "可能/may" and ranks with
`MAY_WEIGHT` of its stake. Findings whose stake the results cannot give
("not quantified") rank after every quantified one, in rule order.
Priority: high from 1 % of the branch's yearly profit at stake, medium from
0.25 % ("may" at most medium), low below or when not quantified.

Significance: an estimate counts when its p-value is below 5 % or, without a
p-value, when its 95 % interval excludes the null value (1 for odds ratios,
0 for differences). No rule recommends acting on a churn driver the model
finds no effect of, unless it says why (`rules_value.rm_why`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from analysis.report import paths
from analysis.report.context import ReportContext, make_context

# The rule base's names, for callers that take them from here (report.figures, the tests' specimen):
from analysis.report.rulebase import (  # noqa: F401
    ALPHA,
    ATTRIBUTE_ACTIONS,
    CLEAR,
    MAY,
    Evidence,
    Recommendation,
    Rule,
    Stake,
    attr_label,
    attribute_action,
    priority,
    significant,
)
from analysis.report.rules_campaigns import (  # noqa: F401 (campaign_name, for callers)
    CampaignPayBack,
    CampaignScaleUp,
    CampaignStop,
    CampaignUnproven,
    TargetedWithoutHoldout,
    campaign_name,
)
from analysis.report.rules_churn import (  # noqa: F401 (CHURN_EVIDENCE_DRIVERS, for callers)
    CHURN_EVIDENCE_DRIVERS,
    ChurnRate,
    DigitalProtects,
    FallingBalances,
    PriceLeavers,
    ProductsProtect,
    RepeatComplaints,
    SegmentChurn,
    UnresolvedComplaints,
    churn_driver_label,
)
from analysis.report.rules_competitors import CompetitorGap, DepositShareFalling, SwitchingDestination
from analysis.report.rules_satisfaction import FixFirst, LowNps
from analysis.report.rules_value import (
    BookShrinking,
    LossMakingCustomers,
    NetCustomerDecline,
    RevenueConcentration,
    TopCustomersUncovered,
)
from analysis.words import campaigns as campaign_words
from analysis.words.assumptions import assumptions_of
from analysis.words.glossary import in_sentence, term
from analysis.words.i18n import money, num, pct, pick, pp
from analysis.words.qvsrs import scorecard_metric_label, scorecard_value

#: The rules, in the order their recommendations are listed at equal score.
RULES: tuple[Rule, ...] = (
    BookShrinking(),
    UnresolvedComplaints(),
    SegmentChurn(),
    PriceLeavers(),
    TopCustomersUncovered(),
    ChurnRate(),
    FixFirst(),
    DepositShareFalling(),
    DigitalProtects(),
    ProductsProtect(),
    CompetitorGap(),
    RevenueConcentration(),
    LossMakingCustomers(),
    NetCustomerDecline(),
    CampaignScaleUp(),
    CampaignStop(),
    CampaignPayBack(),
    SwitchingDestination(),
    RepeatComplaints(),
    FallingBalances(),
    LowNps(),
    TargetedWithoutHoldout(),
    CampaignUnproven(),
)


def evaluate(
    results: dict, lang: str = "zh", *, context: ReportContext | None = None, rules: Iterable[Rule] = RULES
) -> list[Recommendation]:
    """Every recommendation the rules fire on `results`: quantified ones by
    ranked stake (`score`), then the rest in rule order.

    Sections that are skipped or absent fire nothing.
    """
    ctx = context if context is not None else make_context(results, lang)
    if ctx.lang != lang:
        ctx = dataclasses.replace(ctx, lang=lang)
    order = {id(r): i for i, r in enumerate(rules)}
    fired: list[tuple[int, Recommendation]] = []
    for rule in rules:
        for rec in rule(ctx):
            fired.append((order[id(rule)], rec))
    fired.sort(key=lambda x: (x[1].stake is None, -x[1].score, x[0]))
    return [r for _, r in fired]


# ---------------------------------------------------------------------------
# how a cited figure reads in the briefing


def cite_label(path: str, results: dict, lang: str = "zh", names: Mapping[str, str] | None = None) -> str:
    """A cited path in words with its value: "投诉未在30天内解决的优势比 = 2.23".
    A campaign is named as the reader knows it (`names`: campaign id → name,
    `ReportContext.campaign_names`; else its name or kind in results.json),
    never by its id unless nothing else names it."""
    v = paths.get(results, path)
    parts = path.split(".")
    label, shown = None, None
    if parts[0] == "campaigns" and len(parts) >= 3:
        cid = ".".join(parts[1:-2] if parts[-2] in ("balance_effect", "profit_12m") else parts[1:-1])
        c = (results.get("campaigns") or {}).get(cid) if isinstance(results.get("campaigns"), dict) else None
        c = c if isinstance(c, dict) else {}
        camp = (names or {}).get(cid) or campaign_words.campaign_label(cid, lang, c.get("name"), c.get("kind"))
    if parts[:2] == ["churn", "drivers"] and len(parts) >= 4:
        key = ".".join(parts[2:-1])
        label = pick(
            lang,
            f"流失模型中“{churn_driver_label(key, lang, assumptions_of(results))}”的优势比",
            f"attrition model, odds ratio of {in_sentence(churn_driver_label(key, lang, assumptions_of(results)))}",
        )
        shown = f"{v:.2f}" if isinstance(v, (int, float)) else None
    elif path == "churn.churn_rate_12m":
        label, shown = term("churn_rate_12m", lang, assumptions_of(results).window_months), pct(v)
    elif parts[:2] == ["satisfaction", "cs_gap"]:
        label = pick(
            lang,
            f"{attr_label(parts[2], lang)}的满意度缺口",
            f"satisfaction gap on {in_sentence(attr_label(parts[2], lang))}",
        )
        shown = f"{v:+.2f}" if isinstance(v, (int, float)) else None
    elif path == "satisfaction.nps":
        label, shown = term("NPS", lang), f"{v:.0f}" if isinstance(v, (int, float)) else None
    elif path == "relationship_managers.coverage_top20":
        label, shown = pick(lang, "前20%客户的客户经理覆盖率", "relationship-manager coverage of the top 20%"), pct(v)
    elif path == "value.top20_revenue_share":
        label, shown = pick(lang, "前20%客户的利润占比", "profit share of the top 20%"), pct(v)
    elif path == "value.unprofitable_share":
        label, shown = pick(lang, "利润为负的客户占比", "share of customers with negative profit"), pct(v)
    elif parts[:2] == ["competitors", "deposit_share_change_4q"]:
        bank = ".".join(parts[2:])
        label, shown = (
            pick(lang, f"{bank}存款份额一年变化", f"change in {bank}'s deposit share over a year"),
            pp(v, lang, signed=True),
        )
    elif parts[:2] == ["competitors", "attribute_means"] and len(parts) >= 4:
        bank, a = ".".join(parts[2:-1]), parts[-1]
        label = pick(
            lang, f"{bank}的{attr_label(a, lang)}评分", f"{bank}'s rating on {in_sentence(attr_label(a, lang))}"
        )
        shown = f"{v:.2f}" if isinstance(v, (int, float)) else None
    elif parts[:2] == ["competitors", "switching_destinations"]:
        bank = ".".join(parts[2:])
        label, shown = pick(lang, f"转投{bank}的客户数", f"leavers who went to {bank}"), num(v)
    elif parts[0] == "campaigns" and parts[-1] == "profit_roi":
        label = pick(
            lang,
            f"{camp}扣除成本后的利润回报率",
            f"return on cost, in profit, of {camp}",
        )
        shown = pct(v, 0)
    elif parts[0] == "campaigns" and parts[-1] == "business_roi":
        label = pick(
            lang,
            f"{camp}每元成本带来的{term('new business volume', lang)}减1",
            f"new business volume per CNY spent, minus 1, of {camp}",
        )
        shown = num(v, 2)
    elif parts[0] == "campaigns" and parts[-2:] == ["balance_effect", "estimate"]:
        label = pick(lang, f"{camp}的余额效应", f"balance effect of {camp}")
        shown = money(v, lang)
    elif parts[0] == "campaigns" and len(parts) >= 3 and parts[-2] == "profit_12m":
        end = {"estimate": ("", ""), "ci_low": ("区间下限", ", lower end"), "ci_high": ("区间上限", ", upper end")}
        zh, en = end.get(parts[-1], ("", ""))
        label = pick(lang, f"{camp}的年净贡献（利润）{zh}", f"yearly net contribution of {camp}{en}")
        shown = money(v, lang)
    elif parts[0] == "overview" and parts[-1].endswith("_change_12m"):
        what = parts[-1][: -len("_change_12m")]
        label = pick(
            lang,
            {"loans": "贷款余额", "deposits": "存款余额", "wealth": "理财余额", "funds": "资金余额"}.get(what, what)
            + "一年变化",
            f"{what} over a year",
        )
        shown = pct(v, 1)
    elif parts[:3] == ["overview", "leavers", "by_reason"] and len(parts) >= 5:
        label = pick(
            lang,
            f"因“{term(parts[3], lang)}”销户的客户占比",
            f"share of leavers citing {in_sentence(term(parts[3], lang))}",
        )
        shown = pct(v, 0)
    elif parts[0] == "campaigns" and parts[-1] == "naive_balance_difference":
        label = pick(
            lang,
            f"{camp}的{term('naive difference', lang)}",
            f"naive difference of {camp}",
        )
        shown = money(v, lang)
    elif parts[0] == "qvsrs":
        try:
            label, shown = scorecard_metric_label(parts[-1], lang), scorecard_value(parts[-1], v, lang)
        except KeyError:
            pass
    if label is None:
        label = path
    if shown is None:
        shown = f"{v}" if v is not None else "—"
    return f"{label} = {shown}"
