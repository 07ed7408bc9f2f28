"""Does the advice obey its own evidence? Every contradiction between
results.json, plan.csv and the composed briefing, named.

    problems = check(results, plan, page)    # plan: plan.csv as a DataFrame, or None
    for p in problems: print(p)              # what, where, the figure

`page` is the composed briefing (`briefing.compose(...)`); every visible
string of it is read (findings, section prose and lists, tables, method
notes), sentence by sentence. The plan is plan.csv (`run.tables.read_plan`)
and the `plan` section of results.json (its `details`: each row's campaign
kind and tiers). What is checked:

- the plan's invariants of RESULTS.md and `plan` in results.json = the sums
  of plan.csv (`analysis.questions.plan.plan_invariant_problems`, the one
  place they are written);
- a campaign rolled out without a holdout (a plan row, or a sentence that
  scales it up and names no holdout) whose verdict is not `grow`; a
  campaign whose verdict is `stop` run again;
- a finding promising a holdout next quarter that no plan row has;
- a seasonal event scheduled out of its season (`plan_campaigns.season_of`, the plan's one table);
- a VIP tier offered or "retested" on a service its tier already has;
- one customer group given contradicting instructions (no staff contact and
  revisits);
- a sentence calling volume a return (投资回报率/回报率/回报/ROI/return next to
  new business, balances, or a business_roi or plan balance figure);
- "明显/clearly" about an odds ratio whose interval spans more than tenfold;
- a recommendation acting on a churn driver the model finds no effect of,
  without saying why.

A run prints each problem as a warning and writes them into the run card
(`run.consistency`); it does not fail on them. The tests fail on any.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from analysis.questions.plan import plan_invariant_problems
from analysis.questions.plan_campaigns import VIP_SERVICES, season_of
from analysis.questions.verdicts import VERDICTS, campaign_verdict
from analysis.report import paths
from analysis.report.page_text import groups, sentences, visible_texts
from analysis.report.rulebase import WIDE_RATIO, significant, wide
from analysis.report.rules_churn import churn_driver_label
from analysis.words.format import num, pct
from analysis.words.glossary import term


@dataclass(frozen=True)
class Problem:
    """One contradiction: what it is, where (section / plan row / sentence), the figure."""

    what: str
    where: str
    figure: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.what} at {self.where}: {self.detail} [{self.figure}]"

    def to_dict(self) -> dict:
        return asdict(self)


def _short(s: str, n: int = 90) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# ---------------------------------------------------------------------------
# campaigns and the plan's rows


def _campaigns(results: Mapping) -> dict[str, Mapping]:
    s = paths.section(dict(results), "campaigns") or {}
    return {k: v for k, v in s.items() if isinstance(v, Mapping) and v.get("design")}


def verdict_of(c: Mapping) -> str:
    v = c.get("verdict")
    return v if v in VERDICTS else campaign_verdict(c)


@dataclass(frozen=True)
class Row:
    """An action of plan.csv (with its campaign kind and tiers from the plan section's details)."""

    where: str
    campaigns: tuple[str, ...]
    holdout: float
    customers: float
    start: str | None
    end: str | None
    text: str = ""
    tiers: tuple[str, ...] = ()
    kind: str | None = None


EVIDENCE_CAMPAIGN = re.compile(
    r"campaigns\.([^;]+?)\.(?:balance_effect|profit_12m|profit_roi|business_roi|roi|verdict)"
)


def plan_rows(results: Mapping, plan: pd.DataFrame | None) -> list[Row]:
    """plan.csv's rows, each with the campaign kind and tiers the plan section's details give it."""
    if plan is None:
        return []
    sec = paths.section(dict(results), "plan") or {}
    details = sec.get("details") if isinstance(sec.get("details"), Mapping) else {}
    rows: list[Row] = []
    for i, r in plan.reset_index(drop=True).iterrows():
        ev = str(r.get("evidence") or "")
        d = details.get(str(r.get("action_id"))) or {}
        rows.append(
            Row(
                where=f"plan.csv row {i + 1} ({r.get('action_id', '')})",
                campaigns=tuple(dict.fromkeys(EVIDENCE_CAMPAIGN.findall(ev))),
                holdout=_float(r.get("holdout_share")),
                customers=_float(r.get("customers")),
                start=_str(r.get("start")),
                end=_str(r.get("end")),
                text=" ".join(str(x) for x in (r.get("action"), d.get("name")) if x),
                tiers=tuple(d.get("tiers") or ()),
                kind=d.get("kind"),
            )
        )
    return rows


def _float(v) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(f) else f


def _str(v) -> str | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


# ---------------------------------------------------------------------------
# the plan's invariants (RESULTS.md "plan"), as analysis.questions.plan states them


def plan_invariants(plan: pd.DataFrame, results: Mapping) -> list[Problem]:
    """Each breach `plan_invariant_problems` names, as a Problem at its plan.csv row."""
    rows = {str(a): i + 1 for i, a in enumerate(plan["action_id"])} if "action_id" in plan else {}
    out = []
    if not isinstance(results.get("plan"), Mapping):
        out.append(
            Problem(
                "plan section missing", "results.json plan", "plan", "plan.csv is written but results.json has no plan"
            )
        )
    for text in plan_invariant_problems(plan, results):
        aid, _, detail = text.partition(": ")
        if aid in rows:
            out.append(Problem("plan invariant", f"plan.csv row {rows[aid]} ({aid})", aid, detail))
        else:
            out.append(Problem("plan invariant", "results.json plan", "plan", text))
    return out


# ---------------------------------------------------------------------------
# the checks on rows and sentences

HOLDOUT = re.compile(r"对照|留出|holdout|hold back|held out|control group", re.IGNORECASE)
ROLLOUT = re.compile(
    r"全面推行|推广到|扩大|roll(?:s|ed)? (?:it )?out|scale(?:s|d)? up|extend(?:s|ed)? it|offer(?:ed)? widely",
    re.IGNORECASE,
)
NOT_ROLLOUT = re.compile(r"(先不|不要|暂不|不)扩大|do not scale|not scale|don't scale", re.IGNORECASE)
PROMISE = re.compile(
    r"下季度|下一轮|本季度|再做一轮|再测一轮|next quarter|next round|this quarter|again with", re.IGNORECASE
)
NOT_PLANNED = re.compile(r"暂不列入|不列入|未列入|not in next quarter's plan|is not in the plan", re.IGNORECASE)


def _ids_in(sentence: str, camps: Iterable[str]) -> list[str]:
    return [cid for cid in camps if re.search(rf"(?<![A-Za-z0-9_.-]){re.escape(cid)}(?![A-Za-z0-9_-])", sentence)]


def check_rollouts(results, rows, sents, **_) -> list[Problem]:
    """A campaign rolled out without a holdout whose verdict is not grow; a stopped one run again."""
    camps, out = _campaigns(results), []
    for r in rows:
        for cid in r.campaigns:
            c = camps.get(cid)
            if c is None or r.customers <= 0:
                continue
            v = verdict_of(c)
            if r.holdout == 0 and v != "grow":
                out.append(
                    Problem(
                        "rolled out without a holdout",
                        r.where,
                        f"campaigns.{cid}.verdict={v}",
                        "no holdout on a campaign whose verdict is not grow",
                    )
                )
            if v == "stop":
                out.append(
                    Problem(
                        "stopped campaign run again",
                        r.where,
                        f"campaigns.{cid}.verdict=stop",
                        "a campaign to stop is run",
                    )
                )
    for s in sents:
        if not ROLLOUT.search(s.text) or HOLDOUT.search(s.text) or NOT_ROLLOUT.search(s.text):
            continue
        for cid in _ids_in(s.text, camps):
            v = verdict_of(camps[cid])
            if v != "grow":
                out.append(
                    Problem(
                        "rolled out without a holdout", s.where, f"campaigns.{cid}.verdict={v}", f"“{_short(s.text)}”"
                    )
                )
    return out


def check_promises(results, rows, sents, **_) -> list[Problem]:
    """A finding promising a holdout next quarter that no plan row has."""
    camps, out = _campaigns(results), []
    held = {cid for r in rows if r.holdout > 0 and r.customers > 0 for cid in r.campaigns}
    for s in sents:
        if not (HOLDOUT.search(s.text) and PROMISE.search(s.text)) or NOT_PLANNED.search(s.text):
            continue
        for cid in _ids_in(s.text, camps):
            if cid not in held:
                out.append(
                    Problem(
                        "holdout promised, not planned",
                        s.where,
                        f"campaigns.{cid}",
                        f"“{_short(s.text)}”: no plan row runs it with a holdout",
                    )
                )
    return out


def months_between(start, end) -> set[int]:
    """The calendar months (1–12) from `start` to `end` (dates), both included."""
    a, b = pd.Timestamp(start), pd.Timestamp(end)
    return {p.month for p in pd.period_range(a, b, freq="M")} if a <= b else set()


def check_seasons(results, rows, names=None, **_) -> list[Problem]:
    """A seasonal event (the plan's festival table, `plan_campaigns.season_of`) scheduled out of its season."""
    camps, out = _campaigns(results), []
    names = names or {}
    for r in rows:
        if r.customers <= 0 or not r.start or not r.end:
            continue
        for cid in r.campaigns or ("",):
            c = camps.get(cid, {})
            text = " ".join(str(x) for x in (c.get("name"), names.get(cid), r.text) if x)
            season, months = season_of(text, str(c.get("kind") or r.kind or ""))
            if season and not set(months) & months_between(r.start, r.end):
                out.append(
                    Problem(
                        "out of season",
                        r.where,
                        f"{cid or r.text}: {season} months {months}, scheduled {r.start}…{r.end}",
                        f"a seasonal event ({names.get(cid) or c.get('name') or r.kind or r.text}) outside its season",
                    )
                )
    return out


def check_vip_retests(results, rows, page_groups=(), **_) -> list[Problem]:
    """A VIP tier offered or retested on a service its tier already has."""
    out = []
    for r in rows:
        for tier in r.tiers:
            if r.kind in VIP_SERVICES.get(tier, ()) and r.customers > 0:
                out.append(
                    Problem(
                        "VIP service retested",
                        r.where,
                        f"{tier}: {r.kind}",
                        "the tier already has this service as standing",
                    )
                )
    for where, title, lines in page_groups:
        for tier, services in VIP_SERVICES.items():
            if not any(title.strip() == term(tier, lang) for lang in ("zh", "en")):
                continue
            for line in lines:
                if not re.search(r"再测|试点|推行|test|pilot|offer", line, re.IGNORECASE) or re.search(
                    r"VIP服务|VIP services", line
                ):
                    continue
                for svc in services:
                    if any(
                        line.startswith(f"{term(svc, lang)}：") or line.startswith(f"{term(svc, lang)}:")
                        for lang in ("zh", "en")
                    ):
                        out.append(Problem("VIP service retested", where, f"{tier}: {svc}", f"“{_short(line)}”"))
    return out


NO_CONTACT = re.compile(r"不安排人工联系|no staff contact", re.IGNORECASE)
STAFF_CONTACT = re.compile(r"定期回访|上门|面谈|人工回访|revisit|home visit", re.IGNORECASE)


def check_instructions(results, rows, page_groups=(), **_) -> list[Problem]:
    """One customer group told both not to be contacted by staff and to be revisited."""
    out = []
    for where, title, lines in page_groups:
        text = "\n".join(lines)
        if NO_CONTACT.search(text) and STAFF_CONTACT.search(text):
            line = next(x for x in lines if NO_CONTACT.search(x) or STAFF_CONTACT.search(x))
            out.append(
                Problem(
                    "contradicting instructions",
                    where,
                    title.strip("*"),
                    f"no staff contact and staff revisits: “{_short(line)}”",
                )
            )
    return out


RETURN = re.compile(r"投资回报率|回报率|回报|回本|\bROI\b|\breturns?\b|return on investment", re.IGNORECASE)
VOLUME = re.compile(
    r"新增业务|存款\+理财增量|存款与理财增量|new business|extra deposits|of balances per|balances per CNY",
    re.IGNORECASE,
)
LABELLED = re.compile(r"非利润|not profit|不是利润|not a return|不是回报", re.IGNORECASE)


def volume_figures(results: Mapping) -> set[str]:
    """The volume figures as the report prints them: business_roi (two ways)."""
    out: set[str] = set()
    for c in _campaigns(results).values():
        v = c.get("business_roi", c.get("roi"))
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out |= {f"{v:,.2f}", num(v, 2), f"{v * 100:,.0f}%", pct(v, 0)}
    return {x for x in out if x not in ("0.00", "0%")}


def check_volume_returns(results, sents, **_) -> list[Problem]:
    """A sentence that calls business_roi or balances a return."""
    figs, out = volume_figures(results), []
    for s in sents:
        if not RETURN.search(s.text) or LABELLED.search(s.text):
            continue
        hit = VOLUME.search(s.text)
        fig = hit.group(0) if hit else next((f for f in figs if f in s.text), None)
        if fig:
            out.append(Problem("volume called a return", s.where, fig, f"“{_short(s.text)}”"))
    return out


CLEARLY = re.compile(r"明显|clearly", re.IGNORECASE)
RATIO_INTERVAL = re.compile(r"(?:区间|interval)\s*([0-9][0-9,.]*)\s*(?:至|to|–|-)\s*([0-9][0-9,.]*)", re.IGNORECASE)
RATIO_WORDS = re.compile(r"优势比|倍|odds|times", re.IGNORECASE)


def _wide_drivers(results: Mapping) -> dict[str, Mapping]:
    drivers = paths.get(dict(results), "churn.drivers") or {}
    return {k: d for k, d in drivers.items() if isinstance(d, Mapping) and wide(dict(d))}


def _labels(key: str) -> list[str]:
    out = []
    for lang in ("zh", "en"):
        out.append(churn_driver_label(key, lang))
        m = re.match(r"(segment|area)\[(.+)\]", key)
        if m:
            out.append(term(m.group(2), lang))
    return [x for x in out if x]


def check_clearly(results, sents, **_) -> list[Problem]:
    """'明显/clearly' about an odds ratio whose interval spans more than tenfold."""
    wides, out = _wide_drivers(results), []
    for s in sents:
        if not CLEARLY.search(s.text):
            continue
        for key, d in wides.items():
            if any(lab.lower() in s.text.lower() for lab in _labels(key)):
                out.append(
                    Problem(
                        "clearly on a wide interval",
                        s.where,
                        f"churn.drivers.{key}: {d.get('ci_low'):.2f}–{d.get('ci_high'):.2f}",
                        f"“{_short(s.text)}”",
                    )
                )
        if RATIO_WORDS.search(s.text):
            for lo, hi in RATIO_INTERVAL.findall(s.text):
                a, b = _num(lo), _num(hi)
                if a and b and a > 0 and b / a > WIDE_RATIO:
                    out.append(Problem("clearly on a wide interval", s.where, f"{lo} to {hi}", f"“{_short(s.text)}”"))
    return out


def _num(x: str) -> float | None:
    try:
        return float(x.replace(",", "").rstrip("."))
    except ValueError:
        return None


#: What recommending action on a churn driver reads like, and the words that say why despite no effect.
ACTIONS: dict[str, re.Pattern] = {
    "has_rm": re.compile(
        r"为[^。；]{0,24}(指定|配备|分配)[^。；]{0,6}客户经理|assign(?:s|ed)? (?:a )?relationship manager|"
        r"a dedicated relationship manager|customers without a manager one",
        re.IGNORECASE,
    ),
    "digital_active": re.compile(
        r"开通[^。；]{0,8}手机银行|辅导使用手机银行|"
        r"sign up[^.;]{0,40}mobile|coach[^.;]{0,30}mobile|onto mobile banking",
        re.IGNORECASE,
    ),
    "products_held": re.compile(r"交叉销售|多持有一类产品|cross-sell", re.IGNORECASE),
    "vip": re.compile(r"升级VIP|VIP升级|VIP upgrade|upgrade to VIP", re.IGNORECASE),
    "unresolved_complaint": re.compile(r"30天(内)?闭环|close every complaint within 30 days", re.IGNORECASE),
    "complaints_12m": re.compile(r"投诉[^。；]{0,12}根因|root cause", re.IGNORECASE),
    "balance_trend": re.compile(r"资产下降[^。；]{0,12}预警|预警信号|make a fall of[^.;]{0,30}alert", re.IGNORECASE),
}
WHY = re.compile(
    r"不是为了防止流失|而非防止流失|守住[^。；]{0,12}价值|以提高收入|为照看高价值客户|"
    r"not to stop them leaving|protect[^.;]{0,20}value|to raise the (revenue|profit)|"
    r"to look after high-value customers",
    re.IGNORECASE,
)


def check_no_effect(results, sents, **_) -> list[Problem]:
    """A recommendation acting on a churn driver whose odds ratio is not significant, without why."""
    drivers = paths.get(dict(results), "churn.drivers") or {}
    if not paths.section(dict(results), "churn"):
        return []
    out = []
    for key, pattern in ACTIONS.items():
        d = drivers.get(key)
        if not isinstance(d, Mapping) or significant(dict(d), 1.0):
            continue
        for s in sents:
            if pattern.search(s.text) and not WHY.search(s.text):
                out.append(
                    Problem(
                        "action on a factor with no effect",
                        s.where,
                        f"churn.drivers.{key}.p_value={d.get('p_value')}",
                        f"“{_short(s.text)}”",
                    )
                )
    return out


CHECKS = (
    check_rollouts,
    check_promises,
    check_seasons,
    check_vip_retests,
    check_instructions,
    check_volume_returns,
    check_clearly,
    check_no_effect,
)


def check(results: Mapping, plan: pd.DataFrame | None = None, page=None) -> list[Problem]:
    """Every contradiction between results.json, plan.csv and the composed briefing."""
    out: list[Problem] = []
    if plan is not None:
        out += plan_invariants(plan, results)
    rows = plan_rows(results, plan)
    sents = sentences(visible_texts(page))
    ctx = page.context if page is not None and hasattr(page, "context") else {}
    names = dict(ctx.get("campaign_names") or {})
    kw = dict(rows=rows, sents=sents, page_groups=groups(page), names=names)
    for c in CHECKS:
        out += c(results, **kw)
    seen, unique = set(), []
    for p in out:  # the same contradiction found by two routes is named once
        key = (p.what, p.where, p.figure)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique
