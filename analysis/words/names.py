"""Names a reader of the English edition can read: banks, cities, branches, campaigns.

The data name banks, cities and branches in Chinese (`中国建设银行`, `眉山`,
`建行眉山分行`) and campaigns by their Chinese title (`端午主题日`). In Chinese
they are shown as they are. In English:

- a bank known to the suite gets its official English name (`bank_name`) or,
  in charts and tables, its short form (`short=True`: "CCB", "Bank of Chengdu");
  the large state-owned and joint-stock banks, postal savings, the rural credit
  system and Sichuan's city commercial banks are listed in `BANKS`;
- an unknown bank, city or branch is romanised (pinyin without tones) and its
  Chinese ending translated: `眉山农商银行` → "Meishan Rural Commercial Bank",
  `雅安市` → "Ya'an", `建行眉山分行` → "CCB Meishan Branch";
- a campaign is named by its kind and month (`campaign_name`): "Wine tasting,
  May 2026" — its Chinese title can stand beside it in an element marked
  `lang="zh"`, never alone.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from pypinyin import Style, lazy_pinyin

from analysis.questions.plan_campaigns import season_of
from analysis.words.glossary import is_term, term
from analysis.words.lang import check_lang, pick


@dataclass(frozen=True)
class BankName:
    """A bank's official English name and the short form charts use."""

    official: str
    short: str


#: Banks by the name the data use → their English names. Several Chinese
#: spellings of one bank (full name, common short name) map to the same entry.
BANKS: dict[str, BankName] = {}


def _add(names: tuple[str, ...], official: str, short: str) -> None:
    for n in names:
        BANKS[n] = BankName(official, short)


# the large state-owned commercial banks and postal savings
_add(("中国工商银行", "工商银行", "工行"), "Industrial and Commercial Bank of China", "ICBC")
_add(("中国农业银行", "农业银行", "农行"), "Agricultural Bank of China", "ABC")
_add(("中国银行", "中行"), "Bank of China", "BOC")
_add(("中国建设银行", "建设银行", "建行"), "China Construction Bank", "CCB")
_add(("交通银行", "交行"), "Bank of Communications", "BoCom")
_add(("中国邮政储蓄银行", "邮政储蓄银行", "邮储银行"), "Postal Savings Bank of China", "PSBC")
# the joint-stock commercial banks
_add(("招商银行", "招行"), "China Merchants Bank", "CMB")
_add(("中信银行",), "China CITIC Bank", "CITIC Bank")
_add(("上海浦东发展银行", "浦发银行"), "Shanghai Pudong Development Bank", "SPDB")
_add(("中国民生银行", "民生银行"), "China Minsheng Bank", "CMBC")
_add(("中国光大银行", "光大银行"), "China Everbright Bank", "CEB")
_add(("兴业银行",), "Industrial Bank", "CIB")
_add(("平安银行",), "Ping An Bank", "Ping An Bank")
_add(("华夏银行",), "Hua Xia Bank", "Hua Xia Bank")
_add(("广发银行",), "China Guangfa Bank", "CGB")
_add(("浙商银行",), "China Zheshang Bank", "CZB")
_add(("恒丰银行",), "Evergrowing Bank", "Evergrowing Bank")
_add(("渤海银行",), "China Bohai Bank", "Bohai Bank")
# the rural credit system of Sichuan
_add(("四川农信", "四川省农村信用社", "四川农村信用社"), "Sichuan Rural Credit Cooperatives", "Sichuan Rural Credit")
_add(("四川农商联合银行", "四川农村商业联合银行"), "Sichuan Rural Commercial United Bank", "Sichuan Rural United Bank")
_add(("成都农商银行", "成都农村商业银行"), "Chengdu Rural Commercial Bank", "Chengdu Rural Commercial Bank")
# Sichuan's city commercial banks
_add(("成都银行",), "Bank of Chengdu", "Bank of Chengdu")
_add(("四川银行",), "Sichuan Bank", "Sichuan Bank")
_add(("四川天府银行", "天府银行"), "Sichuan Tianfu Bank", "Tianfu Bank")
_add(("乐山商业银行", "乐山市商业银行"), "Leshan Commercial Bank", "Leshan Commercial Bank")
_add(("德阳银行",), "Bank of Deyang", "Bank of Deyang")
_add(("绵阳市商业银行", "绵阳商业银行"), "Mianyang Commercial Bank", "Mianyang Commercial Bank")
_add(("自贡银行", "自贡市商业银行"), "Bank of Zigong", "Bank of Zigong")
_add(("遂宁银行",), "Bank of Suining", "Bank of Suining")
_add(("南充市商业银行",), "Nanchong Commercial Bank", "Nanchong Commercial Bank")
_add(("宜宾市商业银行", "宜宾商业银行"), "Yibin Commercial Bank", "Yibin Commercial Bank")
_add(("泸州银行",), "Bank of Luzhou", "Bank of Luzhou")
_add(("攀枝花市商业银行",), "Panzhihua Commercial Bank", "Panzhihua Commercial Bank")
_add(("雅安市商业银行",), "Ya'an Commercial Bank", "Ya'an Commercial Bank")
_add(("达州银行",), "Bank of Dazhou", "Bank of Dazhou")
_add(("凉山州商业银行",), "Liangshan Commercial Bank", "Liangshan Commercial Bank")
_add(("重庆银行",), "Bank of Chongqing", "Bank of Chongqing")
_add(("重庆农村商业银行", "重庆农商银行"), "Chongqing Rural Commercial Bank", "Chongqing Rural Commercial Bank")

#: How a bank's Chinese ending reads in English, longest first.
BANK_ENDINGS: tuple[tuple[str, str], ...] = (
    ("农村商业银行", "Rural Commercial Bank"),
    ("农商银行", "Rural Commercial Bank"),
    ("农村信用合作联社", "Rural Credit Cooperative Union"),
    ("农村信用社", "Rural Credit Cooperative"),
    ("信用合作社", "Credit Cooperative"),
    ("信用社", "Credit Cooperative"),
    ("村镇银行", "Village Bank"),
    ("农村合作银行", "Rural Cooperative Bank"),
    ("商业银行", "Commercial Bank"),
    ("银行", "Bank"),
)

#: Administrative endings dropped from a place name: 眉山市 is Meishan.
PLACE_ENDINGS = ("自治州", "地区", "市", "县", "区", "州", "省")

#: Short bank prefixes of branch names (建行眉山分行).
BRANCH_BANKS = {
    "建行": "CCB",
    "工行": "ICBC",
    "农行": "ABC",
    "中行": "BOC",
    "交行": "BoCom",
    "邮储": "PSBC",
    "招行": "CMB",
}
BRANCH_ENDINGS = (("分行", "Branch"), ("支行", "Sub-branch"), ("营业部", "Business Department"), ("网点", "Outlet"))

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def has_han(text: str) -> bool:
    """Whether `text` holds a Chinese character."""
    return bool(_HAN.search(text or ""))


def romanise(text: str) -> str:
    """Chinese characters in pinyin without tones, one capitalised word per run
    of characters ("乐山" → "Leshan"; "雅安" → "Ya'an"); other text kept."""
    out: list[str] = []
    for run in re.split(r"([\u3400-\u9fff\uf900-\ufaff]+)", text):
        if not run:
            continue
        if not has_han(run):
            out.append(run)
            continue
        syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
        word = ""
        for s in syllables:
            # an apostrophe before a syllable starting with a vowel (Xi'an, Ya'an)
            word += ("'" if word and s[:1] in "aeo" else "") + s
        out.append(word[:1].upper() + word[1:])
    return " ".join(p.strip() for p in out if p.strip())


def place_name(name: str, lang: str = "en") -> str:
    """A city, county or district: itself in Chinese, romanised without its
    administrative ending in English (`眉山市` → "Meishan")."""
    check_lang(lang)
    if lang == "zh" or not has_han(name):
        return name
    base = name
    for ending in PLACE_ENDINGS:
        if base.endswith(ending) and len(base) > len(ending) + 1:
            base = base[: -len(ending)]
            break
    return romanise(base)


def bank_name(name: str, lang: str = "en", short: bool = False) -> str:
    """A bank as the data spell it, in `lang`: the official English name (or
    its short form) for banks the suite knows, else the romanised place and the
    translated ending ("眉山农商银行" → "Meishan Rural Commercial Bank")."""
    check_lang(lang)
    if lang == "zh" or not has_han(name):
        return name
    known = BANKS.get(name.strip())
    if known is not None:
        return known.short if short else known.official
    stem, ending = name.strip(), ""
    for zh, en in BANK_ENDINGS:
        if stem.endswith(zh):
            stem, ending = stem[: -len(zh)], en
            break
    if stem.startswith("中国"):
        rest = place_name(stem[2:]) if stem[2:] else ""
        return " ".join(p for p in ("China", rest, ending) if p)
    return " ".join(p for p in (place_name(stem) if stem else "", ending) if p)


def branch_name(name: str, lang: str = "en") -> str:
    """A branch as `branches.branch_name` spells it, in `lang`
    ("建行眉山分行" → "CCB Meishan Branch")."""
    check_lang(lang)
    if lang == "zh" or not has_han(name):
        return name
    rest, bank, ending = name.strip(), "", ""
    for zh, en in BRANCH_ENDINGS:
        if rest.endswith(zh):
            rest, ending = rest[: -len(zh)], en
            break
    for zh, en in BRANCH_BANKS.items():
        if rest.startswith(zh):
            rest, bank = rest[len(zh) :], en
            break
    else:
        for full in sorted(BANKS, key=len, reverse=True):
            if rest.startswith(full) and len(full) > 2:
                rest, bank = rest[len(full) :], BANKS[full].short
                break
    return " ".join(p for p in (bank, place_name(rest) if rest else "", ending) if p)


#: a seasonal event's festival (`questions.plan_campaigns.season_of`) → (zh, en)
SEASONS = {
    "spring_festival": ("春节", "Spring Festival"),
    "lantern": ("元宵", "Lantern Festival"),
    "dragon_boat": ("端午", "Dragon Boat Festival"),
    "qixi": ("七夕", "Qixi"),
    "mid_autumn": ("中秋", "Mid-Autumn Festival"),
    "national_day": ("国庆", "National Day"),
    "double_ninth": ("重阳", "Double Ninth Festival"),
    "year_end": ("年终", "year-end"),
    "womens_day": ("妇女节", "Women's Day"),
    "qingming": ("清明", "Qingming"),
    "labour_day": ("劳动节", "Labour Day"),
    "mothers_day": ("母亲节", "Mother's Day"),
    "childrens_day": ("儿童节", "Children's Day"),
    "fathers_day": ("父亲节", "Father's Day"),
    "summer": ("暑期", "summer holidays"),
    "christmas": ("圣诞", "Christmas"),
}


def campaign_name(name: str | None, kind: str | None, start: date | str | None, lang: str = "en") -> str:
    """A campaign as a reader names it: its own title in Chinese; in English its
    kind and month ("Wine tasting, May 2026"), since its title is Chinese. A name
    given in English already (by `in_language`) is kept as it is.

    >>> campaign_name("红酒品鉴会", "wine_tasting", "2026-05-09", "en")
    'Wine tasting, May 2026'
    >>> campaign_name("Wine tasting, May 2026", "wine_tasting", "2026-05-09", "en")
    'Wine tasting, May 2026'
    >>> campaign_name("端午主题日", "other", "2026-06-19", "en")
    'Dragon Boat Festival event, June 2026'
    """
    check_lang(lang)
    if lang == "zh" and name:
        return name
    when = ""
    if start is not None:
        d = date.fromisoformat(str(start)[:10]) if not isinstance(start, date) else start
        when = pick(lang, f"{d.year}年{d.month}月", f"{MONTHS[d.month - 1]} {d.year}")
    if kind and kind != "other" and is_term(kind):
        what = term(kind, lang)
    else:  # a festival event says its festival: "Dragon Boat Festival event"
        season = SEASONS.get(season_of(name or "", kind or "")[0] or "")
        what = (
            pick(lang, f"{season[0]}活动", f"{season[1][0].upper()}{season[1][1:]} event")
            if season
            else pick(lang, "活动", "Event")
        )
    if lang == "en" and name and not has_han(name):
        if when and name.endswith(when):  # named already (`in_language`): not twice
            return name
        what = name
    return pick(lang, f"{when}{what}", f"{what}, {when}" if when else what)


def in_language(results: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """results.json as the edition's reader names things: unchanged in Chinese;
    in English a copy whose branch, city and banks carry their English names
    (banks in their short form, the same in every sentence and table) and
    whose plan names campaigns by kind and month. The figures are untouched."""
    check_lang(lang)
    if lang == "zh":
        return dict(results)
    out = copy.deepcopy(dict(results))
    branch = out.get("branch")
    if isinstance(branch, dict):
        if branch.get("branch_name"):
            branch["branch_name"] = branch_name(str(branch["branch_name"]), lang)
        if branch.get("city"):
            branch["city"] = place_name(str(branch["city"]), lang)
        if branch.get("home_bank"):
            branch["home_bank"] = bank_name(str(branch["home_bank"]), lang, short=True)
    if isinstance(out.get("competitors"), dict):
        out["competitors"] = _banks_in_english(out["competitors"])
    plan = out.get("plan")
    if isinstance(plan, dict):
        rows = list((plan.get("details") or {}).values()) + list(plan.get("not_scheduled") or [])
        for row in rows:
            if isinstance(row, dict) and row.get("name"):
                row["name"] = campaign_name(str(row["name"]), row.get("kind"), row.get("start_date"), lang)
    return out


def _banks_in_english(value: Any) -> Any:
    """Every Chinese bank name in the competitors section (keys and values) in its short English form."""
    if isinstance(value, dict):
        return {_bank(k): _banks_in_english(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_banks_in_english(v) for v in value]
    return _bank(value)


def _bank(value: Any) -> Any:
    return bank_name(value, "en", short=True) if isinstance(value, str) and has_han(value) else value


def frame_in_language(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A display table as the edition's reader names things: unchanged in
    Chinese; in English every Chinese bank name (cells, index, columns) in its
    short English form and any other Chinese text romanised."""
    check_lang(lang)
    if lang == "zh":
        return df

    def word(v: Any) -> Any:
        if not isinstance(v, str) or not has_han(v):
            return v
        is_bank = v.strip() in BANKS or any(v.strip().endswith(zh) for zh, _ in BANK_ENDINGS)
        return bank_name(v, "en", short=True) if is_bank else romanise(v)

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(word)
    out.index = out.index.map(word)
    out.columns = out.columns.map(word)
    return out
