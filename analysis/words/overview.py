"""The branch at a glance in words (`analysis.questions.overview`).

`describe_overview(overview, lang)` is said by the overview notebook (from
`analyze(bank)`) and by the briefing's first section (from
`OverviewResult.from_results`): each sentence whose figures are known.
"""

from __future__ import annotations

import pandas as pd

from analysis.questions.overview import OverviewResult
from analysis.words.format import is_number, money, num, pct
from analysis.words.glossary import term
from analysis.words.lang import pick


def _change(x) -> str:
    """A relative change with its sign: +5.2% / −3.1%."""
    return ("+" if is_number(x) and x >= 0 else "") + pct(x)


def _where(o: OverviewResult, lang: str) -> str:
    name = o.branch_name or ""
    return name + (pick(lang, f"（{o.city}）", f" ({o.city})") if o.city else "")


def describe_overview(o: OverviewResult, lang: str = "zh") -> list[str]:
    """Sentences on the branch's customers, book, growth and market share."""
    out: list[str] = []
    date = f"{o.as_of:%Y-%m-%d}" if o.as_of is not None else ""
    if o.active_customers is not None:
        of_zh = f"（数据中共{num(o.customers)}名客户）" if o.customers is not None else ""
        of_en = f" (of {num(o.customers)} customers in its data)" if o.customers is not None else ""
        dep_zh = f"，存款余额{money(o.deposits, lang)}" if o.deposits is not None else ""
        dep_en = f" and deposits of {money(o.deposits, lang)}" if o.deposits is not None else ""
        out.append(
            pick(
                lang,
                f"{_where(o, lang)}截至{date}共有{num(o.active_customers)}名活跃客户{of_zh}{dep_zh}。",
                f"{_where(o, lang)} had {num(o.active_customers)} active customers{of_en}{dep_en} on {date}.",
            )
        )
    ch = o.change
    if ch:
        out.append(
            pick(
                lang,
                f"过去{o.window_months}个月，有余额记录的客户数变化{_change(ch['customers'])}，存款变化{_change(ch['deposits'])}，"
                f"理财资产变化{_change(ch['wealth_aum'])}，贷款变化{_change(ch['loans'])}。",
                f"Over the last {o.window_months} months customers with a balance changed by "
                f"{_change(ch['customers'])}, deposits by "
                f"{_change(ch['deposits'])}, wealth assets by {_change(ch['wealth_aum'])} and loans by "
                f"{_change(ch['loans'])}.",
            )
        )
    g, ng = o.revenue_growth_12m, o.net_customer_growth_12m
    if g is not None:
        s = pick(
            lang,
            f"近{o.window_months}个月利润比前{o.window_months}个月{'增长' if g >= 0 else '下降'}{pct(abs(g))}",
            f"Profit of the last {o.window_months} months is {pct(abs(g))} {'above' if g >= 0 else 'below'} "
            f"the {o.window_months} months before",
        )
        if ng is not None:
            s += pick(
                lang,
                f"，客户数净{'增加' if ng >= 0 else '减少'}{pct(abs(ng))}",
                f", and the customer base {'grew' if ng >= 0 else 'shrank'} by a net {pct(abs(ng))}",
            )
        out.append(s + pick(lang, "。", "."))
    rank, shares = o.deposit_rank, o.deposit_share or {}
    if rank is not None:
        city = o.city or pick(lang, "本市", "the city")
        own, leader = shares[o.home_bank], o.deposit_leader
        s = pick(
            lang,
            f"在{city}的{len(shares)}家银行中，本行存款份额{pct(own)}，排第{rank}位",
            f"Among {len(shares)} banks in {city}, the bank holds {pct(own)} of deposits, ranking {rank}",
        )
        if leader != o.home_bank:
            s += pick(
                lang, f"；{leader}居首（{pct(shares[leader])}）。", f"; {leader} leads with {pct(shares[leader])}."
            )
        else:
            s += pick(lang, "，居首位。", ", the largest.")
        out.append(s)
    return out


def book_title(o: OverviewResult, lang: str = "zh") -> str:
    """A manager's sentence on where deposits went over the last year."""
    ch = o.change.get("deposits")
    if ch is None:
        return pick(lang, "存款、理财与贷款余额", "Deposits, wealth and loans")
    return pick(
        lang,
        f"过去{o.window_months}个月存款{'增长' if ch >= 0 else '下降'}{pct(abs(ch), 0)}",
        f"Deposits {'grew' if ch >= 0 else 'fell'} {pct(abs(ch), 0)} over the last {o.window_months} months",
    )


def mix_table(mix: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A `customer_mix` table for display: numeric, rows and columns in the
    reader's words; `attrs["formats"]` holds the display formats."""
    customers, share = pick(lang, "客户数", "Customers"), pick(lang, "占比", "Share")
    out = mix.rename(columns={"customers": customers, "share": share})
    out.index = [term(str(k), lang) for k in mix.index]
    out.attrs["formats"] = {customers: "{:,}", share: "{:.1%}"}
    return out
