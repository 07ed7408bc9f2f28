"""How the deck draws: a 16:9 slide in the house style, text that stays
legible when projected, pictures that keep their proportions.

- Every run of text is at least `MIN_PT` (14 pt) at slide size; titles are
  `TITLE_PT` (24 pt, 20 pt when a title needs three lines at 24).
- A text box's paragraphs are shrunk (never below `MIN_PT`) until their
  estimated height fits the box (`text_height`: CJK characters one em wide,
  Latin about 0.55 em, lines 1.2 em apart; a conservative estimate of how
  PowerPoint wraps).
- A picture is scaled to fit its box with its aspect ratio kept; one that
  would come out narrower than `MIN_PICTURE_SHARE` of the slide is padded
  with white to that width (its content as large as the box allows).
- A figure is shown only where its smallest text is at least `MIN_PT` at
  slide size (`legible`): its drawn size, which the PNG records, × (picture
  width on the slide ÷ figure width drawn).
- Every slide but the title carries a footer: the branch and the as-of date
  at the left, the slide number (a PowerPoint slide-number field) at the right.

Text uses Microsoft YaHei (zh) or Calibri (en), the fonts PowerPoint has on
the consultants' machines; the figures carry their own embedded CJK font.
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from analysis.figures.style import HOME, TEXT_PT_KEY

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT = Inches(0.6)
INNER_W = Emu(WIDTH - 2 * LEFT)
CONTENT_TOP = Inches(1.45)
CONTENT_BOTTOM = Inches(6.85)
FOOTER_TOP = Inches(6.95)
MIN_PT, TEXT_PT, TITLE_PT = 14.0, 16.0, 24.0
#: a picture is at least this share of the slide's width
MIN_PICTURE_SHARE = 0.5
#: figures are drawn at 150 dpi unless they say; one is legible on a slide when its smallest
#: text, at the size it is shown (`text_pt_on_slide`), is at least MIN_PT
DRAWN_DPI = 150.0
INK = RGBColor(0x1D, 0x25, 0x30)
MUTED = RGBColor(0x5B, 0x66, 0x75)
BLUE = RGBColor.from_string(HOME.lstrip("#"))
ACCENT = RGBColor(0xD5, 0x5E, 0x00)
WASH = RGBColor(0xF3, 0xF6, 0xF9)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
#: a text box's insets (python-pptx's defaults), inches
INSET_X, INSET_Y = 0.1, 0.05
LINE = 1.2  # line height, in ems
PARA_GAP_PT = 6.0


@dataclass(frozen=True)
class Run:
    """A run of text: its words, size (pt), weight and colour."""

    text: str
    size: float = TEXT_PT
    bold: bool = False
    color: RGBColor = INK


#: a paragraph: its runs
Para = list[Run]


def para(text: str, size: float = TEXT_PT, bold: bool = False, color: RGBColor = INK) -> Para:
    return [Run(text, size, bold, color)]


# ---------------------------------------------------------------------------
# how much room text takes


def char_em(c: str) -> float:
    """The width of a character in ems: full-width (CJK) 1, Latin about 0.55, a space 0.3."""
    if c == " ":
        return 0.3
    if unicodedata.east_asian_width(c) in ("W", "F"):
        return 1.0
    return 0.55


def lines_of(text: str, size: float, width_in: float) -> int:
    """How many lines `text` at `size` pt wraps to in a column `width_in` inches wide
    (words are not split; a word wider than the line is)."""
    per_line = width_in * 72.0 / size  # ems a line holds
    total = 0
    for line in text.split("\n"):
        n, used = 1, 0.0
        for word in _words(line):
            w = sum(char_em(c) for c in word)
            if used and used + w > per_line:
                n += 1
                used = 0.0
                word = word.lstrip()
                w = sum(char_em(c) for c in word)
            while w > per_line:  # a long unbroken word breaks anywhere
                n += 1
                w -= per_line
            used += w
        total += n
    return total


def _words(line: str) -> list[str]:
    """Breakable pieces: each CJK character alone, Latin words with their leading space."""
    out, cur = [], ""
    for c in line:
        if unicodedata.east_asian_width(c) in ("W", "F"):
            if cur:
                out.append(cur)
                cur = ""
            out.append(c)
        elif c == " ":
            if cur:
                out.append(cur)
            cur = " "
        else:
            cur += c
    if cur:
        out.append(cur)
    return out


def para_height(p: Para, width_in: float) -> float:
    """Estimated height of a paragraph, inches (its largest run sets the line)."""
    size = max(r.size for r in p)
    text = "".join(r.text for r in p)
    return lines_of(text, size, width_in) * size * LINE / 72.0


def text_height(paras: list[Para], width_in: float) -> float:
    """Estimated height of paragraphs in a box `width_in` wide (insets included), inches."""
    inner = width_in - 2 * INSET_X
    body = sum(para_height(p, inner) for p in paras)
    return body + PARA_GAP_PT / 72.0 * max(len(paras) - 1, 0) + 2 * INSET_Y


def shrink_to_fit(paras: list[Para], width_in: float, height_in: float) -> list[Para]:
    """The paragraphs, every run made a point smaller at a time (never below
    MIN_PT) until they fit the box; as small as allowed if they never do."""
    out = paras
    while text_height(out, width_in) > height_in:
        if all(r.size <= MIN_PT for p in out for r in p):
            break
        out = [[Run(r.text, max(MIN_PT, r.size - 1), r.bold, r.color) for r in p] for p in out]
    return out


# ---------------------------------------------------------------------------
# drawing


def fonts(lang: str) -> tuple[str, str]:
    """(latin, east-asian) typefaces."""
    return ("Microsoft YaHei", "Microsoft YaHei") if lang == "zh" else ("Calibri", "Microsoft YaHei")


def style_run(run, lang: str, size: float, bold: bool = False, color: RGBColor = INK) -> None:
    latin, ea = fonts(lang)
    run.font.size = Pt(max(size, MIN_PT))
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.name = latin
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    el = OxmlElement("a:ea")
    el.set("typeface", ea)
    rpr.find(qn("a:latin")).addnext(el)


def fill_frame(tf, paras: list[Para], lang: str, align=PP_ALIGN.LEFT) -> None:
    """Write paragraphs of runs into a text frame (a text box's or a table cell's)."""
    tf.word_wrap = True
    for i, runs in enumerate(paras):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        p.space_after = Pt(PARA_GAP_PT) if i < len(paras) - 1 else Pt(0)
        for run in runs:
            r = p.add_run()
            r.text = run.text
            style_run(r, lang, run.size, run.bold, run.color)


def text_box(
    slide, left, top, width, height, paras: list[Para], lang: str, name: str | None = None, align=PP_ALIGN.LEFT
):
    """A text box whose paragraphs are shrunk to fit it (`shrink_to_fit`)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    fitted = shrink_to_fit(paras, Emu(width).inches, Emu(height).inches)
    fill_frame(box.text_frame, fitted, lang, align)
    return box


def rectangle(slide, left, top, width, height, fill: RGBColor, line: RGBColor | None = None):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = fill
    if line is None:
        shape.line.fill.background()
    else:
        shape.line.color.rgb = line
    return shape


def title(slide, text: str, lang: str) -> None:
    """The slide's title (24 pt; 20 pt when it would take three lines), under the house bar."""
    rectangle(slide, 0, 0, WIDTH, Inches(0.12), BLUE)
    width = INNER_W.inches - 2 * INSET_X
    size = TITLE_PT if lines_of(text, TITLE_PT, width) <= 2 else 20.0
    text_box(slide, LEFT, Inches(0.3), INNER_W, Inches(1.05), [para(text, size, True)], lang, name="Title")


def footer(slide, source: str, number: int, lang: str) -> None:
    """The branch and date at the left, the slide number (a slide-number field) at the right."""
    text_box(slide, LEFT, FOOTER_TOP, Inches(10.6), Inches(0.45), [para(source, MIN_PT, False, MUTED)], lang, "Footer")
    box = slide.shapes.add_textbox(Inches(11.4), FOOTER_TOP, Inches(1.33), Inches(0.45))
    box.name = "Slide number"
    p = box.text_frame.paragraphs[0]
    p.alignment = PP_ALIGN.RIGHT
    fld = OxmlElement("a:fld")
    fld.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    fld.set("type", "slidenum")
    rpr = OxmlElement("a:rPr")
    rpr.set("lang", "zh-CN" if lang == "zh" else "en-US")
    rpr.set("sz", str(int(MIN_PT * 100)))
    rpr.set("b", "1")
    fill = OxmlElement("a:solidFill")
    clr = OxmlElement("a:srgbClr")
    clr.set("val", str(MUTED))
    fill.append(clr)
    rpr.append(fill)
    fld.append(rpr)
    t = OxmlElement("a:t")
    t.text = str(number)
    fld.append(t)
    p._p.append(fld)


def notes(slide, lines: list[str]) -> None:
    """Speaker notes: one paragraph a line."""
    slide.notes_slide.notes_text_frame.text = "\n".join(x for x in lines if x)


def table(slide, left, top, widths_in: list[float], rows: list[list[Para]], lang: str, head: bool = True):
    """A table: `rows` of cells (each a list of paragraphs), the first row a header in white on blue."""
    height = Inches(table_height(widths_in, rows))
    shape = slide.shapes.add_table(len(rows), len(widths_in), left, top, Inches(sum(widths_in)), height)
    tbl = shape.table
    for c, w in enumerate(widths_in):
        tbl.columns[c].width = Inches(w)
    for r, cells in enumerate(rows):
        tbl.rows[r].height = Inches(row_height(widths_in, cells))
        for c, paras in enumerate(cells):
            cell = tbl.cell(r, c)
            cell.text = ""
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = BLUE if head and r == 0 else (WASH if r % 2 == 0 else WHITE)
            if head and r == 0:
                paras = [[Run(x.text, x.size, True, WHITE) for x in p] for p in paras]
            fill_frame(cell.text_frame, paras, lang)
    return shape


def row_height(widths_in: list[float], cells: list[list[Para]]) -> float:
    """A table row's estimated height, inches: its tallest cell (cell margins 0.1 in a side, 0.05 top and bottom)."""
    return max(text_height(p, w) for p, w in zip(cells, widths_in))


def table_height(widths_in: list[float], rows: list[list[Para]]) -> float:
    return sum(row_height(widths_in, cells) for cells in rows)


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as im:
        return im.size


def drawn_inches(data: bytes) -> tuple[float, float]:
    """The size a figure was drawn at, inches (its pixels over its dpi)."""
    with Image.open(io.BytesIO(data)) as im:
        dpi = im.info.get("dpi", (DRAWN_DPI, DRAWN_DPI))[0] or DRAWN_DPI
        return im.size[0] / dpi, im.size[1] / dpi


def smallest_text_pt(data: bytes) -> float | None:
    """The size of a figure's smallest text as drawn, points, as its PNG records
    it (`analysis.figures.style.png_metadata`); None when it does not."""
    with Image.open(io.BytesIO(data)) as im:
        text = getattr(im, "text", None) or im.info
        value = text.get(TEXT_PT_KEY)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def text_pt_on_slide(data: bytes, shown_w_in: float) -> float | None:
    """The size of a figure's smallest text on the slide when the picture is
    `shown_w_in` inches wide: its drawn size × (shown width ÷ drawn width)."""
    pt = smallest_text_pt(data)
    return None if pt is None else pt * shown_w_in / drawn_inches(data)[0]


def legible(data: bytes, max_w, max_h) -> bool:
    """Whether a figure fitted into a box is at least half the slide wide and
    its smallest text is at least MIN_PT at slide size (a figure that does not
    record its text size is not taken as legible)."""
    w, h = drawn_inches(data)
    shown = min(Emu(max_w).inches, w * Emu(max_h).inches / h)  # fitted, its proportions kept
    pt = text_pt_on_slide(data, shown)
    return fits_at_half_width(data, max_h) and pt is not None and pt >= MIN_PT - 1e-6


def pad_to_aspect(data: bytes, aspect: float) -> bytes:
    """The PNG widened with white margins to `aspect` (width ÷ height), its content unchanged."""
    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
        new_w = math.ceil(h * aspect)
        if new_w <= w:
            return data
        canvas = Image.new("RGB", (new_w, h), "white")
        canvas.paste(im.convert("RGB"), ((new_w - w) // 2, 0))
        info = PngInfo()  # the figure's record of its text size goes with it
        for key, value in (getattr(im, "text", None) or {}).items():
            info.add_text(key, value)
        buf = io.BytesIO()
        canvas.save(buf, format="PNG", dpi=im.info.get("dpi", (150, 150)), pnginfo=info)
    return buf.getvalue()


def fits_at_half_width(data: bytes, max_h) -> bool:
    """Whether a picture shown at least half the slide wide is no taller than `max_h`."""
    w, h = image_size(data)
    return int(WIDTH * MIN_PICTURE_SHARE) * h / w <= max_h


def picture(slide, image: bytes | str | Path, left, top, max_w, max_h):
    """Place an image inside a box, its proportions kept, centred across and at
    the box's top; at least half the slide wide (padded with white when it is
    too tall for that)."""
    data = Path(image).read_bytes() if isinstance(image, (str, Path)) else image
    if not fits_at_half_width(data, max_h):
        data = pad_to_aspect(data, WIDTH * MIN_PICTURE_SHARE / max_h * 1.001)
    w, h = image_size(data)
    scale = min(max_w / w, max_h / h)
    pw, ph = int(w * scale), int(h * scale)
    return slide.shapes.add_picture(
        io.BytesIO(data), left + (max_w - pw) // 2, top + (max_h - ph) // 2, Emu(pw), Emu(ph)
    )
