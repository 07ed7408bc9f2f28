"""The economics section's sentences (what a CNY of balances earns the
branch in a year), for the campaigns notebook and the briefing alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.words.format import interval, num, pct
from analysis.words.glossary import term
from analysis.words.lang import pick


def margin_words(margin: Mapping, lang: str) -> str:
    """ "0.0178元（1.78%，95%区间1.78%至1.79%）" / "CNY 0.0178 (1.78%, 95% interval 1.78% to 1.79%)"."""
    iv = interval(margin.get("ci_low"), margin.get("ci_high"), lang, fmt=lambda v: pct(v, 2))
    rate = pct(margin["estimate"], 2) + (pick(lang, f"，{iv}", f", {iv}") if iv else "")
    return pick(lang, f"{num(margin['estimate'], 4)}元（{rate}）", f"CNY {num(margin['estimate'], 4)} ({rate})")


def describe_economics(section: Any, lang: str = "zh") -> list[str]:
    """Sentences reading the branch's funds and loan margins (`section`: an
    `EconomicsSection` or the dict results.json holds)."""
    if hasattr(section, "to_dict"):
        section = section.to_dict()
    if not section or section.get("status") != "ok":
        reason = (section or {}).get("reason", "")
        return [
            pick(
                lang,
                f"未能估计资金年化净收益率（{reason}），因此活动的余额效应无法折算为利润。",
                f"The funds margin could not be estimated ({reason}), so campaigns' balance effects cannot be "
                "turned into profit.",
            )
        ]
    funds, loans = section["funds_margin"], section["loan_margin"]
    return [
        pick(
            lang,
            f"{term('funds margin', lang)}：按本网点{num(section['customers'])}名客户的利润与余额估计，"
            f"每元资金（存款+理财）每年净贡献{margin_words(funds, lang)}，"
            f"每元贷款每年净贡献{margin_words(loans, lang)}。"
            "活动带来的余额按此折算为年净贡献（利润）；余额与新增业务额只是规模，不是利润。",
            f"{term('funds margin', lang)}: from the profit and balances of the branch's {num(section['customers'])} "
            f"customers, each CNY of deposits and wealth earns {margin_words(funds, lang)} a year net, each CNY of "
            f"loans {margin_words(loans, lang)}. A campaign's added balances are turned into yearly net contribution "
            "(profit) at this rate; balances and new business are volume, not profit.",
        )
    ]
