"""Does the advice obey its own evidence? Every contradiction between
results.json, plan.csv and the composed briefing, named.

    problems = check(results, plan, page)    # plan: plan.csv as a DataFrame, or None
    for p in problems: print(p)              # what, where, the figure

`page` is the composed briefing (`briefing.compose(...)`); every visible
string of it is read (findings, section prose and lists, tables, method
notes), sentence by sentence. The plan is plan.csv (schema 2) when given,
else the tier plans of results.json (`plans`). What is checked:

- the plan's invariants of RESULTS.md (`plan_invariant_problems` of
  `analysis.questions.plan` when that module is there, else `plan_invariants`
  below: the one place they are written here), and `plan` in results.json
  = the sums of plan.csv;
- a campaign rolled out without a holdout (a plan row, or a sentence that
  scales it up and names no holdout) whose verdict is not `grow`; a
  campaign whose verdict is `stop` run again;
- a finding promising a holdout next quarter that no plan row has;
- a seasonal event scheduled out of its season (`analysis.questions.seasons`);
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
from dataclasses import asdict, dataclass
from typing import Iterable, Mapping

import pandas as pd

from analysis.questions.seasons import in_season, season_of
from analysis.questions.verdicts import VERDICTS, campaign_verdict
from analysis.report import paths
from analysis.report.rulebase import WIDE_RATIO, significant, wide
from analysis.report.rules_churn import churn_driver_label
from analysis.words.format import money, num, pct
from analysis.words.glossary import term
from analysis.report.page_text import groups, sentences, visible_texts

try:  # the plan engineer's invariants, when the module is on this checkout
    from analysis.questions.plan import plan_invariant_problems as _plan_invariants_of_plan
except ImportError:  # pragma: no cover - depends on the checkout
    _plan_invariants_of_plan = None
try:  # standing services of each VIP tier (the seed's VIP service system)
    from analysis.questions.plans import VIP_SERVICES
except ImportError:  # pragma: no cover - depends on the checkout
    VIP_SERVICES = {}


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
    """An action of the plan that contacts customers (plan.csv, or a tier plan's offer)."""

    where: str
    campaigns: tuple[str, ...]
    holdout: float
    customers: float
    start: str | None
    end: str | None
    text: str = ""
    tier: str | None = None
    kind: str | None = None


EVIDENCE_CAMPAIGN = re.compile(
    r"campaigns\.([^;]+?)\.(?:balance_effect|profit_12m|profit_roi|business_roi|roi|verdict)"
)


def plan_rows(results: Mapping, plan: pd.DataFrame | None) -> list[Row]:
    """The plan's actions: plan.csv's rows, else the offers of results.json's tier plans."""
    rows: list[Row] = []
    if plan is not None:
        for i, r in plan.reset_index(drop=True).iterrows():
            ev = str(r.get("evidence") or "")
            cids = tuple(dict.fromkeys(EVIDENCE_CAMPAIGN.findall(ev)))
            rows.append(
                Row(
                    where=f"plan.csv row {i + 1} ({r.get('action_id', '')})",
                    campaigns=cids,
                    holdout=_float(r.get("holdout_share")),
                    customers=_float(r.get("customers")),
                    start=_str(r.get("start")),
                    end=_str(r.get("end")),
                    text=str(r.get("action") or ""),
                )
            )
        return rows
    sec = paths.section(dict(results), "plans") or {}
    period = sec.get("period") or {}
    for tier, p in (sec.get("tiers") or {}).items():
        for j, o in enumerate(p.get("offers") or []):
            if o.get("action") == "stop":
                continue
            rows.append(
                Row(
                    where=f"plans.tiers.{tier}.offers[{j}] ({o.get('kind')}: {o.get('action')})",
                    campaigns=tuple(o.get("campaigns") or ()),
                    holdout=_float(o.get("holdout")),
                    customers=_float(o.get("invitations")),
                    start=period.get("start"),
                    end=period.get("end"),
                    tier=tier,
                    kind=o.get("kind"),
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
# the plan's invariants (RESULTS.md "plan"): written here once, used only when
# analysis.questions.plan does not bring its own


def next_quarter(as_of: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the quarter after `as_of`'s."""
    q = pd.Timestamp(as_of).to_period("Q") + 1
    return q.start_time.normalize(), q.end_time.normalize()


def plan_invariants(plan: pd.DataFrame, results: Mapping) -> list[Problem]:
    """RESULTS.md's invariants of plan.csv, each broken one a Problem."""
    out: list[Problem] = []
    camps = _campaigns(results)
    first, last = next_quarter(str(results.get("as_of"))) if results.get("as_of") else (None, None)
    for i, r in plan.reset_index(drop=True).iterrows():
        where = f"plan.csv row {i + 1} ({r.get('action_id', '')})"
        for p in [x for x in str(r.get("evidence") or "").split(";") if x.strip()]:
            if not paths.exists(dict(results), p.strip()):
                out.append(
                    Problem(
                        "plan evidence missing", where, p.strip(), "an evidence path does not resolve in results.json"
                    )
                )
        try:
            start, end = pd.Timestamp(r.get("start")), pd.Timestamp(r.get("end"))
        except (TypeError, ValueError):
            start = end = None
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            out.append(
                Problem("plan dates", where, f"start={r.get('start')}, end={r.get('end')}", "start or end missing")
            )
        else:
            if start > end:
                out.append(
                    Problem("plan dates", where, f"start={start:%Y-%m-%d} > end={end:%Y-%m-%d}", "start after end")
                )
            if first is not None and not (first <= start <= last and first <= end <= last):
                out.append(
                    Problem(
                        "plan dates",
                        where,
                        f"{start:%Y-%m-%d}…{end:%Y-%m-%d}",
                        f"outside the quarter after as_of ({first:%Y-%m-%d}…{last:%Y-%m-%d})",
                    )
                )
        cost = r.get("cost")
        if _float(cost) < 0:
            out.append(Problem("plan cost", where, f"cost={cost}", "cost below 0"))
        p, lo, hi = (r.get(k) for k in ("profit_12m", "profit_ci_low", "profit_ci_high"))
        if all(isinstance(x, (int, float)) and not math.isnan(x) for x in (p, lo, hi)) and not lo <= p <= hi:
            out.append(Problem("plan profit interval", where, f"{lo} ≤ {p} ≤ {hi}", "profit_12m outside its interval"))
        h = r.get("holdout_share")
        if not (isinstance(h, (int, float)) and 0 <= h < 1):
            out.append(Problem("plan holdout share", where, f"holdout_share={h}", "holdout_share not in [0, 1)"))
        cids = dict.fromkeys(EVIDENCE_CAMPAIGN.findall(str(r.get("evidence") or "")))
        for cid in cids:
            c = camps.get(cid)
            if c is None:
                continue
            v = verdict_of(c)
            if _float(r.get("customers")) > 0 and _float(h) == 0 and v != "grow":
                out.append(
                    Problem(
                        "rolled out without a holdout",
                        where,
                        f"campaigns.{cid}.verdict={v}",
                        "contacts customers with holdout_share 0 on a campaign whose verdict is not grow",
                    )
                )
            if v == "stop" and _float(r.get("customers")) > 0:
                out.append(
                    Problem(
                        "stopped campaign run again",
                        where,
                        f"campaigns.{cid}.verdict=stop",
                        "a campaign to stop is run",
                    )
                )
    return out


def _plan_invariant_check(plan: pd.DataFrame, results: Mapping) -> list[Problem]:
    if _plan_invariants_of_plan is None:
        return plan_invariants(plan, results)
    out = []
    for p in _plan_invariants_of_plan(plan, results) or []:
        if isinstance(p, Problem):
            out.append(p)
        else:
            out.append(
                Problem(
                    str(getattr(p, "what", "plan invariant")),
                    str(getattr(p, "where", "plan.csv")),
                    str(getattr(p, "figure", "")),
                    str(getattr(p, "detail", p)),
                )
            )
    return out


def plan_sums(plan: pd.DataFrame, results: Mapping) -> list[Problem]:
    """`plan` in results.json = the rows of plan.csv and their sums."""
    sec = results.get("plan")
    if not isinstance(sec, Mapping):
        return [
            Problem(
                "plan section missing", "results.json plan", "plan", "plan.csv is written but results.json has no plan"
            )
        ]
    out = []
    actions = sec.get("actions")
    n = len(actions) if isinstance(actions, list) else actions
    if n != len(plan):
        out.append(
            Problem("plan sums", "results.json plan.actions", f"{n} ≠ {len(plan)} rows", "actions ≠ rows of plan.csv")
        )
    for key, col in (("cost", "cost"), ("profit_12m", "profit_12m")):
        want = float(pd.to_numeric(plan[col], errors="coerce").fillna(0).sum()) if col in plan else 0.0
        got = sec.get(key)
        if not isinstance(got, (int, float)) or not math.isclose(got, want, rel_tol=1e-6, abs_tol=0.5):
            out.append(
                Problem(
                    "plan sums",
                    f"results.json plan.{key}",
                    f"{got} ≠ {want}",
                    f"plan.{key} ≠ the sum of plan.csv's {col}",
                )
            )
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


def check_seasons(results, rows, names=None, **_) -> list[Problem]:
    """A seasonal event scheduled out of its season."""
    camps, out = _campaigns(results), []
    names = names or {}
    for r in rows:
        if r.customers <= 0 or not r.start or not r.end:
            continue
        for cid in r.campaigns or ("",):
            c = camps.get(cid, {})
            months = season_of(
                " ".join(str(x) for x in (c.get("name"), names.get(cid), r.text) if x), c.get("kind") or r.kind
            )
            if not in_season(months, r.start, r.end):
                out.append(
                    Problem(
                        "out of season",
                        r.where,
                        f"{cid or r.text}: months {months}, scheduled {r.start}…{r.end}",
                        f"a seasonal event ({names.get(cid) or c.get('name') or r.kind or r.text}) outside its season",
                    )
                )
    return out


def check_vip_retests(results, rows, page_groups=(), **_) -> list[Problem]:
    """A VIP tier offered or retested on a service its tier already has."""
    out = []
    for r in rows:
        if r.tier in VIP_SERVICES and r.kind in VIP_SERVICES[r.tier] and r.customers > 0:
            out.append(
                Problem(
                    "VIP service retested",
                    r.where,
                    f"{r.tier}: {r.kind}",
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
    sec = paths.section(dict(results), "plans") or {}
    for tier, p in (sec.get("tiers") or {}).items():
        r = p.get("contact_rhythm") or {}
        if r.get("contacts_per_quarter") == 0 and (r.get("revisits_at_risk") or 0) > 0:
            out.append(
                Problem(
                    "contradicting instructions",
                    f"plans.tiers.{tier}.contact_rhythm",
                    f"contacts_per_quarter=0, revisits_at_risk={r.get('revisits_at_risk')}",
                    "no staff contact, yet revisits",
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
    """The volume figures as the report prints them: business_roi (two ways), the plans' balance returns."""
    out: set[str] = set()
    for c in _campaigns(results).values():
        v = c.get("business_roi", c.get("roi"))
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out |= {f"{v:,.2f}", num(v, 2), f"{v * 100:,.0f}%", pct(v, 0)}
    sec = paths.section(dict(results), "plans") or {}
    ests = [(sec.get("total") or {}).get("expected_return")]
    ests += [p.get("expected_return") for p in (sec.get("tiers") or {}).values()]
    ests += [o.get("expected_return") for p in (sec.get("tiers") or {}).values() for o in p.get("offers") or []]
    for e in ests:
        if isinstance(e, Mapping) and isinstance(e.get("estimate"), (int, float)):
            out |= {money(e["estimate"], "zh"), money(e["estimate"], "en")}
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
        r"为[^。；]{0,24}(指定|配备|分配)[^。；]{0,6}客户经理|assign(?:s|ed)? (?:a )?relationship manager|a dedicated relationship manager|customers without a manager one",
        re.IGNORECASE,
    ),
    "digital_active": re.compile(
        r"开通[^。；]{0,8}手机银行|辅导使用手机银行|sign up[^.;]{0,40}mobile|coach[^.;]{0,30}mobile|onto mobile banking",
        re.IGNORECASE,
    ),
    "products_held": re.compile(r"交叉销售|多持有一类产品|cross-sell", re.IGNORECASE),
    "vip": re.compile(r"升级VIP|VIP升级|VIP upgrade|upgrade to VIP", re.IGNORECASE),
    "unresolved_complaint": re.compile(r"30天(内)?闭环|close every complaint within 30 days", re.IGNORECASE),
    "complaints_12m": re.compile(r"投诉[^。；]{0,12}根因|root cause", re.IGNORECASE),
    "balance_trend": re.compile(r"资产下降[^。；]{0,12}预警|预警信号|make a fall of[^.;]{0,30}alert", re.IGNORECASE),
}
WHY = re.compile(
    r"不是为了防止流失|而非防止流失|守住[^。；]{0,12}价值|以提高收入|"
    r"not to stop them leaving|protect[^.;]{0,20}value|to raise the revenue",
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
        out += _plan_invariant_check(plan, results)
        out += plan_sums(plan, results)
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
