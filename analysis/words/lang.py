"""The one way to choose the language: `pick(lang, zh, en)`.

Every sentence, label and title of the suite exists in Chinese and English;
a piece of text is chosen by `pick`, never by `… if lang == "zh" else …`.
"""

from __future__ import annotations

LANGS = ("zh", "en")


def check_lang(lang: str) -> str:
    """`lang` itself when it is "zh" or "en"; ValueError otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def pick(lang: str, zh: str, en: str) -> str:
    """`zh` or `en` by language.

    >>> pick("en", "流失", "attrition")
    'attrition'
    """
    return zh if check_lang(lang) == "zh" else en
