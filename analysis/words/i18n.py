"""The words of the briefing, the deck and the index, in Chinese and English.

Terms of the glossary come from `analysis.glossary.term`; this module holds
only the report's own words (headings, labels, notes) and the number formats
a manager reads: shares in %, changes in percentage points, money in 万元 or
thousand CNY, ratios as "2.2倍" / "2.2 times".
"""

from __future__ import annotations

from analysis.words import campaigns
from analysis.words.format import join, money, num, pct, pp, times  # noqa: F401  (the report's number words)
from analysis.words.glossary import term
from analysis.words.lang import pick

#: key → (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    # cover and structure
    "briefing": ("战略简报", "Strategy briefing"),
    "as_of": ("数据截至", "Data as of"),
    "generated": ("生成于", "Generated"),
    "customers": ("客户数", "Customers"),
    "active_customers": ("活跃客户", "Active customers"),
    "scorecard": ("QVSRS记分卡", "QVSRS scorecard"),
    "scorecard_note": (
        "QVSRS：服务品质(Q)、顾客价值(V)、满意度(S)、长期关系(R)、可持续绩效(S)。",
        "QVSRS: quality (Q), value (V), satisfaction (S), relationship (R), sustainability (S).",
    ),
    "top_findings": ("最重要的五项发现", "The five findings that matter most"),
    "top_findings_n": ("最重要的{n}项发现", "The {n} findings that matter most"),
    "no_findings": ("本期数据未触发任何建议规则。", "No recommendation rule fired on this period's figures."),
    "recommendation": ("建议", "Recommendation"),
    "based_on": ("依据", "Based on"),
    "see_section": ("见", "see"),
    "priority": ("优先级", "Priority"),
    "priority_high": ("高", "High"),
    "priority_medium": ("中", "Medium"),
    "priority_low": ("低", "Low"),
    "contents": ("目录", "Contents"),
    "figure": ("图", "Figure"),
    "table": ("表", "Table"),
    "section_missing": ("本节无结果：相应分析未运行。", "No results for this section: its analysis did not run."),
    "section_skipped": ("本节未能计算：{reason}", "Not computed: {reason}"),
    "all_recommendations": ("全部建议（按涉及利润排序）", "All recommendations (by profit at stake)"),
    "score": ("涉及利润（每年）", "Profit at stake (a year)"),
    "other_figures": ("其他图表", "Other figures"),
    "more_rows": ("（另有{n}行未列出，见 tables/{file}）", "({n} more rows in tables/{file})"),
    # sections
    "sec_overview": ("网点概况与竞争态势", "The branch and its market"),
    "sec_value": ("顾客价值：谁创造了利润", "Customer value: who makes the profit"),
    "sec_churn": ("客户流失：谁在离开、为什么", "Attrition: who leaves and why"),
    "sec_satisfaction": ("满意度与QVSRS", "Satisfaction and QVSRS"),
    "sec_competitors": ("竞争对手：本行的位置", "Competitors: where the bank stands"),
    "sec_campaigns": ("VIP服务与营销活动的回报", "What VIP services and campaigns return"),
    "sec_plan": ("下季度行动计划与客户经理", "Next quarter's plan and the relationship managers"),
    # the first page's decisions (the plan's top rows)
    "decisions_title": ("下季度的决定（{start}至{end}）", "Decisions for next quarter ({start} to {end})"),
    "decisions_budget": ("计划总预算{cost}，上限{limit}。", "The plan's budget: {cost}, within a limit of {limit}."),
    "decision_action": ("行动", "Action"),
    "decision_when": ("时间", "When"),
    "decision_cost": ("成本", "Cost"),
    "decision_profit": ("预计年净贡献（95%区间）", "Expected yearly net contribution (95% interval)"),
    "sec_runcard": ("运行说明与方法", "Run card and method notes"),
    # run card
    "run_card": (term("run card", "zh"), term("run card", "en")),
    "fingerprint": ("数据指纹", "Data fingerprint"),
    "parameters": ("参数", "Parameters"),
    "param_as_of": ("分析月份", "Analysis month"),
    "param_as_of_default": ("数据中最后一个月", "last month in the data"),
    "param_lang": ("语言", "Language"),
    "data_dir": ("数据文件夹", "Data folder"),
    "tables": ("数据表（行数）", "Tables (rows)"),
    "missing_tables": ("缺少的可选数据表", "Optional tables not supplied"),
    "none": ("无", "none"),
    "versions": ("软件版本", "Software versions"),
    "suite_commit": ("分析套件版本", "Suite version"),
    "machine": ("运行环境", "Machine"),
    "method_notes": ("方法说明", "Method notes"),
    # index
    "index_title": ("各网点战略简报", "Strategy briefings by branch"),
    "league_table": ("主要指标对比", "Headline figures side by side"),
    "league_note": (
        "绿色为该项最好的网点，橙色为最差，仅在两者之差超出随机波动（95%区间不含0）时标示；"
        "利润集中度不分好坏，不作标示。",
        "Green marks the best branch on a figure, orange the worst, only where the two differ beyond noise (the 95% "
        "interval of their difference excludes zero); profit concentration is neither good nor bad and is not marked.",
    ),
    "branch": ("网点", "Branch"),
    "status": ("状态", "Status"),
    "ok": ("完成", "done"),
    "failed": ("失败", "failed"),
    "failed_branches": ("未能完成的网点", "Branches that failed"),
    "error": ("错误", "Error"),
    "in_notebook": ("笔记本{notebook}，第{cell}个单元", "notebook {notebook}, cell {cell}"),
    "in_notebook_nocell": ("笔记本{notebook}", "notebook {notebook}"),
    "seconds": ("用时（秒）", "Seconds"),
    "first_finding": ("首要发现", "First finding"),
    "open_briefing": ("简报", "briefing"),
    "open_deck": ("幻灯片", "slides"),
    "branches_csv": ("全部数字见 branches.csv。", "Every figure is in branches.csv."),
    "no_branches": ("本次运行没有网点。", "This run has no branches."),
    # the deck's own words are words/deck.py's
}


def t(key: str, lang: str = "zh", **fmt) -> str:
    """The report string `key` in `lang`, formatted with `fmt`."""
    text = pick(lang, *STRINGS[key])
    return text.format(**fmt) if fmt else text


def sentence_end(lang: str) -> str:
    return "。" if lang == "zh" else "."


#: Method notes of the briefing's last page, per section (zh, en), in the
#: order they are shown: how each headline figure is defined
#: (shared/contract/RESULTS.md, in words).
METHOD_NOTES: dict[str, tuple[str, str]] = {
    "window": (
        "分析月份M为快照数据的最后一个月（或指定的分析月份）；“近12个月”指M−11至M月。",
        "Month M is the last month of the snapshots (or the month asked for); “the last 12 months” are months M−11 to "
        "M.",
    ),
    "value": (
        "顾客价值：窗口内有快照的客户，按近12个月利润（利差 + 手续费 − 服务成本）排序；前20%、后30%客户的利润占比，以及"
        "利润为负的客户占比。",
        "Customer value: customers with a snapshot in the window, ranked by profit over the 12 months (net "
        "contribution: margin + fees − cost to serve); the profit share of the top 20% and bottom 30%, and the share "
        "with negative profit.",
    ),
    "churn": (
        "客户流失：一年前（M−12月）与一年半前都有快照、且此前未销户的客户为观察组，近12个月内销户即为流失。流失因素由逻辑回归估计，以优势比及95%置信区间表示；AUC在随机留出的30%客户上计算。",
        "Attrition: customers with a snapshot 12 and 18 months ago and not closed before the window form the cohort; "
        "closing within the window is attrition. Its drivers come from a logistic regression, shown as odds ratios "
        "with 95% intervals; the AUC is measured on a random 30% held out.",
    ),
    "satisfaction": (
        "满意度：窗口内的问卷，每项“感知 − 期望”的平均（7分制）；净推荐值 = 推荐者（9–10分）比例 − 贬损者（0–6分）比"
        "例，乘以100；影响因素为总体满意度对八项感知的线性回归。QVSRS记分卡按QVSRS模型从同一批问卷和客户数据计算。",
        "Satisfaction: the window's survey responses; per attribute, the mean of perceived − expected (on 7); net "
        "promoter score = 100 × (share scoring 9–10 − share scoring 0–6); drivers from a linear regression of overall "
        "satisfaction on the eight perceptions. The QVSRS scorecard comes from the same responses and customer data.",
    ),
    "competitors": (
        "竞争对手：最近一期公开存贷款数据计算市场份额及其一年变化；居民调查中各行各项平均评分；主办银行选择因素由条件logit模型估计；流失客户去向按销户记录统计。",
        "Competitors: market shares from the latest public deposit and loan figures and their change over a year; mean "
        "ratings per bank from the residents' survey; what decides the choice of main bank from a conditional logit "
        "model; where leavers went from the closing records.",
    ),
    "campaigns": (campaigns.method_note("zh"), campaigns.method_note("en")),
    "plan": (
        "客户经理：利润前20%客户中有专属客户经理的比例；分配方案按客户经理容量为未覆盖的高价值客户安排客户经理。"
        "下季度计划：活动按结论安排——只有“扩大”的活动不留对照组推广；“保持”的按上次规模重复并随机留出20%；“再测”的做随机对照测试，"
        "样本量按双侧显著性水平与80%检验功效计算，要测出的是回本所需的最小余额效应；“停办”的不再举办。活动只用于它触达过、且该层自身估计不与总体效应相矛盾的客户层"
        "（客户层按活动开始时计），不向某一卡级重复提供其已有的VIP服务，节庆活动只在当季安排。每位客户经理每季度的客户联系不超过容量，超出的低价值联系改为电话；"
        "计划总成本不超过网点近12个月利润的设定比例，超出时先削减每元成本年净贡献最低的行动。年净贡献 = 余额效应 × "
        "受邀客户数 × 资金年化净收益率（假设效应持续的月数见计划）；"
        "各行动的区间按相互独立合并。",
        "Relationship managers: the share of the top 20% of customers with a relationship manager; the proposal "
        "assigns uncovered top customers to managers within their capacity. "
        "Next quarter's plan: campaigns follow their verdict — only a grow campaign is rolled out without a holdout; "
        "keep repeats at last time's size with 20% held out at random; "
        "test runs a randomized test sized (two-sided significance level, 80% power) to detect the smallest balance "
        "effect that pays back; stop is not run again. "
        "A campaign goes only to the customer tiers it reached whose own estimate does not contradict the pooled one "
        "(tiers as they were at its start), never re-offers a tier a VIP service it already has, "
        "and a seasonal event is held only in its season. Each manager's contacts in the quarter stay within capacity "
        "(the lowest-value rest go by phone); "
        "the plan's cost stays within a set share of the branch's 12-month profit, cutting the actions with the lowest "
        "yearly net contribution per CNY first. "
        "Yearly net contribution = balance effect × customers invited × funds margin (the months the effect is assumed "
        "to last are stated in the plan); "
        "intervals of independent actions are combined in quadrature.",
    ),
    "recommendations": (
        "建议的生成：每条建议由一条规则读取本网点结果中的一个数字触发（例如投诉未及时解决的优势比高于1.5且显著），并注"
        "明依据。排序依据是涉及的利润（每年，元）= 受影响的客户 × 他们一年的利润 × 效果，每条发现都写明；区间跨过决策界"
        "限的发现（效果可能为零，或优势比区间跨度超过十倍）措辞为“可能”，按一半计入排序；无法量化的排在最后。首页列出最"
        "重要的五项，每个主题最多两项。",
        "How recommendations are made: each comes from a rule that reads one figure of this branch's results (for "
        "instance, the odds ratio of an unresolved complaint above 1.5 and significant) and cites it. They are ranked "
        "by the profit at stake, CNY a year = customers affected × their yearly profit × the effect, stated with each "
        "finding; a finding whose interval spans the decision (the effect may be nil, or an odds ratio's interval "
        "spans more than tenfold) is worded “may” and counts at half; findings that cannot be quantified come last. "
        "The first page shows the five that matter most, at most two per topic.",
    ),
    "stats": (
        "统计说明：95%区间表示在同样的抽样条件下，100次中约有95次会包含真实值；p值小于0.05视为显著。",
        "Statistics: a 95% interval would contain the true value in about 95 of 100 repetitions of the same sampling; "
        "p below 0.05 counts as significant.",
    ),
}


def method_note(key: str, lang: str = "zh") -> str:
    zh, en = METHOD_NOTES[key]
    return pick(lang, zh, en)


def method_notes(lang: str = "zh") -> list[str]:
    """Every method note, in the order the briefing and the deck show them."""
    return [method_note(k, lang) for k in METHOD_NOTES]
