"""Recommendation rules on campaigns: one per verdict (grow, keep, test, stop;
the campaign's own `verdict` in results.json, else `analysis.questions.verdicts`),
and keep a holdout.

A return is profit: a campaign's return is its `profit_12m` (yearly net
contribution, with its interval) and `profit_roi`; `business_roi` (schema 1:
`roi`) is new business volume per CNY of cost and is called so, never a
return. A recommendation says a campaign is rerun with a holdout next quarter
only when the plan in results.json does so (`planned_holdout`).
"""

from __future__ import annotations

from analysis.questions.verdicts import VERDICTS, campaign_verdict
from analysis.report import paths, stakes
from analysis.report.rulebase import CLEAR, MAY, Evidence, Rule, significant
from analysis.words import campaigns as words
from analysis.words.lang import pick

# --- campaigns ---------------------------------------------------------------


def campaign_name(cid: str, c: dict, lang: str, names: dict | None = None) -> str:
    """A campaign as a reader knows it (`words.campaign_label`): its name, else its kind (else its id)."""
    return words.campaign_label(cid, lang, c.get("name") or (names or {}).get(cid), c.get("kind"))


def verdict_of(c: dict) -> str:
    """The campaign's verdict: its own (schema 2), else the suite's rule on its figures."""
    v = c.get("verdict")
    return v if v in VERDICTS else campaign_verdict(c)


def volume_per_cny(c: dict) -> float | None:
    """`business_roi` (schema 2), or `roi` (schema 1): new business volume per CNY, not profit."""
    v = c.get("business_roi", c.get("roi"))
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def volume_path(cid: str, c: dict) -> str:
    return paths.join("campaigns", cid, "business_roi" if "business_roi" in c else "roi")


def planned_holdout(results: dict, cid: str) -> bool | None:
    """Whether next quarter's plan runs `cid` with a holdout: True / False,
    None when results.json holds no plan. Reads the `plan` section's actions
    (the rows of plan.csv) whose evidence names the campaign."""
    plan = paths.section(results, "plan")
    rows = plan.get("actions") if plan else None
    if isinstance(rows, list):
        mine = [r for r in rows if isinstance(r, dict) and f"campaigns.{cid}." in f"{r.get('evidence') or ''};"]
        return any((r.get("holdout_share") or 0) > 0 for r in mine)
    return None


def holdout_promise(results: dict, cid: str, name: str, lang: str) -> str:
    """What the briefing may say about rerunning `cid` with a holdout: the plan's
    row when there is one, else the rule for any rerun."""
    if planned_holdout(results, cid):
        return pick(
            lang,
            f"下季度计划中{name}带随机对照组再做一轮（见行动计划）",
            f"next quarter's plan runs {name} again with a random holdout (see the action plan)",
        )
    return pick(
        lang,
        f"{name}暂不列入下季度计划；今后再办，须随机保留对照组",
        f"{name} is not in next quarter's plan; whenever it runs again, it keeps a random holdout",
    )


def _campaigns(ctx) -> dict:
    s = paths.section(ctx.results, "campaigns") or {}
    return {k: v for k, v in s.items() if isinstance(v, dict) and v.get("design")}


def _profit_evidence(ctx, highlight: str) -> Evidence | None:
    """Randomized campaigns' yearly profit (profit_12m) with its interval."""
    lang = ctx.lang
    camps = {k: stakes.campaign_profit(ctx.results, v) for k, v in _campaigns(ctx).items()}
    camps = {k: p for k, p in camps.items() if p and isinstance(p.get("estimate"), (int, float))}
    if highlight not in camps:
        return None
    return Evidence(
        title=pick(lang, "各活动一年净贡献（利润，元）", "Yearly net contribution of each campaign (profit, CNY)"),
        labels=tuple(camps),
        values=tuple(p["estimate"] for p in camps.values()),
        lows=tuple(p.get("ci_low") for p in camps.values()),
        highs=tuple(p.get("ci_high") for p in camps.values()),
        highlight=list(camps).index(highlight),
        reference=0.0,
        unit="number",
    )


def _effect(cid: str) -> str:
    return paths.join("campaigns", cid, "balance_effect", "estimate")


def _profit_path(cid: str, c: dict) -> str:
    return paths.join("campaigns", cid, "profit_12m", "estimate")


class VerdictRule(Rule):
    """One recommendation for each randomized campaign whose verdict is
    `verdict`. `texts` gives its wording, stake and what it cites, or None to
    stay silent."""

    section = "campaigns"
    figure_hints = ("campaigns_randomized", "campaigns_roi")
    verdict = ""

    def fire(self, ctx):
        out = []
        for cid, c in _campaigns(ctx).items():
            if c["design"] != "randomized" or verdict_of(c) != self.verdict:
                continue
            name = campaign_name(cid, c, ctx.lang, ctx.campaign_names)
            said = words.verdict_advice(self.verdict, ctx.lang, name, c)  # headline and finding
            profit = stakes.campaign_profit(ctx.results, c)
            t = self.texts(ctx, cid, c, name, profit, stakes.campaign_cost(c, profit))
            if t is not None and said is not None:
                t.update(headline=said["headline"], finding=said["finding"])
                out.append(self.make(ctx, rid=f"{self.id}.{cid}", evidence=_profit_evidence(ctx, cid), **t))
        return out

    def texts(self, ctx, cid: str, c: dict, name: str, profit: dict | None, cost: float | None) -> dict | None:
        raise NotImplementedError

    def cited(self, cid: str, c: dict, profit: dict | None) -> list[str]:
        """The figures the finding quotes besides the effect: its profit, return and volume."""
        out = [_profit_path(cid, c)] if profit else []
        if isinstance(c.get("profit_roi"), (int, float)):
            out.append(paths.join("campaigns", cid, "profit_roi"))
        if volume_per_cny(c) is not None:
            out.append(volume_path(cid, c))
        return out


class CampaignScaleUp(VerdictRule):
    """Verdict grow: the effect is proven against a random holdout and its profit covers its cost."""

    id = "campaigns.scale_up"
    verdict = "grow"

    def texts(self, ctx, cid, c, name, profit, cost):
        lang = ctx.lang
        cited = self.cited(cid, c, profit)
        how = pick(
            lang,
            f"{name}按上次规模再办一轮的一年净贡献",
            f"the yearly profit of running {name} again at its last scale",
        )
        stake = stakes.from_estimate(profit, how)
        conf = CLEAR
        if profit and cost is not None and isinstance(profit.get("ci_low"), (int, float)):
            conf = CLEAR if profit["ci_low"] > cost else MAY
        elif not significant(c.get("balance_effect"), 0.0):
            conf = MAY
        keep = (
            pick(
                lang,
                "，并按计划继续随机保留一小部分对照组核实效果",
                ", keeping a small random holdout as the plan sets out",
            )
            if planned_holdout(ctx.results, cid)
            else ""
        )
        return dict(
            cites=_effect(cid),
            stake=stake,
            confidence=conf,
            supporting=cited,
            recommendation=pick(
                lang,
                f"下一轮推广到同类客户{keep}。",  # the headline names the campaign: "扩大X：" said once
                f"Extend it to similar customers next round{keep}.",
            ),
        )


class CampaignPayBack(VerdictRule):
    """Verdict keep (randomized): the effect is proven but it does not pay back its cost in profit."""

    id = "campaigns.pay_back"
    verdict = "keep"

    def texts(self, ctx, cid, c, name, profit, cost):
        lang = ctx.lang
        if not isinstance(c.get("balance_effect"), dict):
            return None
        cited = self.cited(cid, c, profit)
        stake = None
        if profit and cost is not None:
            how = pick(
                lang,
                f"{name}每办一轮成本超出一年净贡献的部分",
                f"what each run of {name} costs beyond the yearly profit it adds",
            )
            stake = stakes.from_estimate(profit, how, shift=cost, sign=-1.0)
        conf = CLEAR if stake is not None and stake.low is not None and stake.low > 0 else MAY
        return dict(
            cites=_effect(cid),
            stake=stake,
            confidence=conf,
            supporting=cited,
            recommendation=pick(
                lang,
                f"保持{name}，但降低单客成本或只面向响应更高的客户：{holdout_promise(ctx.results, cid, name, lang)}。",
                f"Keep {name}, but cut its cost per customer or aim it at customers who respond: "
                f"{holdout_promise(ctx.results, cid, name, lang)}.",
            ),
        )


class CampaignStop(VerdictRule):
    """Verdict stop: no positive effect against a random holdout."""

    id = "campaigns.stop"
    verdict = "stop"

    def texts(self, ctx, cid, c, name, profit, cost):
        lang = ctx.lang
        cited = self.cited(cid, c, profit)
        stake = None
        if profit and cost is not None:
            how = pick(
                lang,
                f"停办{name}省下的成本减去它一年的净贡献",
                f"the cost saved by stopping {name}, less the yearly profit it adds",
            )
            stake = stakes.from_estimate(profit, how, shift=cost, sign=-1.0)
        return dict(
            cites=_effect(cid),
            stake=stake,
            confidence=CLEAR,
            supporting=cited,
            recommendation=pick(
                lang,
                f"停办{name}；如要重新设计，缩小到响应更高的客户群、降低单客成本，先用随机对照小规模测试。",
                f"Stop {name}; any redesign is narrowed to customers who respond, costs less per customer, and is "
                "tested small with a random holdout first.",
            ),
        )


class CampaignUnproven(VerdictRule):
    """Verdict test: positive on paper but not proven (or not measured)."""

    id = "campaigns.unproven"
    verdict = "test"

    def texts(self, ctx, cid, c, name, profit, cost):
        lang = ctx.lang
        if not isinstance(c.get("balance_effect"), dict):
            return None
        cited = self.cited(cid, c, profit)
        how = pick(lang, f"{name}若效果属实，一年的净贡献", f"the yearly profit of {name} if its effect is real")
        return dict(
            cites=_effect(cid),
            stake=stakes.from_estimate(profit, how),
            confidence=MAY,
            supporting=cited,
            recommendation=pick(
                lang,
                f"先不扩大{name}：{holdout_promise(ctx.results, cid, name, lang)}，效果确认后再推广。",
                f"Do not scale up {name} yet: {holdout_promise(ctx.results, cid, name, lang)}; roll it out once the "
                "effect is confirmed.",
            ),
        )


class TargetedWithoutHoldout(Rule):
    """A targeted campaign judged by a naive comparison: ask for a holdout."""

    id = "campaigns.holdout"
    section = "campaigns"
    figure_hints = ("campaigns_targeted", "campaigns_balance_")

    def fire(self, ctx):
        camps = {
            k: v
            for k, v in _campaigns(ctx).items()
            if v["design"] == "targeted" and isinstance(v.get("naive_balance_difference"), (int, float))
        }
        if not camps:
            return []
        cid = max(camps, key=lambda k: abs(camps[k]["naive_balance_difference"]))
        c, lang = camps[cid], ctx.lang
        naive = c["naive_balance_difference"]
        name = campaign_name(cid, c, lang, ctx.campaign_names)
        adj = c.get("balance_effect") if isinstance(c.get("balance_effect"), dict) else None
        profit = stakes.campaign_profit(ctx.results, c)
        how = pick(
            lang,
            f"{name}调整后效果对应的一年净贡献，没有对照组无法证实",
            f"the yearly profit {name}'s adjusted effect implies, which no holdout confirms",
        )
        return [
            self.make(
                ctx,
                rid=f"{self.id}.{cid}",
                cites=paths.join("campaigns", cid, "naive_balance_difference"),
                stake=stakes.from_estimate(profit, how),
                confidence=MAY,
                supporting=[paths.join("campaigns", cid, "balance_effect", "estimate")],
                **words.holdout_advice(lang, name, naive, adj),
            )
        ]
