"""Recommendation rules on the competition: deposit share, rating gaps, where leavers go."""

from __future__ import annotations

import math

from analysis.report import paths, stakes
from analysis.report.rulebase import (
    ATTRIBUTE_ACTIONS,
    CLEAR,
    MAY,
    Evidence,
    Rule,
    Stake,
    attr_label,
    attribute_action,
    significant,
)
from analysis.words.format import money, num, pct, pp
from analysis.words.glossary import in_sentence
from analysis.words.lang import pick

# --- competitors -------------------------------------------------------------


class DepositShareFalling(Rule):
    id = "competitors.deposit_share"
    section = "competitors"
    figure_hints = ("competitors_head_to_head", "competitors_deposit_share", "competitors_share")

    def __init__(self, threshold: float = 0.0):
        self.threshold = threshold

    def stake(self, ctx, share: float | None, c: float) -> tuple[Stake | None, str]:
        """The deposits the branch would hold had it kept its share × its funds margin."""
        deposits = paths.number(ctx.results, "overview.deposits")
        m = stakes.margin(ctx.results, "funds_margin")
        if deposits is None or not share:
            return None, CLEAR
        lost = deposits * (-c) / share
        lang = ctx.lang
        how = pick(
            lang,
            f"份额不降时本行多出的约{money(lost, lang)}存款 × 每元资金一年的净贡献"
            + (f"{m['estimate'] * 100:.2f}%" if m else ""),
            f"the about {money(lost, lang)} of deposits the branch would hold at last year's share × the yearly net "
            "contribution per CNY of funds" + (f" ({m['estimate'] * 100:.2f}%)" if m else ""),
        )
        st = stakes.balance_stake(ctx.results, lost, "funds_margin", how)
        return st, CLEAR if m is None or significant(m, 0.0) else MAY

    def fire(self, ctx):
        home = ctx.home_bank
        change = paths.get(ctx.results, "competitors.deposit_share_change_4q") or {}
        if not home or not isinstance(change.get(home), (int, float)) or change[home] >= self.threshold:
            return []
        lang, c = ctx.lang, change[home]
        share = paths.number(ctx.results, paths.join("competitors", "deposit_share", home))
        others = {b: v for b, v in change.items() if b != home and isinstance(v, (int, float))}
        gainer = max(others, key=others.get) if others else None
        city = ctx.city or pick(lang, "本市", "the city")
        now = pick(lang, f"为{pct(share)}，", f" is {pct(share)},") if share is not None else pick(lang, "", "")
        tail = ""
        if gainer and others[gainer] > 0:
            tail = pick(
                lang,
                f"同期{gainer}上升{pp(others[gainer], lang)}。",
                f" Over the same year {gainer} gained {pp(others[gainer], lang)}.",
            )
        target = gainer if gainer and others[gainer] > 0 else None
        rec = (
            pick(
                lang,
                f"把{target}作为主要对手：比较其吸引客户的产品和价格，对存款可能流向{target}的客户群制定挽留和回流方案，按季度跟踪存款份额。",
                f"Treat {target} as the main rival: compare the products and prices that draw customers to it, plan to "
                "keep and win back the customers whose deposits could go there, and track deposit share every "
                "quarter.",
            )
            if target
            else pick(
                lang,
                "逐季跟踪存款份额，对存款下降最快的客户群制定挽留方案。",
                "Track deposit share every quarter and plan to keep the customer groups whose deposits fall fastest.",
            )
        )
        stake, conf = self.stake(ctx, share, c)
        return [
            self.make(
                ctx,
                cites=paths.join("competitors", "deposit_share_change_4q", home),
                stake=stake,
                confidence=conf,
                supporting=[paths.join("competitors", "deposit_share", home)]
                + ([paths.join("competitors", "deposit_share_change_4q", target)] if target else []),
                headline=pick(lang, "存款份额在流失", "Deposit share is slipping"),
                finding=pick(
                    lang,
                    f"本行在{city}的存款份额{now}一年内下降{pp(c, lang)}。",
                    f"The bank's deposit share in {city}{now} down {pp(c, lang)} in a year.",
                )
                + tail,
                recommendation=rec,
                evidence=Evidence(
                    title=pick(lang, "一年来存款份额的变化（百分点）", "Change in deposit share over a year (pp)"),
                    labels=tuple(change),
                    values=tuple(change.values()),
                    highlight=list(change).index(home),
                    reference=0.0,
                    unit="pp",
                ),
            )
        ]


class CompetitorGap(Rule):
    """Where the bank trails the best competitor on what customers choose by."""

    id = "competitors.attribute_gap"
    section = "competitors"
    figure_hints = ("competitors_gap_table", "competitors_perceptual_map", "competitors_choice_drivers")

    def __init__(self, threshold: float = 0.3):
        self.threshold = threshold

    def fire(self, ctx):
        home = ctx.home_bank
        means = paths.get(ctx.results, "competitors.attribute_means") or {}
        choice = paths.get(ctx.results, "competitors.choice_drivers") or {}
        if not home or home not in means or len(means) < 2:
            return []
        best: dict[str, tuple[str, float, float]] = {}
        for a in ATTRIBUTE_ACTIONS:
            ours = means[home].get(a)
            rivals = {b: m.get(a) for b, m in means.items() if b != home and isinstance(m.get(a), (int, float))}
            if not isinstance(ours, (int, float)) or not rivals:
                continue
            b = max(rivals, key=rivals.get)
            gap = rivals[b] - ours
            pull = (
                1.0
                if not choice
                else max(0.0, (choice.get(a) or {}).get("estimate", 0.0) if isinstance(choice.get(a), dict) else 0.0)
            )
            if gap > self.threshold and pull > 0:
                best[a] = (b, gap, gap * pull)
        if not best:
            return []
        a = max(best, key=lambda k: best[k][2])
        rival, gap, _ = best[a]
        lang = ctx.lang
        ours, theirs = means[home][a], means[rival][a]
        d = choice.get(a) if isinstance(choice.get(a), dict) else None
        why = (
            pick(
                lang,
                f"客户选择主办银行时看重{attr_label(a, lang)}：该项评分每高1分，被选为主办银行的几率增至"
                f"{math.exp(d['estimate']):.2f}倍。",
                f"Customers choose their main bank by {in_sentence(attr_label(a, lang))}: each rating point multiplies "
                f"the odds of being chosen by {math.exp(d['estimate']):.2f}. ",
            )
            if d
            else ""
        )
        return [
            self.make(
                ctx,
                cites=paths.join("competitors", "attribute_means", home, a),
                stake=None,
                supporting=[
                    paths.join("competitors", "attribute_means", rival, a),
                    paths.join("competitors", "choice_drivers", a, "estimate"),
                ],
                headline=pick(
                    lang, f"{attr_label(a, lang)}落后于{rival}", f"Behind {rival} on {in_sentence(attr_label(a, lang))}"
                ),
                finding=why
                + pick(
                    lang,
                    f"本行在该项的评分为{ours:.2f}，落后于{rival}的{theirs:.2f}（7分制）。",
                    f"The bank scores {ours:.2f} on it, behind {rival} at {theirs:.2f} (out of 7).",
                ),
                recommendation=pick(lang, f"以{rival}为标杆，", f"Benchmark against {rival} and ")
                + attribute_action(a, lang)
                + pick(lang, "。", "."),
                evidence=Evidence(
                    title=pick(
                        lang,
                        f"各银行{attr_label(a, lang)}评分（7分制）",
                        f"{attr_label(a, lang)}: rating by bank (out of 7)",
                    ),
                    labels=tuple(means),
                    values=tuple(means[b].get(a, float("nan")) for b in means),
                    highlight=list(means).index(home),
                    unit="points",
                ),
            )
        ]


class SwitchingDestination(Rule):
    id = "competitors.switching"
    section = "competitors"
    figure_hints = ("competitors_switching", "churn_destinations")

    def __init__(self, threshold: float = 0.3, min_customers: int = 10):
        self.threshold, self.min_customers = threshold, min_customers

    def fire(self, ctx):
        dest = paths.get(ctx.results, "competitors.switching_destinations") or {}
        dest = {b: v for b, v in dest.items() if isinstance(v, (int, float))}
        total = sum(dest.values())
        if total < self.min_customers:
            return []
        bank = max(dest, key=dest.get)
        share = dest[bank] / total
        if share < self.threshold:
            return []
        lang = ctx.lang
        gone = paths.get(ctx.results, "overview.leavers")
        stake = None
        if isinstance(gone, dict) and gone.get("customers"):
            per = float(gone["revenue_year"]) / float(gone["customers"])
            stake = Stake(
                dest[bank] * per,
                how=pick(
                    lang,
                    f"转投{bank}的{num(dest[bank])}名客户 × 流失客户离开前一年的平均利润{money(per, lang)}",
                    f"the {num(dest[bank])} who went to {bank} × a leaver's average yearly profit before leaving "
                    f"({money(per, lang)})",
                ),
            )
        return [
            self.make(
                ctx,
                cites=paths.join("competitors", "switching_destinations", bank),
                stake=stake,
                headline=pick(lang, f"流失客户多去了{bank}", f"Leavers go to {bank}"),
                finding=pick(
                    lang,
                    f"近12个月销户并转投他行的{num(total)}名客户中，{num(dest[bank])}名（{pct(share, 0)}）去了{bank}。",
                    f"Of the {num(total)} customers who left for another bank in the last 12 months, {num(dest[bank])} "
                    f"({pct(share, 0)}) went to {bank}.",
                ),
                recommendation=pick(
                    lang,
                    f"访谈转投{bank}的客户，找出对方吸引他们的产品或价格，对同类在行客户提前挽留。",
                    f"Interview customers who moved to {bank}, find the product or price that drew them, and reach "
                    "similar customers before they go.",
                ),
                evidence=Evidence(
                    title=pick(lang, "销户客户转投的银行（人）", "Where leavers went (customers)"),
                    labels=tuple(dest),
                    values=tuple(dest.values()),
                    highlight=list(dest).index(bank),
                    unit="number",
                ),
            )
        ]
