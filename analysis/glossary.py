"""The glossary (shared/GLOSSARY.md) as code: one zh and one en term per idea.

Every label, table heading and sentence the suite writes takes its terms from
here (`term("churn", "zh")`), so a term is spelt one way everywhere.
"""
from __future__ import annotations

GLOSSARY: dict[str, tuple[str, str]] = {
    'QVSRS': ('QVSRS客户关系管理模式', 'QVSRS relationship model'),
    'quality': ('服务品质 (Q)', 'Service quality (Q)'),
    'value': ('顾客价值 (V) = 利益 ÷ 成本', 'Customer value (V) = benefits ÷ costs'),
    'satisfaction': ('顾客满意度 (S) = 感知 − 期望', 'Satisfaction (S) = perceived − expected'),
    'relationship': ('紧密的长期客户关系 (R)', 'Close long-term relationship (R)'),
    'sustainability': ('可持续的绩效与竞争力 (S)', 'Sustainable performance (S)'),
    'service_quality': ('服务质量', 'Service quality'),
    'staff_attitude': ('服务态度', 'Staff attitude'),
    'convenience': ('便捷性', 'Convenience'),
    'timeliness': ('时限性（等候与办理时间）', 'Timeliness (waiting and handling time)'),
    'product_quality': ('金融产品品质', 'Product strength'),
    'fees_value': ('收费与性价比', 'Fees and value for money'),
    'brand_image': ('品牌形象与经营实力', 'Brand and strength'),
    'digital_experience': ('手机银行与网银体验', 'Mobile and online banking'),
    'mass': ('大众客户', 'Mass'),
    'affluent': ('富裕客户', 'Affluent'),
    'high_net_worth': ('高净值客户', 'High net worth'),
    'sme': ('小微企业主', 'Small-business owners'),
    'urban': ('城区', 'Urban'),
    'county': ('县域', 'County'),
    'rural': ('农村', 'Rural'),
    'none': ('非VIP', 'Not VIP'),
    'gold': ('金卡', 'Gold'),
    'platinum': ('白金卡', 'Platinum'),
    'diamond': ('钻石卡', 'Diamond'),
    'churn': ('客户流失', 'Attrition (churn)'),
    'churn_rate_12m': ('近12个月流失率', '12-month attrition rate'),
    'odds ratio': ('优势比（流失几率倍数）', 'Odds ratio'),
    'hazard ratio': ('风险比', 'Hazard ratio'),
    'retention': ('客户保留率', 'Retention'),
    'CLV': ('客户终身价值', 'Customer lifetime value'),
    'NPS': ('净推荐值', 'Net promoter score'),
    'fix_first': ('优先改进', 'Fix first'),
    'keep_up': ('继续保持', 'Keep up'),
    'low_priority': ('低优先级', 'Low priority'),
    'possible_overkill': ('过度投入', 'Possible overkill'),
    'market share': ('市场份额（存款/贷款）', 'Market share (deposits/loans)'),
    'primary bank': ('主办银行', 'Primary bank'),
    'perceptual map': ('竞争定位图', 'Perceptual map'),
    'switching': ('客户流向（转投他行）', 'Switching to other banks'),
    'randomized campaign': ('随机对照活动（保留对照组）', 'Randomized campaign (with holdout)'),
    'targeted campaign': ('定向活动（无对照组）', 'Targeted campaign (no holdout)'),
    'ITT': ('意向处理效应', 'Intention-to-treat effect'),
    'ATT': ('参与者平均处理效应', 'Effect on participants (ATT)'),
    'naive difference': ('简单对比差异（未调整）', 'Naive (unadjusted) difference'),
    'DiD': ('双重差分', 'Difference-in-differences'),
    'ROI': ('投资回报率', 'Return on investment'),
    'relationship manager': ('客户经理', 'Relationship manager'),
    'VIP service system': ('VIP客户服务体系', 'VIP service system'),
    'green channel': ('绿色通道', 'Green channel (priority service)'),
    'birthday greeting': ('生日问候', 'Birthday greeting'),
    'health check': ('免费体检', 'Health check'),
    'hospital visit': ('住院探视', 'Hospital visit'),
    'magazine': ('赠阅内刊', "Members' magazine"),
    'salon': ('沙龙活动', 'Salon'),
    'year-end gala': ('年终客户答谢会', 'Year-end appreciation gala'),
    'wine tasting': ('红酒品鉴', 'Wine tasting'),
    'art appreciation': ('艺术品鉴赏', 'Art appreciation'),
    'parenting lecture': ('育儿专题讲座', 'Parenting lecture'),
    'study tour': ('名校/名企游学', 'Study tour'),
    'wellness': ('高端养生活动', 'Wellness event'),
    'run card': ('运行说明（数据指纹、参数、版本）', 'Run card (data fingerprint, parameters, versions)'),
    'briefing': ('战略简报', 'Strategy briefing'),
}

LANGS = ("zh", "en")


def term(key: str, lang: str = "zh") -> str:
    """The glossary term for `key` in `lang` ("zh" or "en")."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    zh, en = GLOSSARY[key]
    return zh if lang == "zh" else en


def attribute_label(attribute: str, lang: str = "zh") -> str:
    """Short label of a rated attribute (service_quality …)."""
    return term(attribute, lang)
