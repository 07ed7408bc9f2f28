"""The glossary as code: one zh and one en term per idea.

Every label, table heading and sentence the suite writes takes its terms from
here (`term("churn", "zh")`), so a term is spelt one way everywhere.

Two blocks: `SHARED` mirrors shared/GLOSSARY.md entry for entry (do not edit
it here alone); `SUITE` holds the terms the suite uses beyond it (driver and
feature names, close reasons, complaint categories and channels, value tiers,
campaign method terms, plan vocabulary, manager grades) — candidates for the
shared glossary. `ALIASES` lets a contract value spelt differently from its
glossary key (`year_end_gala`, the channel `rm`) find its one term.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SHARED: dict[str, tuple[str, str]] = {
    "QVSRS": ("QVSRS客户关系管理模式", "QVSRS relationship model"),
    "quality": ("服务品质 (Q)", "Service quality (Q)"),
    "value": ("顾客价值 (V) = 利益 ÷ 成本", "Customer value (V) = benefits ÷ costs"),
    "satisfaction": ("顾客满意度 (S) = 感知 − 期望", "Satisfaction (S) = perceived − expected"),
    "relationship": ("紧密的长期客户关系 (R)", "Close long-term relationship (R)"),
    "sustainability": ("可持续的绩效与竞争力 (S)", "Sustainable performance (S)"),
    "service_quality": ("服务质量", "Service quality"),
    "staff_attitude": ("服务态度", "Staff attitude"),
    "convenience": ("便捷性", "Convenience"),
    "timeliness": ("时限性（等候与办理时间）", "Timeliness (waiting and handling time)"),
    "product_quality": ("金融产品品质", "Product strength"),
    "fees_value": ("收费与性价比", "Fees and value for money"),
    "brand_image": ("品牌形象与经营实力", "Brand and strength"),
    "digital_experience": ("手机银行与网银体验", "Mobile and online banking"),
    "mass": ("大众客户", "Mass"),
    "affluent": ("富裕客户", "Affluent"),
    "high_net_worth": ("高净值客户", "High net worth"),
    "sme": ("小微企业主", "Small-business owners"),
    "urban": ("城区", "Urban"),
    "county": ("县域", "County"),
    "rural": ("农村", "Rural"),
    "none": ("非VIP", "Not VIP"),
    "gold": ("金卡", "Gold"),
    "platinum": ("白金卡", "Platinum"),
    "diamond": ("钻石卡", "Diamond"),
    "churn": ("客户流失", "Attrition (churn)"),
    "churn_rate_12m": ("近12个月流失率", "12-month attrition rate"),
    "odds ratio": ("优势比（流失几率倍数）", "Odds ratio"),
    "hazard ratio": ("风险比", "Hazard ratio"),
    "retention": ("客户保留率", "Retention"),
    "CLV": ("客户终身价值", "Customer lifetime value"),
    "NPS": ("净推荐值", "Net promoter score"),
    "fix_first": ("优先改进", "Fix first"),
    "keep_up": ("继续保持", "Keep up"),
    "low_priority": ("低优先级", "Low priority"),
    "possible_overkill": ("过度投入", "Possible overkill"),
    "market share": ("市场份额（存款/贷款）", "Market share (deposits/loans)"),
    "primary bank": ("主办银行", "Primary bank"),
    "perceptual map": ("竞争定位图", "Perceptual map"),
    "switching": ("客户流向（转投他行）", "Switching to other banks"),
    "randomized campaign": ("随机对照活动（保留对照组）", "Randomized campaign (with holdout)"),
    "targeted campaign": ("定向活动（无对照组）", "Targeted campaign (no holdout)"),
    "ITT": ("意向处理效应", "Intention-to-treat effect"),
    "ATT": ("参与者平均处理效应", "Effect on participants (ATT)"),
    "naive difference": ("简单对比差异（未调整）", "Naive (unadjusted) difference"),
    "DiD": ("双重差分", "Difference-in-differences"),
    "ROI": ("投资回报率", "Return on investment"),
    "relationship manager": ("客户经理", "Relationship manager"),
    "VIP service system": ("VIP客户服务体系", "VIP service system"),
    "green channel": ("绿色通道", "Green channel (priority service)"),
    "birthday greeting": ("生日问候", "Birthday greeting"),
    "health check": ("免费体检", "Health check"),
    "hospital visit": ("住院探视", "Hospital visit"),
    "magazine": ("赠阅内刊", "Members' magazine"),
    "salon": ("沙龙活动", "Salon"),
    "year-end gala": ("年终客户答谢会", "Year-end appreciation gala"),
    "wine tasting": ("红酒品鉴", "Wine tasting"),
    "art appreciation": ("艺术品鉴赏", "Art appreciation"),
    "parenting lecture": ("育儿专题讲座", "Parenting lecture"),
    "study tour": ("名校/名企游学", "Study tour"),
    "wellness": ("高端养生活动", "Wellness event"),
    "run card": ("运行说明（数据指纹、参数、版本）", "Run card (data fingerprint, parameters, versions)"),
    "briefing": ("战略简报", "Strategy briefing"),
    "branch": ("网点", "Branch"),
    "funds": ("资金（存款+理财）", "Funds (deposits + wealth)"),
    "funds margin": ("资金年化净收益率（每元存款与理财的年净贡献）", "Funds margin (yearly net contribution per CNY)"),
    "profit": ("年净贡献（利润）", "Yearly net contribution (profit)"),
    "new business volume": ("新增业务额（规模，非利润）", "New business volume (not profit)"),
    "grow": ("扩大", "Grow"),
    "keep": ("保持（带对照组重复）", "Keep (repeat with a holdout)"),
    "test": ("再测（随机对照）", "Test (randomized)"),
    "stop": ("停办", "Stop"),
    "holdout": ("对照组（随机留出不联系的客户）", "Holdout (randomly left out, not contacted)"),
    "action plan": ("下季度行动计划", "Next quarter's action plan"),
    "owner": ("责任人", "Owner"),
    "target": ("目标值", "Target"),
    "assumptions": ("分析假设", "Assumptions"),
}


# ---------------------------------------------------------------------------
# Terms of the suite beyond shared/GLOSSARY.md

SUITE: dict[str, tuple[str, str]] = {
    # customer features: the churn drivers (analysis.features) and the
    # campaigns' adjustment features; per-unit qualifiers are added where an
    # estimate is per unit (churn.driver_label)
    "age": ("年龄", "Age"),
    "tenure_years": ("在行年限", "Years with the bank"),
    "products_held": ("持有产品数", "Products held"),
    "log_total_balance": ("资产余额（对数）", "Balances (log)"),
    "balance_trend": ("近半年资产变化（对数）", "6-month balance trend (log)"),
    "balance_trend_missing": ("近半年资产变化缺失（新客户）", "Balance trend missing (newer customer)"),
    "digital_active": ("手机银行/网银活跃", "Uses mobile/online banking"),
    "complaints_12m": ("近12个月投诉次数", "Complaints in 12 months"),
    "unresolved_complaint": ("投诉未在30天内解决", "Complaint not resolved within 30 days"),
    "vip": ("VIP客户", "VIP customer"),
    "has_rm": ("配有客户经理", "Has a relationship manager"),
    # the book and what customers earn the branch (revenue = net contribution)
    "deposits": ("存款", "Deposits"),
    "loans": ("贷款", "Loans"),
    "wealth_aum": ("理财资产", "Wealth assets"),
    "revenue_12m": ("近12个月利润", "Profit, 12 months"),
    # value tiers (analysis.value: rank by revenue_12m)
    "top20": ("利润前20%", "Top 20% by profit"),
    "next30": ("利润次30%", "Next 30% by profit"),
    "middle20": ("利润中间20%", "Middle 20% by profit"),
    "bottom30": ("利润后30%", "Bottom 30% by profit"),
    # close reasons (customers.close_reason; service_quality and convenience
    # are the attributes above) and what was not recorded
    "fees": ("收费", "Fees"),
    "product": ("产品", "Products"),
    "competitor_offer": ("他行优惠吸引", "Competitor's offer"),
    "relocation": ("迁居外地", "Moved away"),
    "deceased": ("客户身故", "Deceased"),
    "other": ("其他", "Other"),
    "unknown": ("未记录", "Not recorded"),
    # complaints: interaction categories (staff_attitude, fees, product, other
    # above), channels (rm: relationship manager) and what became of them
    "wait_time": ("等候时间", "Waiting time"),
    "system": ("系统故障", "System outages"),
    "error": ("差错", "Errors"),
    "phone": ("电话", "Phone"),
    "mobile": ("手机银行", "Mobile banking"),
    "online": ("网上银行", "Online banking"),
    "no_complaint": ("无投诉", "No complaint"),
    "resolved_30d": ("投诉30天内解决", "Complaint resolved within 30 days"),
    # campaign method terms (analysis.campaigns)
    "complier effect": (
        "参加者效应（依从者效应，以随机分组为工具变量）",
        "Effect of taking part (complier effect, IV)",
    ),
    "SMD": ("标准化均值差", "Standardized mean difference"),
    "propensity": ("参与倾向得分", "Propensity score"),
    "event study": ("事件研究（逐月对比）", "Event study (month by month)"),
    "pre-trend": ("活动前趋势", "Pre-campaign trend"),
    "response": ("响应率（90天内购买或升级产品）", "Response (bought or upgraded within 90 days)"),
    "balance change": ("余额变化（存款+理财）", "Balance change (deposits + wealth)"),
    "cost effectiveness": ("每元成本带来的余额增量", "Balance added per CNY spent"),
    # relationship-manager grades (relationship_managers.grade)
    "junior": ("初级", "Junior"),
    "senior": ("中级", "Senior"),
    "principal": ("高级", "Principal"),
    # the tier plans (analysis.plans): what to do with a campaign kind ...
    "offer": ("全面推行", "Offer"),
    "pilot": ("小范围试点（留对照组）", "Pilot (with holdout)"),
    # ... on what evidence ...
    "proven": ("效果可靠", "Proven"),
    "promising": ("效果为正但不确定", "Positive but uncertain"),
    "no_effect": ("未见效果", "No effect"),
    "unmeasured": ("效果未测出", "Not measured"),
    # ... how to stay in touch (phone above) ...
    "rm_visit": ("客户经理上门/面谈", "RM visit"),
    "rm_call": ("客户经理电话", "RM call"),
    "digital": ("手机银行/短信推送", "Mobile banking / SMS"),
    "festival": ("重大节庆日问候", "Festival greetings"),
    # ... and the retention actions on the churn drivers
    "digital_onboarding": ("开通并辅导使用手机银行", "Get them onto mobile banking"),
    "complaint_closure": ("投诉30天内闭环，客户经理回访", "Close complaints within 30 days, RM follow-up"),
    "complaint_follow_up": ("投诉客户专人回访、整改根因", "Follow up complainers, fix root causes"),
    "cross_sell": (
        "交叉销售：多持有一类产品（代发、信用卡、理财）",
        "Cross-sell one more product line (payroll, card, wealth)",
    ),
    "balance_drop_alert": (
        "资产下降预警：余额半年降两成以上即约见",
        "Balance-drop alert: meet anyone whose balances fell ≥ 20 % in six months",
    ),
    "assign_rm": ("配备客户经理", "Assign a relationship manager"),
    "vip_upgrade_review": ("评估升级VIP", "Review for VIP upgrade"),
}

#: Contract values spelt differently from the glossary key of their idea.
ALIASES: dict[str, str] = {
    "rm": "relationship manager",  # interaction channel
    "birthday": "birthday greeting",  # a plan's greeting
    "birthday_greeting": "birthday greeting",  # campaign kinds …
    "green_channel": "green channel",
    "health_check": "health check",
    "hospital_visit": "hospital visit",
    "wine_tasting": "wine tasting",
    "art_appreciation": "art appreciation",
    "parenting_lecture": "parenting lecture",
    "study_tour": "study tour",
    "year_end_gala": "year-end gala",
}

GLOSSARY: dict[str, tuple[str, str]] = {**SHARED, **SUITE}

LANGS = ("zh", "en")


def check_lang(lang: str) -> str:
    """`lang` itself when it is "zh" or "en"; ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def is_term(key: str) -> bool:
    """Whether the glossary has a term for `key` (directly or by alias)."""
    return key in GLOSSARY or key in ALIASES


#: terms named for the 12-month window: with another window (`Assumptions.window_months`)
#: the label says its months while the key stays (churn_rate_12m is still the key)
WINDOW_TERMS = ("churn_rate_12m", "complaints_12m", "revenue_12m")


def term(key: str, lang: str = "zh", months: int | None = None) -> str:
    """The glossary term for `key` in `lang` ("zh" or "en"); KeyError for a key it lacks.
    `months`: the window's length, for the terms of `WINDOW_TERMS` ("近6个月流失率")."""
    check_lang(lang)
    key = ALIASES.get(key, key)
    zh, en = GLOSSARY[key]
    text = zh if lang == "zh" else en
    if months is not None and months != 12 and key in WINDOW_TERMS:
        text = text.replace("12", str(months))
    return text


_TITLE_WORD = re.compile(r"\b[A-Z][a-z]+\b")


def in_sentence(text: str) -> str:
    """A term as it reads inside an English sentence: capitalised words in
    lower case, acronyms kept ("Effect on participants (ATT)" → "effect on
    participants (ATT)", "VIP customer" stays, never "vip customer")."""
    return _TITLE_WORD.sub(lambda m: m.group(0).lower(), text)


def attribute_label(attribute: str, lang: str = "zh") -> str:
    """Short label of a rated attribute (service_quality …)."""
    return term(attribute, lang)


def feature_term(column: str, lang: str = "zh") -> str:
    """Term of a feature column of `analysis.features`: a driver key, or a
    dummy such as `segment[sme]` by its level."""
    if column.endswith("]") and "[" in column:
        return term(column[column.index("[") + 1 : -1], lang)
    return term(column, lang)


def word_list(items: Iterable[str], lang: str = "zh") -> str:
    """Items as a list in prose: 甲、乙、丙 / a, b and c."""
    items = list(items)
    if not items:
        return ""
    if check_lang(lang) == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
