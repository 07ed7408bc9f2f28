"""The contract's tables named as a manager reads them ("月度余额快照" /
"monthly balance snapshots"), for source lines and the run card: visible
text never prints a table or file name."""

from __future__ import annotations

from analysis.words.lang import pick

#: table of the data contract → (zh, en) name of the source
SOURCES: dict[str, tuple[str, str]] = {
    "branches": ("网点名录", "branch list"),
    "customers": ("客户资料", "customer records"),
    "monthly_snapshots": ("月度余额快照", "monthly balance snapshots"),
    "transactions": ("交易流水", "transactions"),
    "interactions": ("服务与投诉记录", "service and complaint records"),
    "surveys": ("客户满意度调查", "customer satisfaction surveys"),
    "market_survey": ("市场调查", "market survey"),
    "market_share": ("市场份额数据", "market share data"),
    "campaigns": ("营销活动清单", "campaign list"),
    "campaign_contacts": ("活动邀约记录", "campaign contact records"),
    "relationship_managers": ("客户经理名录", "relationship manager list"),
}


def source_name(table: str, lang: str = "zh") -> str:
    """The table's name in words; an unknown table keeps its own name."""
    zh, en = SOURCES.get(table, (table, table))
    return pick(lang, zh, en)
