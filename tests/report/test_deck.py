"""The deck: a 12–15 slide storyline in both languages, legible when projected.

Two kinds of run folder: the suite's sample bank (the conftest's session
`sample_banks`, branch meishan, every section computed in-process with
`compute_results`, built once for the module through `write_briefing` as the
runner does; no notebook figures, so the findings draw their own charts) and
the contract's specimen (fixture-a, with the notebooks' figure files).

What is held: the slides of the story by name; a number and notes on every
slide but the title; no run of text under 14 pt; pictures at least half the
slide wide, inside it and undistorted; no Han characters in the English
deck, no result keys, table or file names or paths anywhere (visible text
and notes); titles that state a number and never repeat; the decisions and
the plan's numbers as the results have them; text that fits its box.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import json
import math
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from fixtures.specimen import make_run
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches

from analysis.figures.style import TEXT_PT_KEY
from analysis.questions import qvsrs
from analysis.questions import summary as choose
from analysis.report import deck_layout
from analysis.report.briefing import build_briefing, compose, write_briefing
from analysis.report.context import make_context
from analysis.report.deck import SLIDE_CHART, build_deck, finding_image, speakable
from analysis.report.page_text import visible_texts
from analysis.report.recommendations import cite_label
from analysis.run.compute import compute_results
from analysis.words import deck as W
from analysis.words import names

BRANCH_A = {"branch_name": "建行测试甲支行", "city": "乐山", "home_bank": "中国建设银行"}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: what a reader must never see: result keys, snake_case names, file names, paths (independent of the deck's own check)
LEAKS = (
    re.compile(r"\b[a-z_]+\.[a-z_]+"),  # churn.drivers, overview.revenue_12m
    re.compile(r"\b[a-z]+_[a-z0-9_]+\b"),  # monthly_snapshots
    re.compile(r"\.(?:json|csv|png|pptx|html|parquet|ipynb)\b"),
    re.compile(r"(?:^|\s)/[a-z]|[a-z]/(?:\s|$)|[A-Za-z]:\\\\"),  # /data/…, private/, C:\
)
STORY = ["title", "agenda", "summary", "scorecard"]
#: a campaign's id (MS-C06, FX-A1): data, never how a reader is told which campaign
#: (no word boundaries: a Chinese character is a word character, "MS-C02的" has none after the id)
CAMPAIGN_ID = re.compile(r"(?<![A-Za-z])[A-Z]{2}-[A-Z]?\d+(?!\d)")
APPENDIX = ["appendix-methods", "appendix-assumptions", "appendix-diagnostics"]


# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def sample_runs(sample_banks, tmp_path_factory) -> dict:
    """The sample bank's branch meishan through the briefing in each language:
    lang → (folder, the results as written, the composed page, the deck)."""
    results = compute_results(sample_banks["meishan"])
    results |= {
        "generated_at": "2026-07-02T09:00:00+08:00",
        "data_fingerprint": "sha256:" + "0123456789abcdef" * 4,
        "run": {"data_dir": "/data/banks/sample", "tables": {"customers": 1500, "monthly_snapshots": 40000}},
    }
    out = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"deck-{lang}") / "meishan"
        (folder / "tables").mkdir(parents=True)
        (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
        last_quarter(results).to_csv(folder / "tables" / "qvsrs_scorecard.csv", index=False)
        page = write_briefing(folder, copy.deepcopy(results), lang, targets=TARGETS)
        out[lang] = (folder, results, page, Presentation(str(folder / "briefing.pptx")))
    return out


#: a target on one QVSRS figure, so that the scorecard shows its target column
TARGETS = {"quality": 99.0}


def last_quarter(results: dict):
    """The satisfaction notebook's scorecard table for `results`: last quarter
    a little different, sampling noise on the survey figures (none on the census ones)."""
    now = qvsrs.QvsrsSection.from_dict(results["qvsrs"])
    before = copy.deepcopy(results["qvsrs"])
    before.update(quality=before["quality"] - 8.0, value=before["value"] + 0.01)
    before["relationship"]["rm_coverage"] -= 0.05
    se = {"quality": 0.5, "value": 0.03, "satisfaction": 0.035, "rm_coverage": 0.009, "retention_12m": 0.007}
    se.update({m: 0.0 for m in qvsrs.CENSUS_METRICS})
    return qvsrs.scorecard_table(now, qvsrs.QvsrsSection.from_dict(before), se_current=se, se_previous=se)


@pytest.fixture(params=["zh", "en"])
def sample(request, sample_runs):
    return request.param, *sample_runs[request.param]


@pytest.fixture(scope="module")
def specimen(tmp_path_factory, expected) -> Path:
    folder = tmp_path_factory.mktemp("deck") / "fixture-a"
    make_run(folder, copy.deepcopy(expected["fixture-a"]), BRANCH_A, "zh")
    return folder


@pytest.fixture()
def run(specimen, tmp_path):
    folder = tmp_path / "fixture-a"
    shutil.copytree(specimen, folder)
    return folder, json.loads((folder / "results.json").read_text(encoding="utf-8"))


def deck_of(folder: Path, res: dict, lang: str):
    """The deck as write_briefing builds it (names in the edition's language, the page composed, then drawn)."""
    res = names.in_language(res, lang)
    ctx = make_context(res, lang, folder)
    page = compose(folder, res, lang, ctx)
    return Presentation(str(build_deck(folder, page, ctx))), page


# ---------------------------------------------------------------------------
# reading a deck


def visible(slide) -> list[str]:
    out = []
    for sh in slide.shapes:
        if sh.has_text_frame:
            out.append(sh.text_frame.text)
        if sh.has_table:
            out += [c.text for row in sh.table.rows for c in row.cells]
    return [x for x in out if x.strip()]


def notes_of(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def title_of(slide) -> str:
    return next(sh.text_frame.text for sh in slide.shapes if sh.name == "Title")


def pictures(slide) -> list:
    return [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]


def slide_number(slide) -> str | None:
    for fld in slide._element.iter(qn("a:fld")):
        if fld.get("type") == "slidenum":
            return "".join(t.text or "" for t in fld.iter(qn("a:t")))
    return None


def runs_pt(slide) -> list[float | None]:
    """The size of every run of text on the slide (text boxes, tables, fields), pt; None when it has none."""
    out = []
    for tag in ("a:r", "a:fld"):
        for r in slide._element.iter(qn(tag)):
            if not "".join(t.text or "" for t in r.iter(qn("a:t"))).strip():
                continue
            rpr = r.find(qn("a:rPr"))
            sz = rpr.get("sz") if rpr is not None else None
            out.append(int(sz) / 100 if sz else None)
    return out


def by_name(prs) -> dict:
    return {s.name: s for s in prs.slides}


def em(c: str) -> float:
    return 1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.5 if c != " " else 0.28


def est_height(paragraphs: list[tuple[str, float]], width_in: float) -> float:
    """Height of (text, pt) paragraphs in a column, inches: an independent, simple estimate
    (CJK one em, Latin half an em, no word wrapping losses; lines 1.15 em)."""
    total = 0.0
    for text, pt in paragraphs:
        per_line = (width_in - 0.2) * 72 / pt
        lines = sum(max(1, math.ceil(sum(em(c) for c in line) / per_line)) for line in text.split("\n"))
        total += lines * pt * 1.15 / 72
    return total


def frame_paragraphs(tf) -> list[tuple[str, float]]:
    out = []
    for p in tf.paragraphs:
        sizes = [r.font.size.pt for r in p.runs if r.font.size is not None]
        if p.text.strip():
            out.append((p.text, max(sizes) if sizes else 18.0))
    return out


# ---------------------------------------------------------------------------
# the story


def test_the_sample_branch_deck_tells_the_story(sample):
    lang, folder, res, page, prs = sample
    assert (folder / "briefing.pptx").is_file()
    names_ = [s.name for s in prs.slides]
    assert 12 <= len(names_) <= 15, names_
    n = len(page.findings)
    assert n == 5
    assert names_ == STORY + [f"finding-{i}" for i in range(1, n + 1)] + ["plan", "next-steps"] + APPENDIX
    assert len(set(names_)) == len(names_)


def test_every_slide_but_the_title_has_its_number_and_notes(sample):
    *_, prs = sample
    for i, s in enumerate(prs.slides, start=1):
        if s.name == "title":
            assert slide_number(s) is None
            continue
        assert slide_number(s) == str(i), s.name
        said = notes_of(s)
        assert said.strip() and title_of(s) in said, s.name
    numbers = re.compile(r"\d")
    for s in prs.slides:
        if s.name.startswith(("finding-", "summary", "plan", "scorecard", "appendix-diagnostics")):
            assert numbers.search(notes_of(s)), s.name  # the notes carry the numbers


def test_notes_carry_the_intervals_and_caveats(sample):
    lang, folder, res, page, prs = sample
    slides = by_name(prs)
    interval = "95%区间" if lang == "zh" else "95% interval"
    assert interval in notes_of(slides["summary"]) and interval in notes_of(slides["plan"])
    for i, f in enumerate(page.findings, start=1):
        said = notes_of(slides[f"finding-{i}"])
        assert f.finding in said and f.recommendation in said and f.stake_text in said
        if f.stake is not None and f.stake.low is not None:
            assert ("区间" if lang == "zh" else " to ") in f.stake_text
        if f.confidence == "may":
            assert ("不确定" if lang == "zh" else "not yet sure") in said


def test_no_run_of_text_under_14_pt(sample):
    *_, prs = sample
    for s in prs.slides:
        sizes = runs_pt(s)
        assert sizes and None not in sizes, s.name  # every run says its size
        assert min(sizes) >= 14, (s.name, min(sizes))
        if s.name != "title":
            title = next(sh for sh in s.shapes if sh.name == "Title")
            assert all(r.font.size.pt >= 20 for p in title.text_frame.paragraphs for r in p.runs), s.name


def test_pictures_are_half_the_slide_wide_inside_it_and_undistorted(sample, run):
    lang, folder, res, page, prs = sample
    spec, spec_page = deck_of(*run, "zh")
    for deck, pg in ((prs, page), (spec, spec_page)):  # a picture on every finding that has a figure or evidence
        for i, f in enumerate(pg.findings, start=1):
            assert len(pictures(by_name(deck)[f"finding-{i}"])) == (1 if f.evidence or deck is spec else 0)
    shown = 0
    for deck in (prs, spec):
        w, h = deck.slide_width, deck.slide_height
        for s in deck.slides:
            for pic in pictures(s):
                shown += 1
                assert pic.width >= w / 2, (s.name, pic.width / w)
                assert pic.left >= 0 and pic.top >= 0 and pic.left + pic.width <= w and pic.top + pic.height <= h
                px_w, px_h = Image.open(io.BytesIO(pic.image.blob)).size
                assert abs(pic.width / pic.height - px_w / px_h) < 0.01 * px_w / px_h, s.name
    assert shown >= 9


def test_the_english_deck_has_no_han_characters(sample_runs):
    *_, prs = sample_runs["en"]
    for s in prs.slides:
        for text in [*visible(s), notes_of(s)]:
            assert not HAN.search(text), (s.name, HAN.findall(text)[:5], text[:120])
    _, _, _, zh = sample_runs["zh"]
    assert any(HAN.search(t) for s in zh.slides for t in visible(s))  # the check can fail


def test_no_result_keys_table_names_or_paths(sample):
    lang, folder, res, page, prs = sample
    for s in prs.slides:
        for text in [*visible(s), notes_of(s)]:
            for leak in LEAKS:
                assert not leak.search(text), (s.name, leak.pattern, leak.search(text).group(0), text[:160])
    assert "/data/banks" not in json.dumps([notes_of(s) for s in prs.slides], ensure_ascii=False)
    assert "sample" in notes_of(by_name(prs)["appendix-assumptions"])  # the data folder by its name


def test_campaigns_are_named_never_by_their_id(sample):
    """No visible text of the briefing (the page, its HTML) or the deck (slides
    and notes) names a campaign by its id; the plan's action ids are data
    attributes of the page (`data-action`), not text."""
    lang, folder, res, page, prs = sample
    ids = [k for k, v in res["campaigns"].items() if isinstance(v, dict)]
    assert ids and all(CAMPAIGN_ID.fullmatch(k) for k in ids)  # the pattern finds the sample's ids
    texts = [t for t in visible_texts(page) if CAMPAIGN_ID.search(t.text)]
    assert not texts, [(t.where, t.text[:120]) for t in texts[:5]]
    html = (folder / "briefing.html").read_text(encoding="utf-8")
    shown = re.sub(r"<[^>]+>", "\n", re.sub(r"<style.*?</style>", "", html, flags=re.S))
    assert not CAMPAIGN_ID.search(shown), CAMPAIGN_ID.findall(shown)[:5]
    assert re.search(r'data-action="[A-Z]{2}-C\d+-', html)  # the ids are kept as data
    for s in prs.slides:
        for text in [*visible(s), notes_of(s)]:
            assert not CAMPAIGN_ID.search(text), (s.name, text[:160])
    # the cited figures name the campaign as the reader knows it
    cited = [r for r in page.recommendations if r.cites.startswith("campaigns.")]
    assert cited
    labels = [
        cite_label(r.cites, res, lang, make_context(names.in_language(res, lang), lang, folder).campaign_names)
        for r in cited
    ]
    assert not any(CAMPAIGN_ID.search(x) for x in labels), labels
    assert CAMPAIGN_ID.search(
        cite_label(cited[0].cites, {}, lang)
    )  # with nothing to name it by, the id is all there is


def test_the_leak_checks_find_leaks():
    assert not speakable("依据：campaigns.MS-C03.balance_effect.estimate = 14814.7")
    assert not speakable("数据来源：results.json") and not speakable("数据：monthly_snapshots")
    assert not speakable("the lists are kept in the run folder's private/ folder.")
    assert not speakable("data in /data/sample") and speakable("The 95% interval is 0.5 to 1.2; odds 2.3 times.")
    assert all(leak.search(x) for leak, x in zip(LEAKS, ("churn.drivers", "monthly_snapshots", "a.csv", "in /data")))


def test_titles_state_the_point_and_never_repeat(sample):
    lang, folder, res, page, prs = sample
    titles = {s.name: title_of(s) for s in prs.slides}
    assert len(set(titles.values())) == len(titles)
    for name, text in titles.items():
        parts = [p.strip() for p in re.split(r"[：:；;]", text) if p.strip()]
        assert len(set(parts)) == len(parts), text  # never "Scale up X: Scale up X:"
        if name.startswith("finding-") or name in ("summary", "scorecard", "plan", "next-steps"):
            assert re.search(r"\d", text), (name, text)  # a sentence with the number
    for i, f in enumerate(page.findings, start=1):  # the headline with its stake, or the finding's first sentence
        assert titles[f"finding-{i}"].startswith(f.headline) or f.finding.startswith(titles[f"finding-{i}"])


def sign_float(text: str) -> float:
    """A number as the deck prints it (thousands separators, a typographic minus)."""
    return float(text.replace(",", "").replace("−", "-"))


def test_the_summary_gives_the_situation_and_the_decisions(sample):
    lang, folder, res, page, prs = sample
    s = by_name(prs)["summary"]
    text = "\n".join(visible(s))
    for f in page.findings[:3]:
        assert f.finding.split("。")[0].split(". ")[0] in text
    table = next(sh.table for sh in s.shapes if sh.has_table)
    rows = list(table.rows)
    decisions = choose.decisions(res).chosen  # the briefing's first page's: one choice for both deliverables
    assert 3 <= len(decisions) <= 5 and len(rows) == len(decisions) + 2  # header, decisions, the whole plan
    div = 1e4 if lang == "zh" else 1e3
    for d, row in zip(decisions, rows[1:]):
        cost = float(row.cells[1].text.replace(",", ""))
        assert cost == pytest.approx(d.cost / div, rel=0.01, abs=0.01)
        if d.kind == "campaign_stop":  # what they give up, and the spend they free
            given_up, frees = row.cells[2].text.split("\n")
            assert sign_float(given_up) == pytest.approx(d.contribution.estimate / div, rel=0.01)
            assert sign_float(re.findall(r"[\d.,]+$", frees)[0]) == pytest.approx(d.saved / div, rel=0.01)
        elif d.contribution is not None:
            c = d.contribution
            est, rng = row.cells[2].text.split("\n")
            lo, hi = re.split(r"(?<=\d)至|(?<=\d) to ", rng)
            assert sign_float(est) == pytest.approx(c.estimate / div, rel=0.01)
            assert sign_float(lo) == pytest.approx(c.low / div, rel=0.01, abs=0.01)
            assert sign_float(hi) == pytest.approx(c.high / div, rel=0.01)
    total = float(rows[-1].cells[1].text.replace(",", ""))
    assert total == pytest.approx(res["plan"]["cost"] / div, rel=0.01)


def test_the_scorecard_slide_shows_the_first_page_scorecard_row_for_row(sample):
    lang, folder, res, page, prs = sample
    card = page.context["summary"]["scorecard"]  # the briefing's first page: one scorecard for both deliverables
    rows = card["rows"]
    assert len(rows) == len(qvsrs.METRICS) and card["with_targets"]
    assert any(r["previous"] != "—" for r in rows) and any(r["beyond_noise"] for r in rows)
    s = by_name(prs)["scorecard"]
    table = next(sh.table for sh in s.shapes if sh.has_table)  # the old slide had pillar tiles and no table
    cells = [[c.text for c in row.cells] for row in table.rows]
    heads = card["heads"]
    assert cells[0] == [heads[k] for k in ("pillar", "figure", "now", "previous", "change", "noise", "target")]
    assert len(cells) == len(rows) + 1
    for r, shown in zip(rows, cells[1:], strict=True):
        assert shown[1:] == [r["label"], r["now"], r["previous"], r["change"], r["noise"], r["target"]]
        assert shown[0] in ("", r["pillar"])
    assert [c[0] for c in cells[1:] if c[0]] == list(dict.fromkeys(r["pillar"] for r in rows))  # each pillar once
    # this quarter against last, as the card has them (numbers, not words)
    by_metric = {r.metric: r for r in choose.scorecard(res, last_quarter(res), TARGETS)}
    quality = next(c for c in cells[1:] if c[1] == rows[0]["label"])
    assert float(quality[2]) == pytest.approx(by_metric["quality"].current, abs=0.05)
    assert float(quality[3]) == pytest.approx(by_metric["quality"].previous, abs=0.05)
    assert by_metric["quality"].beyond_noise and quality[5] == rows[0]["noise"]
    said = notes_of(s)
    assert all(r["change"] in said and r["noise"] in said for r in rows)
    assert card["notes"][0] in said  # what the band means


def test_the_plan_slide_has_every_action_owner_date_cost_and_holdout(sample):
    lang, folder, res, page, prs = sample
    plan = res["plan"]
    s = by_name(prs)["plan"]
    table = next(sh.table for sh in s.shapes if sh.has_table)
    rows = list(table.rows)[1:]
    div = 1e4 if lang == "zh" else 1e3
    costs = sum(float(r.cells[3].text.replace(",", "")) for r in rows)
    assert costs == pytest.approx(plan["cost"] / div, rel=0.02, abs=0.05)  # every action's cost is on the slide
    owners = {r.cells[1].text for r in rows}
    assert len(owners) >= 2 and "—" not in owners - {"—"}
    assert all(re.search(r"\d", r.cells[2].text) for r in rows)  # dates
    held = [r for r in plan["actions"] if r["holdout_share"]]
    assert any(f"{round(100 * h['holdout_share'])}%" in [c.cells[5].text for c in rows] for h in held) or not held
    budget = next(sh.text_frame.text for sh in s.shapes if sh.name == "Budget")
    assert ("上限" if lang == "zh" else "limit") in budget
    said = notes_of(s)
    for r in plan["actions"]:
        if r["action"] != "campaign_stop":
            assert W.short_action(r, plan["details"].get(r["action_id"]), lang) in "\n".join(visible(s)) or (
                W.more_actions(0, lang)[:2] in "\n".join(visible(s))
            )
    assert said.count("\n") >= len(plan["actions"]) // 2


def test_text_fits_its_box(sample):
    *_, prs = sample
    bottom = Inches(7.5)
    for s in prs.slides:
        for sh in s.shapes:
            if sh.has_text_frame and sh.text_frame.text.strip():
                need = est_height(frame_paragraphs(sh.text_frame), sh.width / 914400)
                assert need <= sh.height / 914400 + 0.15, (s.name, sh.name, need, sh.height / 914400)
            if sh.has_table:
                widths = [c.width / 914400 for c in sh.table.columns]
                need = sum(
                    max(est_height(frame_paragraphs(c.text_frame), w) + 0.1 for c, w in zip(row.cells, widths))
                    for row in sh.table.rows
                )
                assert sh.top / 914400 + need <= bottom / 914400 - 0.5, (s.name, need)  # above the footer


# ---------------------------------------------------------------------------
# the specimen: the notebooks' figures


def test_finding_slide_uses_the_notebook_figure_it_names(run):
    folder, res = run
    prs, page = deck_of(folder, res, "zh")
    i = next(i for i, f in enumerate(page.findings, start=1) if f.id == "churn.unresolved_complaints")
    blob = pictures(by_name(prs)[f"finding-{i}"])[0].image.blob
    assert hashlib.sha1(blob).digest() == hashlib.sha1((folder / "figures" / "churn_drivers.png").read_bytes()).digest()
    for k in range(1, len(page.findings) + 1):
        assert len(pictures(by_name(prs)[f"finding-{k}"])) == 1


def test_without_figures_each_finding_gets_its_own_chart(run):
    folder, res = run
    shutil.rmtree(folder / "figures")
    prs, _ = deck_of(folder, res, "en")
    finding_slides = [s for s in prs.slides if s.name.startswith("finding-")]
    assert len(finding_slides) == 5
    blobs = {hashlib.sha1(pictures(s)[0].image.blob).hexdigest() for s in finding_slides}
    assert len(blobs) == 5  # one chart per finding, drawn from its evidence


def _png(w_in: float, h_in: float, dpi: int = 150, text_pt: float | None = None) -> bytes:
    """A plain PNG drawn `w_in` × `h_in` inches, recording `text_pt` as its smallest text like a saved figure."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if text_pt is not None:
        info.add_text(TEXT_PT_KEY, f"{text_pt:g}")
    buf = io.BytesIO()
    Image.new("RGB", (int(w_in * dpi), int(h_in * dpi)), "#336699").save(
        buf, format="PNG", dpi=(dpi, dpi), pnginfo=info
    )
    return buf.getvalue()


def test_a_figure_too_small_to_read_gives_way_to_the_next_it_names(run, tmp_path):
    """Shown in the 7-inch box, a figure drawn 16 in wide with 16-pt text has
    7-pt text on the slide; one drawn 8 in wide has 14 pt; one that does not
    record its text size, or has 10-pt text at 8 in, is not taken either."""
    folder, res = run
    prs, page = deck_of(folder, res, "zh")
    rec = page.findings[0]
    wide, small, unknown, fit = (tmp_path / f"zz_{x}.png" for x in ("wide", "small", "unknown", "fit"))
    wide.write_bytes(_png(16, 5.8, text_pt=16))
    small.write_bytes(_png(8, 4.5, text_pt=10))
    unknown.write_bytes(_png(8, 4.5))
    fit.write_bytes(_png(8, 4.5, text_pt=16))
    ctx = make_context(res, "zh", folder)
    probe = dataclasses.replace(rec, figure_hints=("zz_wide", "zz_small", "zz_unknown", "zz_fit"))
    assert finding_image(probe, [wide, small, unknown, fit], ctx) == fit
    assert deck_layout.text_pt_on_slide(fit.read_bytes(), 7.0) == pytest.approx(14.0, abs=0.05)
    only_wide = dataclasses.replace(rec, figure_hints=("zz_wide",))
    assert rec.evidence is not None
    assert isinstance(finding_image(only_wide, [wide], ctx), bytes)  # its own chart instead
    assert finding_image(dataclasses.replace(only_wide, evidence=None), [wide], ctx) is None  # or none


def test_no_text_of_any_picture_is_under_14_pt_at_slide_size(sample, run):
    """Every picture of both decks: its smallest text as drawn (recorded in
    its PNG) × (its width on the slide ÷ its drawn width) is at least 14 pt."""
    *_, prs = sample
    spec, _ = deck_of(*run, "en")
    shown = 0
    for deck in (prs, spec):
        for s in deck.slides:
            for pic in pictures(s):
                pt = deck_layout.text_pt_on_slide(pic.image.blob, Emu(pic.width).inches)
                assert pt is not None and pt >= 14 - 1e-6, (s.name, pt)
                shown += 1
    assert shown >= 5


@pytest.mark.parametrize(("lang", "unit"), [("zh", "ratio"), ("en", "ratio"), ("en", "pct"), ("zh", "pct")])
def test_a_finding_s_own_chart_is_drawn_for_the_slide(lang, unit):
    """Drawn at `SLIDE_CHART` with 14-pt text: after drawing, every visible text
    (tick labels too) is at least 14 pt, the wrapped title and labels stay
    inside the figure, and no two texts overlap (a negative bar's number, the
    reference line's label)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from analysis.figures.style import use_style
    from analysis.report.figures import evidence_figure
    from analysis.report.recommendations import Evidence

    words = {
        "zh": (
            "投诉未在30天内解决的客户流失几率是其他客户的2.2倍，不使用手机银行的是1.8倍",
            "时限性（等候与办理时间）",
        ),
        "en": (
            "Customers with a complaint left open beyond 30 days are 2.2 times as likely to leave as the others",
            "Timeliness (waiting and processing time)",
        ),
    }[lang]
    ev = Evidence(
        title=words[0],
        labels=(words[1], "Fees and value for money", "Digital"),
        values=(2.2, 1.8, 0.7),
        lows=(1.5, 1.2, 0.5),
        highs=(3.1, 2.6, 0.95),
        highlight=0,
        reference=1.0,
        unit="ratio",
    )
    if unit == "pct":
        ev = Evidence(
            title=words[0],
            labels=("top 20%", words[1], "bottom 30%"),
            values=(0.819, 0.114, -0.018),
            highlight=0,
            reference=0.10,
            reference_label="alert line",
            unit="pct",
        )
    with matplotlib.rc_context():  # drawn as evidence_png draws it, in the house style
        use_style(lang)
        fig = evidence_figure(ev, lang, size=SLIDE_CHART, text_pt=14)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        hidden = set()  # tick labels of ticks outside the view are not drawn
        for ax in fig.axes:
            for axis, (lo, hi) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
                for tick in axis.get_major_ticks():
                    if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                        hidden |= {tick.label1, tick.label2}
        texts = [
            t for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip() and t not in hidden
        ]
        assert texts and min(t.get_fontsize() for t in texts) >= 14
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        for text, box in boxes:
            assert box.x0 >= -1 and box.x1 <= fig.bbox.x1 + 1 and box.y1 <= fig.bbox.y1 + 1, text
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1 :]:
                assert not box_a.overlaps(box_b), (a, b)


def test_a_tall_figure_is_padded_to_half_the_slide_wide(tmp_path):
    prs = Presentation()
    prs.slide_width, prs.slide_height = deck_layout.WIDTH, deck_layout.HEIGHT
    s = prs.slides.add_slide(prs.slide_layouts[6])
    pic = deck_layout.picture(s, _png(4, 6), Inches(5.75), Inches(1.4), Inches(7.0), Inches(5.45))
    assert pic.width >= prs.slide_width / 2 and pic.top + pic.height <= prs.slide_height
    w, h = Image.open(io.BytesIO(pic.image.blob)).size
    assert abs(pic.width / pic.height - w / h) < 0.01 * w / h
    assert h == 900  # the content keeps its pixels: white margins only at the sides


def test_briefing_writes_both_html_and_deck(run):
    folder, res = run
    build_briefing(folder, res, "en")
    assert (folder / "briefing.html").is_file() and (folder / "briefing.pptx").is_file()
    prs = Presentation(str(folder / "briefing.pptx"))
    assert "Strategy briefing" in "\n".join(visible(prs.slides[0]))
    for s in prs.slides:  # the names were put in English before the deck was built
        assert not any(HAN.search(x) for x in [*visible(s), notes_of(s)]), s.name


def test_deck_of_an_empty_run(tmp_path):
    res = {"schema_version": 1, "branch_id": "x", "as_of": "2026-06-30"}
    prs, _ = deck_of(tmp_path, res, "en")
    assert [s.name for s in prs.slides] == STORY + ["next-steps"] + APPENDIX
    for s in prs.slides:
        assert min(runs_pt(s)) >= 14


# ---------------------------------------------------------------------------
# the deck's words


def test_money_ranges_share_their_unit():
    assert W.money_range(20_900, 160_000, "zh") == "2.09至16.0万元"
    assert W.money_range(20_900, 160_000, "en") == "CNY 20.9 to 160 thousand"
    assert W.money_range(500_000, 2_400_000, "en") == "CNY 500 thousand to CNY 2.40 million"
    assert W.money_range(None, 1.0, "zh") == ""
    assert W.profit_cell(90_400, 20_900, 160_000, "zh") == "9.04\n2.09至16.0"
    assert W.profit_cell(None, None, None, "en") == "none claimed"


def test_finding_titles_add_the_stake_once():
    assert W.finding_title("客户在净减少", 313_480, "clear", "zh") == "客户在净减少：每年涉及利润约31.3万元"
    assert "possibly" in W.finding_title("X may leave", 1e5, "may", "en")
    assert W.finding_title("NPS is low", None, "clear", "en", "net promoter score = −25") == (
        "NPS is low (net promoter score = −25)"
    )
    assert W.finding_title("净推荐值 = −25偏低", None, "clear", "zh", "净推荐值 = −25") == "净推荐值 = −25偏低"
    sentence = "Only 59.9% of the top 20% of customers by profit have a relationship manager; 212 have none."
    assert (
        W.finding_title("Top customers uncovered", None, "clear", "en", "coverage = 59.9%", sentence) == sentence[:-1]
    )
    assert W.finding_title("Top customers uncovered", None, "clear", "en", "coverage = 59.9%", "x 1 " * 40) == (
        "Top customers uncovered (coverage = 59.9%)"  # a sentence too long for a title
    )


def test_dates_and_short_actions():
    assert W.date_span("2026-10-01", "2026-12-31", "zh") == "10月1日–12月31日"
    assert W.date_span("2026-10-01", "2026-12-31", "en") == "1 Oct – 31 Dec"
    row = {"action": "campaign_grow", "customers": 465}
    d = {"name": "Green channel, November 2025", "kind": "green_channel", "start_date": "2025-11-06"}
    assert W.short_action(row, d, "en") == "Grow Green channel, November 2025 to 465 customers"
