"""The branch at a glance: its book over time and its customer mix.

Opens the briefing (DESIGN.md: "the branch's situation and competition").
"""

from __future__ import annotations

import pandas as pd

from analysis.data.bank import Bank
from analysis.data.cohorts import active_customer_ids
from analysis.words.glossary import term
from analysis.figures.style import source_caption


def monthly_book(bank: Bank) -> pd.DataFrame:
    """Per month: customers with a snapshot, and total deposits, loans,
    wealth AUM and revenue (CNY)."""
    s = bank.monthly_snapshots
    g = s.groupby("month")
    return pd.DataFrame(
        {
            "customers": g["customer_id"].nunique(),
            "deposits": g["deposit_balance"].sum(),
            "loans": g["loan_balance"].sum(),
            "wealth_aum": g["wealth_aum"].sum(),
            "revenue": g["revenue"].sum(),
        }
    )


def customer_mix(bank: Bank, by: str, lang: str = "zh") -> pd.DataFrame:
    """Active customers by `by` (segment, area or vip_tier): count and share."""
    active = active_customer_ids(bank)
    c = bank.customers[bank.customers["customer_id"].isin(active)]
    counts = c[by].value_counts().reindex(c[by].cat.categories, fill_value=0)
    out = pd.DataFrame({"customers": counts, "share": counts / max(len(c), 1)})
    out.index = [term(str(k), lang) for k in out.index]
    return out


def book_change(book: pd.DataFrame, months: int = 12) -> dict:
    """Change of each total over the last `months` months, as a ratio − 1."""
    if len(book) <= months:
        return {}
    last, before = book.iloc[-1], book.iloc[-1 - months]
    return {
        c: (last[c] / before[c] - 1) if before[c] else None for c in ("customers", "deposits", "loans", "wealth_aum")
    }


def describe_overview(bank: Bank, book: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Sentences on the branch's book, read off its numbers."""
    b = bank.branch
    ch = book_change(book)
    last = book.iloc[-1]
    dep = last["deposits"] / (1e8 if lang == "zh" else 1e6)
    if lang == "zh":
        out = [
            f"{b['branch_name']}（{b['city']}）截至{bank.timeframe.as_of:%Y年%m月%d日}共有{len(active_customer_ids(bank)):,}名活跃客户，存款余额{dep:,.2f}亿元。"
        ]
        if ch:
            out.append(
                f"过去12个月，有余额记录的客户数变化{ch['customers']:+.1%}，存款变化{ch['deposits']:+.1%}，"
                f"理财资产变化{ch['wealth_aum']:+.1%}，贷款变化{ch['loans']:+.1%}。"
            )
    else:
        out = [
            f"{b['branch_name']} ({b['city']}) had {len(active_customer_ids(bank)):,} active customers and deposits of CNY {dep:,.1f} million on {bank.timeframe.as_of:%d %B %Y}."
        ]
        if ch:
            out.append(
                f"Over the last 12 months customers with a balance changed by {ch['customers']:+.1%}, deposits by "
                f"{ch['deposits']:+.1%}, wealth assets by {ch['wealth_aum']:+.1%} and loans by {ch['loans']:+.1%}."
            )
    return out


def book_title(book: pd.DataFrame, lang: str = "zh") -> str:
    """A manager's sentence on where deposits went over the last year."""
    ch = book_change(book).get("deposits")
    if ch is None:
        return "存款、理财与贷款余额" if lang == "zh" else "Deposits, wealth and loans"
    if lang == "zh":
        return f"过去12个月存款{'增长' if ch >= 0 else '下降'}{abs(ch):.0%}"
    return f"Deposits {'grew' if ch >= 0 else 'fell'} {abs(ch):.0%} over the last 12 months"


def caption(bank: Bank, lang: str = "zh", tables: str = "monthly_snapshots") -> str:
    """Source line of the book figure: tables, branch, as-of, n = the branch's customers."""
    return source_caption(bank, tables, len(bank.customers), lang, "customers")
