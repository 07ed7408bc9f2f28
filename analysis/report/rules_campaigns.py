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


def _roi_evidence(ctx, highlight: str) -> Evidence | None:
    camps = {k: v for k, v in _campaigns(ctx).items() if isinstance(v.get("roi"), (int, float))}
    if highlight not in camps:
        return None
    return Evidence(
        title=words.roi_chart_title(ctx.lang),
        labels=tuple(camps),
        values=tuple(v["roi"] for v in camps.values()),
        highlight=list(camps).index(highlight),
        reference=0.0,
        unit="pct",
    )


def _roi(cid: str) -> str:
    return paths.join("campaigns", cid, "roi")


def _effect(cid: str) -> str:
    return paths.join("campaigns", cid, "balance_effect", "estimate")


class VerdictRule(Rule):
    """One recommendation for each randomized campaign whose verdict
    (`analysis.questions.verdicts`, the campaigns notebook's own rule) is
    `verdict`. `scoring` gives what it cites and how far past its threshold
    it is; `words.verdict_advice` its words (None: stay silent)."""

    section = "campaigns"
    figure_hints = ("campaigns_randomized", "campaigns_roi")
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
                    evidence=_roi_evidence(ctx, cid),
                    **self.scoring(cid, c),
                    **texts,
                )
            )
        return out

    def scoring(self, cid: str, c: dict) -> dict:
        raise NotImplementedError


class CampaignScaleUp(VerdictRule):
    """Verdict grow: the effect is proven against a random holdout and it pays back."""

    id = "campaigns.scale_up"
    verdict = "grow"
    weight = 0.6

    def __init__(self, span: float = 5.0):
        super().__init__(span)

    def scoring(self, cid, c):
        return dict(cites=_roi(cid), distance=c["roi"], supporting=[_effect(cid)])


class CampaignPayBack(VerdictRule):
    """Verdict keep (randomized): the effect is proven but the new business does not cover the cost."""

    id = "campaigns.pay_back"
    verdict = "keep"
    weight = 0.4

    def __init__(self, span: float = 1.0):
        super().__init__(span)

    def scoring(self, cid, c):
        return dict(cites=_roi(cid), distance=min(-c["roi"], self.span), supporting=[_effect(cid)])


class CampaignStop(VerdictRule):
    """Verdict stop: no positive effect against a random holdout."""

    id = "campaigns.stop"
    verdict = "stop"
    weight = 0.5

    def __init__(self, span: float = 1.0):
        super().__init__(span)

    def scoring(self, cid, c):
        return dict(cites=_effect(cid), distance=self.span, supporting=[_roi(cid)])


class CampaignUnproven(VerdictRule):
    """Verdict test: positive on paper but not proven (or not measured)."""

    id = "campaigns.unproven"
    verdict = "test"
    weight = 0.3

    def __init__(self, span: float = 5.0):
        super().__init__(span)

    def scoring(self, cid, c):
        roi = c.get("roi")
        has_roi = isinstance(roi, (int, float))
        distance = min(roi, self.span) if has_roi and roi > 0 else 0.5 * self.span
        return dict(cites=_effect(cid), distance=distance, supporting=[_roi(cid)])


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
