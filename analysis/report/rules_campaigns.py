"""Recommendation rules on campaigns: one per verdict of `analysis.verdicts`
(scale up, make it pay back, stop, keep testing), and keep a holdout."""

from __future__ import annotations

from analysis.words.glossary import term
from analysis.report import paths
from analysis.words.i18n import money, pick
from analysis.questions.verdicts import campaign_verdict
from analysis.report.rulebase import Evidence, Rule, _cap, _money_interval

# --- campaigns ---------------------------------------------------------------

KIND_TERMS = {"year_end_gala": "year-end gala"}


def campaign_name(cid: str, c: dict, lang: str, names: dict | None = None) -> str:
    """A campaign as a reader knows it: its name, else its kind, with its id."""
    name = c.get("name") or (names or {}).get(cid)
    if not name and c.get("kind"):
        key = KIND_TERMS.get(c["kind"], str(c["kind"]).replace("_", " "))
        try:
            name = term(key, lang)
        except KeyError:
            name = None
    if name:
        return pick(lang, f"“{name}”（{cid}）", f"{name} ({cid})")
    return cid


def _campaigns(ctx) -> dict:
    s = paths.section(ctx.results, "campaigns") or {}
    return {k: v for k, v in s.items() if isinstance(v, dict) and v.get("design")}


def _roi_evidence(ctx, highlight: str) -> Evidence | None:
    camps = {k: v for k, v in _campaigns(ctx).items() if isinstance(v.get("roi"), (int, float))}
    if highlight not in camps:
        return None
    lang = ctx.lang
    return Evidence(
        title=pick(lang, "随机对照活动的投资回报率", "Return on investment of randomized campaigns"),
        labels=tuple(camps),
        values=tuple(v["roi"] for v in camps.values()),
        highlight=list(camps).index(highlight),
        reference=0.0,
        unit="pct",
    )


def _roi_text(roi: float, lang: str) -> str:
    return pick(
        lang,
        f"投资回报率为{roi * 100:,.0f}%（每投入1元，净回报{roi:,.2f}元）",
        f"a return on investment of {roi * 100:,.0f}% (CNY {roi:,.2f} net per yuan spent)",
    )


def _balance_text(c: dict, lang: str) -> str:
    be = c["balance_effect"]
    return pick(
        lang,
        f"接触客户的资产比对照组多增加{money(be['estimate'], lang)}{_money_interval(be, lang)}",
        f"contacted customers' balances grew {money(be['estimate'], lang)} more than the holdout's{_money_interval(be, lang)}",
    )


def _roi(cid: str) -> str:
    return paths.join("campaigns", cid, "roi")


def _effect(cid: str) -> str:
    return paths.join("campaigns", cid, "balance_effect", "estimate")


class VerdictRule(Rule):
    """One recommendation for each randomized campaign whose verdict
    (`analysis.verdicts`, the campaigns notebook's own rule) is `verdict`.
    `texts` gives its wording and what it cites, or None to stay silent."""

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
            t = self.texts(ctx.lang, cid, c, campaign_name(cid, c, ctx.lang, ctx.campaign_names))
            if t is not None:
                out.append(
                    self.make(ctx, rid=f"{self.id}.{cid}", span=self.span, evidence=_roi_evidence(ctx, cid), **t)
                )
        return out

    def texts(self, lang: str, cid: str, c: dict, name: str) -> dict | None:
        raise NotImplementedError


class CampaignScaleUp(VerdictRule):
    """Verdict grow: the effect is proven against a random holdout and it pays back."""

    id = "campaigns.scale_up"
    verdict = "grow"
    weight = 0.6

    def __init__(self, span: float = 5.0):
        super().__init__(span)

    def texts(self, lang, cid, c, name):
        roi = c["roi"]
        return dict(
            cites=_roi(cid),
            distance=roi,
            supporting=[_effect(cid)],
            headline=pick(lang, f"扩大{name}", f"Scale up {name}"),
            finding=pick(
                lang,
                f"随机对照活动{name}{_roi_text(roi, lang)}，且效果经对照组证实：{_balance_text(c, lang)}。",
                f"The randomized campaign {name} had {_roi_text(roi, lang)}, and the holdout proves it: {_balance_text(c, lang)}.",
            ),
            recommendation=pick(
                lang,
                f"扩大{name}：下一轮推广到同类客户，同时继续随机保留一小部分对照组核实效果。",
                f"Scale up {name}: extend it to similar customers next round, keeping a small random holdout to confirm the effect.",
            ),
        )


class CampaignPayBack(VerdictRule):
    """Verdict keep (randomized): the effect is proven but the new business does not cover the cost."""

    id = "campaigns.pay_back"
    verdict = "keep"
    weight = 0.4

    def __init__(self, span: float = 1.0):
        super().__init__(span)

    def texts(self, lang, cid, c, name):
        roi = c.get("roi")
        if not isinstance(roi, (int, float)):
            return None
        return dict(
            cites=_roi(cid),
            distance=min(-roi, self.span),
            supporting=[_effect(cid)],
            headline=pick(lang, f"{name}有效但不划算", f"{_cap(name)} works but does not pay back"),
            finding=pick(
                lang,
                f"随机对照活动{name}效果已证实（{_balance_text(c, lang)}），但{_roi_text(roi, lang)}：带来的新增业务不抵成本。",
                f"The randomized campaign {name} works ({_balance_text(c, lang)}), but had {_roi_text(roi, lang)}: the new business it brings does not cover its cost.",
            ),
            recommendation=pick(
                lang,
                f"保留{name}，但降低单客成本或只面向响应更高的客户，改版后继续随机保留对照组核算回报。",
                f"Keep {name}, but cut its cost per customer or aim it at customers who respond, keeping a random holdout to price the new version.",
            ),
        )


class CampaignStop(VerdictRule):
    """Verdict stop: no positive effect against a random holdout."""

    id = "campaigns.stop"
    verdict = "stop"
    weight = 0.5

    def __init__(self, span: float = 1.0):
        super().__init__(span)

    def texts(self, lang, cid, c, name):
        roi = c.get("roi")
        cost = (
            pick(lang, f"，投资回报率为{roi * 100:,.0f}%", f", and it returned {roi * 100:,.0f}% on its cost")
            if isinstance(roi, (int, float))
            else ""
        )
        return dict(
            cites=_effect(cid),
            distance=self.span,
            supporting=[_roi(cid)],
            headline=pick(lang, f"{name}没有效果", f"{_cap(name)} shows no effect"),
            finding=pick(
                lang,
                f"随机对照活动{name}没有带来正面效果：{_balance_text(c, lang)}{cost}。",
                f"The randomized campaign {name} brought no positive effect: {_balance_text(c, lang)}{cost}.",
            ),
            recommendation=pick(
                lang,
                f"停止或重新设计{name}：缩小到响应更高的客户群、降低单客成本，改版后先用随机对照小规模测试。",
                f"Stop or redesign {name}: narrow it to customers who respond, cut the cost per customer, and test the new version small, with a random holdout.",
            ),
        )


class CampaignUnproven(VerdictRule):
    """Verdict test: positive on paper but not proven (or not measured)."""

    id = "campaigns.unproven"
    verdict = "test"
    weight = 0.3

    def __init__(self, span: float = 5.0):
        super().__init__(span)

    def texts(self, lang, cid, c, name):
        if not isinstance(c.get("balance_effect"), dict):
            return None
        roi = c.get("roi")
        has_roi = isinstance(roi, (int, float))
        paper = (
            pick(lang, f"账面{_roi_text(roi, lang)}，", f"shows {_roi_text(roi, lang)} on paper, ") if has_roi else ""
        )
        return dict(
            cites=_effect(cid),
            distance=min(roi, self.span) if has_roi and roi > 0 else 0.5 * self.span,
            supporting=[_roi(cid)],
            headline=pick(lang, f"{name}效果待证实", f"{_cap(name)}: effect not yet proven"),
            finding=pick(
                lang,
                f"随机对照活动{name}{paper}但{_balance_text(c, lang)}，区间包含0，效果尚不能确认。",
                f"The randomized campaign {name} {paper}but {_balance_text(c, lang)}, an interval that includes zero, so the effect is not yet proven.",
            ),
            recommendation=pick(
                lang,
                f"先不扩大{name}：加大样本再测一轮并保留随机对照组，效果确认后再推广。",
                f"Do not scale up {name} yet: run it again on more customers with a random holdout, and roll it out once the effect is confirmed.",
            ),
        )


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
        name = campaign_name(cid, c, lang, ctx.campaign_names)
        adj = c.get("balance_effect") if isinstance(c.get("balance_effect"), dict) else None
        if adj and isinstance(adj.get("estimate"), (int, float)):
            est = adj["estimate"]
            distance = abs(naive - est) / max(abs(naive), 1.0)
            ci = _money_interval(adj, lang)
            adjusted = pick(
                lang,
                f"；按参与者与其他客户的差异调整后，效果为{money(est, lang)}{ci}。简单对比把效果高估了",
                f"; adjusted for how participants differ from other customers, the effect is {money(est, lang)}{ci}. The naive comparison overstates it",
            )
        else:
            distance = 0.5 * self.span
            adjusted = pick(
                lang,
                "，但参与者本来就是挑选出来的客户，这个差距不能当作活动的效果",
                ", but participants were picked, so the gap cannot be read as the campaign's effect",
            )
        return [
            self.make(
                ctx,
                rid=f"{self.id}.{cid}",
                cites=paths.join("campaigns", cid, "naive_balance_difference"),
                distance=distance,
                span=self.span,
                supporting=[paths.join("campaigns", cid, "balance_effect", "estimate")],
                headline=pick(lang, "活动效果需要对照组来证明", "Campaigns need a holdout to prove their worth"),
                finding=pick(
                    lang,
                    f"定向活动{name}的参与者资产变化比其他客户多{money(naive, lang)}{adjusted}。",
                    f"Participants in the targeted campaign {name} grew their balances {money(naive, lang)} more than other customers{adjusted}.",
                ),
                recommendation=pick(
                    lang,
                    "今后每项活动都随机保留10%–20%的目标客户暂不接触作为对照组，才能算出真实回报，再决定扩大还是停止。",
                    "From now on, hold back a random 10–20% of each campaign's target customers as a control group, so that the true return is known before deciding to scale up or stop.",
                ),
            )
        ]
