"""The briefing's own font: a subset of Noto Sans CJK SC, embedded in the page.

The HTML must render Chinese on a machine without any CJK system font and
without network access, so the page carries its font: the Noto Sans CJK SC
that the `mplfonts` package installs (the same font the figures use), cut
down with fontTools' subsetter to the characters the page actually uses
(a few dozen kB instead of 16 MB) and inlined as a base64 `@font-face` data
URI. The subset stays an OpenType (CFF) font rather than WOFF2, because WOFF2
needs the brotli package, which the suite does not install; browsers read
OpenType fonts directly.
"""

from __future__ import annotations

import base64
import io
import re
import string
from functools import lru_cache

from analysis.figures.style import cjk_font_path

FAMILY = "QVSRS Noto Sans CJK"
#: Always included, so that numbers and Latin text added later by the
#: browser (page numbers in print, form defaults) have glyphs too.
BASE_CHARS = string.printable + "–—−×÷·•…“”‘’％（），。：；、？！《》【】▲▼■●○→←↑↓≥≤±°"

_DATA_URI = re.compile(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+")


def page_text(html: str) -> str:
    """The characters of a page, without the embedded images' base64 data."""
    return _DATA_URI.sub("", html)


def subset_font(text: str) -> bytes:
    """An OpenType subset of the CJK font with a glyph for every character of `text`."""
    chars = frozenset(c for c in set(text) | set(BASE_CHARS) if c.isprintable() or c == " ")
    return _subset(chars)


@lru_cache(maxsize=8)
def _subset(chars: frozenset[str]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    # kerning and composition only: "*" would pull in every vertical and
    # regional variant (4,000+ glyphs, seconds of CFF compiling) for nothing
    opts.layout_features = ["kern", "ccmp", "liga"]
    opts.name_IDs = ["*"]
    # hints kept and subroutines inlined: dropping hints or keeping subroutines
    # makes the subsetter run every glyph's charstring (0.5 s more a page)
    opts.hinting = True
    opts.desubroutinize = True
    opts.notdef_outline = True
    # the bounding boxes of the subset's glyphs are unchanged; recomputing
    # them on save costs seconds
    font = TTFont(str(cjk_font_path()), lazy=True, recalcBBoxes=False)
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def font_face_css(text: str, family: str = FAMILY) -> str:
    """An `@font-face` rule carrying the subset for `text` as a data URI."""
    data = base64.b64encode(subset_font(text)).decode("ascii")
    return (
        f'@font-face{{font-family:"{family}";font-style:normal;font-weight:400;font-display:block;'
        f'src:url(data:font/otf;base64,{data}) format("opentype");}}'
    )


def embed_font(html: str, placeholder: str = "/*@font-face*/", family: str = FAMILY) -> str:
    """Replace `placeholder` in a finished page by the font subset its text needs."""
    return html.replace(placeholder, font_face_css(page_text(html), family), 1)
