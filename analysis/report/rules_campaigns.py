"""Recommendation rules on campaigns: one per verdict of
`analysis.questions.verdicts` (scale up, make it pay back, stop, keep
testing), and keep a holdout. Which rule fires, what it cites and how it
scores is decided here; its words come from `analysis.words.campaigns`."""

from __future__ import annotations

from analysis.questions.verdicts import campaign_verdict
from analysis.report import paths
from analysis.report.rulebase import Evidence, Rule
from analysis.words import campaigns as words


def campaign_name(cid: str, c: dict, lang: str, names: dict | None = None) -> str:
    """A campaign as a reader knows it (`words.campaign_label`): its name, else its kind, with its id."""
    return words.campaign_label(cid, lang, c.get("name") or (names or {}).get(cid), c.get("kind"))


def _campaigns(ctx) -> dict:
    s = paths.section(ctx.results, "campaigns") or {}
    return {k: v for k, v in s.items() if isinstance(v, dict) and v.get("design")}


def _return_evidence(ctx, highlight: str) -> Evidence | None:
    """The randomized campaigns' returns in profit (profit_roi), this one highlighted."""
    camps = {
        k: v
        for k, v in _campaigns(ctx).items()
        if v["design"] == "randomized" and isinstance(v.get("profit_roi"), (int, float))
    }
    if highlight not in camps:
        return None
    return Evidence(
        title=words.profit_roi_chart_title(ctx.lang),
        labels=tuple(camps),
        values=tuple(v["profit_roi"] for v in camps.values()),
        highlight=list(camps).index(highlight),
        reference=0.0,
        unit="pct",
    )


def _return(cid: str) -> str:
    return paths.join("campaigns", cid, "profit_roi")


def _profit_roi(c: dict) -> float | None:
    r = c.get("profit_roi")
    return r if isinstance(r, (int, float)) and not isinstance(r, bool) else None


def _effect(cid: str) -> str:
    return paths.join("campaigns", cid, "balance_effect", "estimate")


class VerdictRule(Rule):
    """One recommendation for each randomized campaign whose verdict
    (`analysis.questions.verdicts`, the campaigns notebook's own rule) is
    `verdict`. `scoring` gives what it cites and how far past its threshold
    it is; `words.verdict_advice` its words (None: stay silent)."""

    section = "campaigns"
    figure_hints = ("campaigns_profit", "campaigns_randomized")
    verdict = ""

    def __init__(self, span: float):
        self.span = span

    def fire(self, ctx):
        out = []
        for cid, c in _campaigns(ctx).items():
            if c["design"] != "randomized" or campaign_verdict(c) != self.verdict:
                continue
            texts = words.verdict_advice(self.verdict, ctx.lang, campaign_name(cid, c, ctx.lang, ctx.campaign_names), c)
            if texts is None:
                continue
            out.append(
                self.make(
                    ctx,
                    rid=f"{self.id}.{cid}",
                    span=self.span,
                    evidence=_return_evidence(ctx, cid),
                    **self.scoring(cid, c),
                    **texts,
                )
            )
        return out

    def scoring(self, cid: str, c: dict) -> dict:
        raise NotImplementedError


class CampaignScaleUp(VerdictRule):
    """Verdict grow: the effect is proven against a random holdout and it pays back in profit."""

    id = "campaigns.scale_up"
    verdict = "grow"
    weight = 0.6

    def __init__(self, span: float = 5.0):
        super().__init__(span)

    def scoring(self, cid, c):
        return {"cites": _return(cid), "distance": c["profit_roi"], "supporting": [_effect(cid)]}


class CampaignPayBack(VerdictRule):
    """Verdict keep (randomized): the effect is proven but its profit does not (yet) cover the cost."""

    id = "campaigns.pay_back"
    verdict = "keep"
    weight = 0.4

    def __init__(self, span: float = 1.0):
        super().__init__(span)

    def scoring(self, cid, c):
        r = _profit_roi(c)
        if r is None:  # no funds margin: the effect is what it rests on
            return {"cites": _effect(cid), "distance": 0.5 * self.span, "supporting": []}
        return {"cites": _return(cid), "distance": min(max(-r, 0.0), self.span), "supporting": [_effect(cid)]}


class CampaignStop(VerdictRule):
    """Verdict stop: the evidence rules out an effect that would pay back."""

    id = "campaigns.stop"
    verdict = "stop"
    weight = 0.5

    def __init__(self, span: float = 1.0):
        super().__init__(span)

    def scoring(self, cid, c):
        profit = c.get("profit_12m")
        if isinstance(profit, dict) and isinstance(profit.get("ci_high"), (int, float)):
            # what rules it out: even the upper end of its profit stays below its cost
            high = paths.join("campaigns", cid, "profit_12m", "ci_high")
            return {"cites": high, "distance": self.span, "supporting": [_effect(cid), _return(cid)]}
        return {"cites": _effect(cid), "distance": self.span, "supporting": []}


class CampaignUnproven(VerdictRule):
    """Verdict test: not proven either way (or not estimable): test it again, randomized."""

    id = "campaigns.unproven"
    verdict = "test"
    weight = 0.3

    def __init__(self, span: float = 5.0):
        super().__init__(span)

    def scoring(self, cid, c):
        r = _profit_roi(c)
        distance = min(r, self.span) if r is not None and r > 0 else 0.5 * self.span
        return {"cites": _effect(cid), "distance": distance, "supporting": [_return(cid)] if r is not None else []}


class TargetedWithoutHoldout(Rule):
    """A targeted campaign judged by a naive comparison: ask for a holdout."""

    id = "campaigns.holdout"
    section = "campaigns"
    weight = 0.4
    figure_hints = ("campaigns_targeted", "campaigns_balance_")

    def __init__(self, span: float = 1.0):
        self.span = span

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
        adj = c.get("balance_effect") if isinstance(c.get("balance_effect"), dict) else None
        if adj and isinstance(adj.get("estimate"), (int, float)):
            distance = abs(naive - adj["estimate"]) / max(abs(naive), 1.0)
        else:
            adj, distance = None, 0.5 * self.span
        return [
            self.make(
                ctx,
                rid=f"{self.id}.{cid}",
                cites=paths.join("campaigns", cid, "naive_balance_difference"),
                distance=distance,
                span=self.span,
                supporting=[paths.join("campaigns", cid, "balance_effect", "estimate")],
                **words.holdout_advice(lang, campaign_name(cid, c, lang, ctx.campaign_names), naive, adj),
            )
        ]
