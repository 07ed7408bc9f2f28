"""Why a section or a figure was not computed, in the edition's language.

The questions layer records a skip reason once, as the plain English sentence
results.json carries (`{"status": "skipped", "reason": …}`, RESULTS.md). The
briefing shows it to a manager: in Chinese it is worded in Chinese, in both
languages without table or column names, and with places and banks named as
the edition names them.

Each known reason is a pattern with its words in each language; a reason the
table does not know is shown as recorded (in Chinese with the note that the
detail is technical), never dropped.

    >>> reason_text("no surveys table: the satisfaction survey was not provided", "zh")
    '未提供满意度调查数据'
    >>> reason_text("the churn cohort has 12 customers; the driver model needs at least 50", "en")
    'the churn cohort has 12 customers; the driver model needs at least 50'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from analysis.words.lang import check_lang
from analysis.words.names import place_name

#: table names as a manager calls them
TABLES = {
    "market_share": ("市场份额数据", "the market share table"),
    "market_survey": ("市场调查数据", "the market survey"),
    "campaigns": ("活动数据", "the campaigns table"),
    "campaign_contacts": ("活动名单数据", "the campaign contact lists"),
    "surveys": ("满意度调查数据", "the satisfaction survey"),
}


def table_words(name: str, lang: str) -> str:
    """A table as a manager calls it."""
    zh, en = TABLES.get(name, (name, name))
    return zh if lang == "zh" else en


def unmatched_words(notes: str, lang: str) -> str:
    """`market_share has cities 乐山市, 眉山市 but not 眉山; …` in words."""
    parts = []
    for note in notes.split("; "):
        m = re.fullmatch(r"(?P<table>\w+) has cities (?P<cities>.+) but not (?P<city>.+)", note)
        if not m:
            parts.append(note)
            continue
        cities = [c.strip() for c in re.split(r",| and ", m["cities"]) if c.strip()]
        table, city = table_words(m["table"], lang), place_name(m["city"], lang)
        if lang == "zh":
            parts.append(f"{table}只有{'、'.join(cities)}的数据，没有“{city}”")
        else:
            shown = ", ".join(place_name(c, lang) if not c.endswith("more") else c for c in cities)
            parts.append(f"{table} covers {shown} but not {city}")
    return ("；" if lang == "zh" else "; ").join(parts)


Words = Callable[[re.Match, str], str]

#: (pattern over the whole recorded reason, its words in the edition's language)
PATTERNS: list[tuple[re.Pattern, Words]] = [
    (
        re.compile(r"no market data for (?P<city>.+?): neither market_share nor market_survey was provided"),
        lambda m, lang: (
            f"没有{place_name(m['city'], lang)}的市场数据：既未提供市场份额数据，也未提供市场调查数据"
            if lang == "zh"
            else f"no market data for {place_name(m['city'], lang)}: neither the market share table nor the "
            "market survey was provided"
        ),
    ),
    (
        re.compile(r"no market data for (?P<city>.+?): (?P<notes>.+)"),
        lambda m, lang: (
            f"没有{place_name(m['city'], lang)}的市场数据：{unmatched_words(m['notes'], lang)}"
            if lang == "zh"
            else f"no market data for {place_name(m['city'], lang)}: {unmatched_words(m['notes'], lang)}"
        ),
    ),
    (
        re.compile(r"no surveys table: the satisfaction survey was not provided"),
        lambda m, lang: "未提供满意度调查数据" if lang == "zh" else "the satisfaction survey was not provided",
    ),
    (
        re.compile(r"no survey responses dated in the (?P<n>\d+)-month window"),
        lambda m, lang: (
            f"近{m['n']}个月内没有满意度调查答卷"
            if lang == "zh"
            else f"no survey responses dated in the {m['n']}-month window"
        ),
    ),
    (
        re.compile(r"no customer has a snapshot in the (?P<n>\d+)-month window"),
        lambda m, lang: (
            f"近{m['n']}个月内没有任何客户的月度余额记录"
            if lang == "zh"
            else f"no customer has a monthly balance record in the {m['n']}-month window"
        ),
    ),
    (
        re.compile(r"no customer has an rm_id: relationship-manager coverage cannot be measured"),
        lambda m, lang: (
            "没有客户登记了客户经理，无法衡量客户经理覆盖"
            if lang == "zh"
            else "no customer has a relationship manager on record: coverage cannot be measured"
        ),
    ),
    (
        re.compile(
            r"no (?P<table>campaigns|campaign_contacts) table: the branch's VIP services and events cannot be "
            r"evaluated"
        ),
        lambda m, lang: (
            f"未提供{table_words(m['table'], lang)}，无法评估本网点的VIP服务和活动"
            if lang == "zh"
            else f"{table_words(m['table'], lang)} was not provided: the branch's VIP services and events cannot be "
            "evaluated"
        ),
    ),
    (
        re.compile(r"the churn cohort has (?P<n>\d+) customers; the driver model needs at least (?P<m>\d+)"),
        lambda m, lang: (
            f"流失分析的客户群只有{m['n']}位客户，流失因素模型至少需要{m['m']}位" if lang == "zh" else m.group(0)
        ),
    ),
    (
        re.compile(
            r"(?P<k>\d+) of the (?P<n>\d+) customers of the churn cohort churned in the window; "
            r"the driver model needs at least (?P<m>\d+) churners and \d+ stayers"
        ),
        lambda m, lang: (
            f"流失分析的{m['n']}位客户中有{m['k']}位流失；流失因素模型至少需要流失与留存客户各{m['m']}位"
            if lang == "zh"
            else m.group(0)
        ),
    ),
    (
        re.compile(
            r"the snapshots begin in (?P<first>[\d-]+), after month M−(?P<back>\d+) \((?P<month>[\d-]+)\): "
            r"the churn cohort needs (?P<need>\d+) months of data"
        ),
        lambda m, lang: (
            f"月度余额记录从{m['first']}开始，晚于{m['month']}：流失分析需要{m['need']}个月的数据"
            if lang == "zh"
            else f"the monthly balance records begin in {m['first']}, after {m['month']}: the churn analysis "
            f"needs {m['need']} months of data"
        ),
    ),
    (
        re.compile(r"the churn model cannot be estimated: .+"),
        lambda m, lang: "流失因素模型无法估计（模型拟合失败）" if lang == "zh" else m.group(0),
    ),
    (
        re.compile(r"(?P<n>\d+) customers with a snapshot in the window: the margins need at least (?P<m>\d+)"),
        lambda m, lang: (
            f"窗口内只有{m['n']}位客户有月度余额记录，估计利差至少需要{m['m']}位"
            if lang == "zh"
            else f"{m['n']} customers with a monthly balance record in the window: the margins need at least {m['m']}"
        ),
    ),
    (
        re.compile(r"funds and loans do not vary independently across customers.*"),
        lambda m, lang: (
            "客户之间的资金与贷款余额不能分开变化（例如没有客户有贷款），无法分别估计两者的利差"
            if lang == "zh"
            else m.group(0)
        ),
    ),
    (
        re.compile(r"no active customer in month M: there is nobody to plan for"),
        lambda m, lang: (
            "最近一个月没有活跃客户，无从制定计划"
            if lang == "zh"
            else "no active customer in the latest month: there is nobody to plan for"
        ),
    ),
    (
        re.compile(
            r"the branch's customers made no profit in total over the window \(revenue_12m sums to "
            r"(?P<total>[-\d,.]+) CNY\).*"
        ),
        lambda m, lang: (
            f"本网点客户在窗口内的收入合计不为正（{m['total']}元），占比没有意义"
            if lang == "zh"
            else f"the branch's customers made no profit in total over the window (revenue sums to "
            f"{m['total']} CNY): shares of a total that is not positive have no meaning"
        ),
    ),
    (
        re.compile(r"no churn scores given"),
        lambda m, lang: "没有流失风险评分" if lang == "zh" else "no attrition risk scores were available",
    ),
]


def reason_text(reason: str | None, lang: str = "zh") -> str:
    """The recorded skip `reason` as the edition's reader reads it (see the module docstring)."""
    check_lang(lang)
    text = (reason or "").strip()
    if not text:
        return "—"
    for pattern, words in PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return words(m, lang)
    return f"（技术原因）{text}" if lang == "zh" else text
