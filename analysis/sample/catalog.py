"""The sample bank's branches, their cities and the banks that compete there:
the catalogue of branches, each bank's kind, base market shares and outlets,
the mean ratings by kind of bank, and the starting balances by segment."""

from __future__ import annotations

from dataclasses import dataclass

HOME_BANK = "中国建设银行"

# ---------------------------------------------------------------------------
# Branches, cities and their banks


@dataclass(frozen=True)
class BranchInfo:
    branch_id: str
    branch_name: str
    city: str
    prefix: str  # of customer_id and every other id of the branch


BRANCH_CATALOG: tuple[BranchInfo, ...] = (
    BranchInfo("meishan", "建行眉山分行", "眉山", "MS"),
    BranchInfo("leshan", "建行乐山分行", "乐山", "LS"),
    BranchInfo("deyang", "建行德阳分行", "德阳", "DY"),
    BranchInfo("ziyang", "建行资阳分行", "资阳", "ZY"),
    BranchInfo("neijiang", "建行内江分行", "内江", "NJ"),
    BranchInfo("suining", "建行遂宁分行", "遂宁", "SN"),
    BranchInfo("nanchong", "建行南充分行", "南充", "NC"),
    BranchInfo("mianyang", "建行绵阳分行", "绵阳", "MY"),
    BranchInfo("yibin", "建行宜宾分行", "宜宾", "YB"),
    BranchInfo("zigong", "建行自贡分行", "自贡", "ZG"),
    BranchInfo("luzhou", "建行泸州分行", "泸州", "LZ"),
    BranchInfo("guangan", "建行广安分行", "广安", "GA"),
)

# kind of each bank: big (state-owned), postal, rural (农信), city (city commercial banks)
BANK_KIND: dict[str, str] = {
    "中国建设银行": "big",
    "中国工商银行": "big",
    "中国农业银行": "big",
    "中国银行": "big",
    "中国邮政储蓄银行": "postal",
    "四川农信": "rural",
    "成都银行": "city",
    "德阳银行": "city",
    "乐山商业银行": "city",
    "四川银行": "city",
    "自贡银行": "city",
    "遂宁银行": "city",
    "南充市商业银行": "city",
    "绵阳市商业银行": "city",
    "宜宾市商业银行": "city",
    "泸州银行": "city",
}
NATIONAL_BANKS = ("中国建设银行", "中国工商银行", "中国农业银行", "中国银行", "中国邮政储蓄银行", "四川农信")
CITY_BANKS: dict[str, tuple[str, ...]] = {
    "眉山": ("成都银行", "德阳银行", "乐山商业银行", "四川银行"),
    "乐山": ("乐山商业银行", "成都银行", "四川银行"),
    "德阳": ("德阳银行", "成都银行", "四川银行"),
    "资阳": ("成都银行", "四川银行"),
    "内江": ("成都银行", "自贡银行", "四川银行"),
    "遂宁": ("遂宁银行", "成都银行", "四川银行"),
    "南充": ("南充市商业银行", "成都银行", "四川银行"),
    "绵阳": ("绵阳市商业银行", "成都银行", "四川银行"),
    "宜宾": ("宜宾市商业银行", "成都银行", "四川银行"),
    "自贡": ("自贡银行", "成都银行", "四川银行"),
    "泸州": ("泸州银行", "成都银行", "四川银行"),
    "广安": ("成都银行", "四川银行"),
}
# deposit-market base shares by bank (before renormalising over the city's banks)
BASE_DEPOSIT_SHARE = {
    "中国建设银行": 0.13,
    "中国工商银行": 0.12,
    "中国农业银行": 0.14,
    "中国银行": 0.07,
    "中国邮政储蓄银行": 0.10,
    "四川农信": 0.22,
    "成都银行": 0.07,
    "四川银行": 0.03,
}
BASE_LOAN_SHARE = {
    "中国建设银行": 0.16,
    "中国工商银行": 0.13,
    "中国农业银行": 0.13,
    "中国银行": 0.08,
    "中国邮政储蓄银行": 0.06,
    "四川农信": 0.20,
    "成都银行": 0.08,
    "四川银行": 0.03,
}
BASE_OUTLETS = {"big": 22, "postal": 30, "rural": 110, "city": 8}
# the city's market size, CNY of deposits at the first period
CITY_DEPOSITS = {
    "眉山": 2.4e11,
    "乐山": 3.2e11,
    "德阳": 4.1e11,
    "资阳": 1.9e11,
    "内江": 2.2e11,
    "遂宁": 2.3e11,
    "南充": 4.4e11,
    "绵阳": 5.6e11,
    "宜宾": 4.6e11,
    "自贡": 2.2e11,
    "泸州": 3.9e11,
    "广安": 2.1e11,
}
# mean ratings (1–7) by kind of bank, per attribute (ATTRIBUTES order)
BANK_PROFILE = {
    "big": (5.0, 4.3, 4.4, 3.8, 5.3, 4.0, 5.6, 5.1),
    "postal": (4.4, 4.6, 5.2, 4.2, 4.2, 4.8, 4.5, 4.2),
    "rural": (4.2, 4.9, 5.5, 4.6, 3.9, 5.0, 4.0, 3.8),
    "city": (4.8, 5.3, 4.7, 5.0, 4.6, 4.7, 4.3, 4.6),
}
HOME_PROFILE_SHIFT = (-0.1, -0.3, 0.0, -0.3, 0.2, -0.1, 0.2, 0.1)  # the seed: low service perception
AWARENESS = {"big": 1.0, "postal": 0.8, "rural": 0.9, "city": 0.6}


def branch_catalog(k: int) -> list[BranchInfo]:
    """The first k branches; beyond the catalogue, more branches in its cities
    (`meishan-2`, 建行眉山分行第2支行 …).

    >>> [b.branch_id for b in branch_catalog(14)][-3:]
    ['guangan', 'meishan-2', 'leshan-2']
    >>> branch_catalog(13)[-1].branch_name, branch_catalog(13)[-1].prefix
    ('建行眉山分行第2支行', 'MSB')
    """
    out = list(BRANCH_CATALOG[:k])
    extra = k - len(out)
    r = 2
    while extra > 0:
        for b in BRANCH_CATALOG:
            if extra == 0:
                break
            letter = chr(ord("A") + r - 1)
            out.append(BranchInfo(f"{b.branch_id}-{r}", f"{b.branch_name}第{r}支行", b.city, b.prefix + letter))
            extra -= 1
        r += 1
    return out


# deposits + wealth at the start (CNY): lognormal by segment (SEGMENTS order)
BALANCE_MEDIAN = (30_000.0, 300_000.0, 2_000_000.0, 300_000.0)
BALANCE_SIGMA = (1.0, 0.6, 0.5, 0.8)
