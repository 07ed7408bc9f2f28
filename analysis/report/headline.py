"""The headline figures of a branch: what the index lines up, branches.csv
lists, a targets file may name and the briefing follows from run to run.

Each has a key (the column of branches.csv, a name a targets file may use),
its dotted path in results.json, its label in both languages, how it is
shown (`kind`) and which way is better (+1 higher, −1 lower, 0 neither).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analysis.data.contract import ATTRIBUTES
from analysis.sections import value_at
from analysis.words.assumptions import assumptions_of
from analysis.words.format import MINUS
from analysis.words.glossary import term
from analysis.words.i18n import num, pct, pick
from analysis.words.plan import KPIS


@dataclass(frozen=True)
class Headline:
    key: str
    path: str  # dotted path in results.json; "{home_bank}" stands for the branch's own bank
    zh: str
    en: str
    kind: str  # count | pct | signed_pct | signed | number1 | number2 | number0
    better: int  # +1 higher is better, −1 lower is better, 0 neither

    def label(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)


#: In the index's order (the league table reads down them).
HEADLINE: tuple[Headline, ...] = (
    Headline("customers", "customers", "客户数", "Customers", "count", 0),
    Headline("active_customers", "active_customers", "活跃客户", "Active customers", "count", 0),
    Headline(
        "top20_revenue_share", "value.top20_revenue_share", "前20%客户利润占比", "Profit share of top 20%", "pct", 0
    ),
    Headline("unprofitable_share", "value.unprofitable_share", "亏损客户占比", "Loss-making customers", "pct", -1),
    Headline("churn_rate_12m", "churn.churn_rate_12m", "近12个月流失率", "12-month attrition", "pct", -1),
    Headline("cs_overall", "satisfaction.cs_overall", "满意度缺口", "Satisfaction gap", "signed", +1),
    Headline("nps", "satisfaction.nps", "净推荐值", "Net promoter score", "number0", +1),
    Headline("qvsrs_quality", "qvsrs.quality", "服务品质指数", "Quality index", "number1", +1),
    Headline("qvsrs_value", "qvsrs.value", "利益 ÷ 成本", "Benefits ÷ costs", "number2", +1),
    Headline(
        "products_per_customer",
        "qvsrs.relationship.products_per_customer",
        "户均产品数",
        "Products per customer",
        "number2",
        +1,
    ),
    Headline("rm_coverage", "qvsrs.relationship.rm_coverage", "客户经理覆盖率", "RM coverage", "pct", +1),
    Headline(
        "coverage_top20", "relationship_managers.coverage_top20", "前20%客户覆盖率", "RM coverage of top 20%", "pct", +1
    ),
    Headline(
        "revenue_growth_12m",
        "qvsrs.sustainability.revenue_growth_12m",
        "利润同比增长",
        "Profit growth",
        "signed_pct",
        +1,
    ),
    Headline("home_deposit_share", "competitors.deposit_share.{home_bank}", "存款份额", "Deposit share", "pct", +1),
)
BY_KEY: dict[str, Headline] = {h.key: h for h in HEADLINE}


def number(v: Any) -> float | None:
    """`v` as a float when it is a finite number (not a bool), else None."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (float("inf"), float("-inf")):
        return None
    return float(v)


def get(results: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path of results.json (None where it is missing)."""
    return value_at(results, path)


def path_of(h: Headline, results: Mapping[str, Any]) -> str:
    """The headline figure's path in these results (the branch's own bank filled in)."""
    if "{home_bank}" not in h.path:
        return h.path
    home = get(results, "branch.home_bank")
    return h.path.replace("{home_bank}", str(home)) if home else h.path


def value(h: Headline, results: Mapping[str, Any]) -> Any:
    """The headline figure in these results, as results.json holds it (None when missing)."""
    return get(results, path_of(h, results))


def find(path: str, results: Mapping[str, Any] | None = None) -> Headline | None:
    """The headline figure at `path` (in `results`, for the one that depends on the branch's bank)."""
    for h in HEADLINE:
        if path in (h.path, path_of(h, results or {})):
            return h
    return None


#: plan.basis figures a target may name: the plan's KPIs measured on the whole branch (+1: higher is better)
PLAN_BASIS = {"top20_churn_rate": -1, "complaints_resolved_share": +1, "digital_active_share": +1}


def named(figure: str, results: Mapping[str, Any] | None = None) -> Headline | None:
    """The figure a targets file or a comparison names, as a Headline (its
    label, kind and direction): a headline figure by key or path, a
    satisfaction gap on an attribute, or a plan KPI of `plan.basis`; None for
    a figure the briefing has no words for."""
    h = BY_KEY.get(figure) or find(figure, results)
    if h is not None:
        return h
    parts = figure.split(".")
    if len(parts) == 3 and parts[:2] == ["satisfaction", "cs_gap"] and parts[2] in ATTRIBUTES:
        zh, en = term(parts[2], "zh"), term(parts[2], "en")
        return Headline(figure, figure, f"{zh}的满意度缺口", f"Satisfaction gap on {en.lower()}", "signed", +1)
    if len(parts) == 3 and parts[:2] == ["plan", "basis"] and parts[2] in PLAN_BASIS:
        zh, en, _ = KPIS[parts[2]]
        days = assumptions_of(results).unresolved_days
        return Headline(figure, figure, zh.format(days=days), en.format(days=days), "pct", PLAN_BASIS[parts[2]])
    return None


def format_value(v: Any, kind: str) -> str:
    """A headline figure as shown in the index and the briefing ("—" when missing)."""
    x = number(v)
    if x is None:
        return "—"
    if kind == "count":
        return num(x)
    if kind == "pct":
        return pct(x)
    if kind == "signed_pct":
        text = f"{x * 100:+.1f}%"
    elif kind == "signed":
        text = f"{x:+.2f}"
    else:
        digits = {"number0": 0, "number1": 1, "number2": 2}.get(kind, 2)
        text = f"{x:,.{digits}f}"
    return MINUS + text[1:] if text.startswith("-") else text  # the typographic minus, as words.format writes it
