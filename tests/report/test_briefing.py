"""The briefing: self-contained, no code, the first page's findings, both languages, fonts."""

from __future__ import annotations

import base64
import copy
import io
import json
import logging
import re
import shutil
import warnings
from pathlib import Path

import pytest
from fixtures.pages import BRANCH_A, CJK, Page, section_text
from fixtures.specimen import make_run
from PIL import Image

from analysis.report import fonts, paths
from analysis.report.briefing import build_briefing, compose, run_card_rows
from analysis.report.figures import data_uri, evidence_figure, evidence_png, section_of
from analysis.report.recommendations import Evidence


def embedded_font_cmap(style: str) -> set[int]:
    from fontTools.ttLib import TTFont

    m = re.search(r"data:font/otf;base64,([A-Za-z0-9+/=]+)", style)
    assert m, "no embedded font"
    return set(TTFont(io.BytesIO(base64.b64decode(m.group(1)))).getBestCmap())


@pytest.fixture(scope="module")
def specimens(tmp_path_factory, expected) -> dict:
    """A specimen run folder per language, drawn once for the module."""
    root = tmp_path_factory.mktemp("specimens")
    return {
        lang: root / lang
        for lang in ("zh", "en")
        if make_run(root / lang, copy.deepcopy(expected["fixture-a"]), BRANCH_A, lang)
    }


def _copy(specimens, lang, tmp_path) -> tuple[Path, dict]:
    folder = tmp_path / f"fixture-a-{lang}"
    shutil.copytree(specimens[lang], folder)
    return folder, json.loads((folder / "results.json").read_text(encoding="utf-8"))


@pytest.fixture()
def run_zh(specimens, tmp_path):
    return _copy(specimens, "zh", tmp_path)


@pytest.fixture()
def run_en(specimens, tmp_path):
    return _copy(specimens, "en", tmp_path)


def test_briefing_is_self_contained_and_shows_no_code(run_zh):
    folder, res = run_zh
    path = build_briefing(folder, res, lang="zh", deck=False)
    html = path.read_text(encoding="utf-8")
    page = Page(html)
    # nothing to fetch: every src/href is embedded data or an in-page anchor
    for a in page.with_attr("src"):
        assert a["src"].startswith("data:"), a["src"][:60]
    for a in page.with_attr("href"):
        assert a["href"].startswith("#"), a["href"]
    assert not re.search(r"url\((?!data:)", page.style)
    assert "@import" not in page.style
    assert "script" not in page.tags and "link" not in page.tags
    # no code anywhere
    assert not {"pre", "code"} & set(page.tags)
    for word in ("Traceback", "import ", "def ", "results.json[", "{{", "}}", "None", "nan"):
        assert word not in page.visible, word
    # every figure of the run is in the page, as PNG
    n_png = len(list((folder / "figures").glob("*.png")))
    imgs = [a for t, a in page.attrs if t == "img"]
    assert n_png >= 4 and len(imgs) == n_png
    assert all(a["src"].startswith("data:image/png;base64,") for a in imgs)


def test_first_page_is_the_summary_and_the_findings_page_follows(run_zh):
    folder, res = run_zh
    page = compose(folder, res, "zh")
    source = build_briefing(folder, res, "zh", deck=False).read_text(encoding="utf-8")
    html = Page(source)
    cover, findings_page = section_text(source, "summary"), section_text(source, "findings")
    assert "建行测试甲支行" in cover and "2026-06-30" in cover
    assert "71.4" in cover and "1.50" in cover and "30.0%" in cover  # QVSRS scorecard figures
    assert "执行摘要" in cover and "现状" in cover
    assert len(page.findings) == 5
    # the findings page follows the summary, before section 1
    assert source.index('id="summary"') < source.index('id="findings"') < source.index('id="overview"')
    items = [a for t, a in html.attrs if t == "li" and "data-cites" in a]
    first = items[:5]
    assert [a["data-cites"] for a in first] == [f.cites for f in page.findings]
    for f in page.findings:
        assert f.finding in findings_page and f.recommendation in findings_page
        assert f.finding not in cover
        assert paths.exists(res, f.cites)
    # every recommendation is listed with its citation in the plan section
    rows = [a["data-cites"] for t, a in html.attrs if t == "tr" and "data-cites" in a]
    assert rows == [r.cites for r in page.recommendations]


def test_sections_in_order_with_their_figures(run_zh):
    folder, res = run_zh
    page = compose(folder, res, "zh")
    secs = page.context["sections"]
    assert [s["id"] for s in secs][:7] == [
        "overview",
        "value",
        "churn",
        "satisfaction",
        "competitors",
        "campaigns",
        "plan",
    ]
    figs = {s["id"]: len(s["figures"]) for s in secs}
    assert figs["value"] == 1 and figs["churn"] == 1 and figs["satisfaction"] == 1 and figs["competitors"] == 1
    churn = " ".join(next(s for s in secs if s["id"] == "churn")["paragraphs"])
    assert "2,308" in churn and "309" in churn and "13.4%" in churn
    plan = next(s for s in secs if s["id"] == "plan")
    assert len(plan["tables"]) == 2  # per relationship manager, and the notebook's CSV
    assert section_of("relationship_managers_book") == "plan" and section_of("rm_load") == "plan"
    assert section_of("churn_drivers") == "churn" and section_of("something_else") is None


def test_missing_and_skipped_sections_say_so_in_one_line(tmp_path, expected):
    figures = copy.deepcopy(expected["fixture-a"])
    del figures["campaigns"]
    res = make_run(tmp_path / "b", figures, BRANCH_A, "en", with_figures=False)
    res["churn"] = {"status": "skipped", "reason": "interactions table missing: fewer than 100 customers in the cohort"}
    page = compose(tmp_path / "b", res, "en")
    secs = {s["id"]: s for s in page.context["sections"]}
    (line,) = secs["churn"]["status_lines"]
    assert line.startswith("Not computed") and res["churn"]["reason"] in line
    assert secs["churn"]["paragraphs"] == [] and not secs["churn"]["recs"]
    (line,) = secs["campaigns"]["status_lines"]
    assert "No results" in line and "did not run" in line
    assert not any(f.section in ("churn", "campaigns") for f in page.findings)
    html = build_briefing(tmp_path / "b", res, "en", deck=False).read_text(encoding="utf-8")
    assert "Not computed: interactions table missing" in html


def test_an_empty_run_still_builds(tmp_path):
    res = {"schema_version": 1, "branch_id": "x", "as_of": "2026-06-30", "probe": {"status": "ok", "n": 3}}
    html = build_briefing(tmp_path, res, "zh", deck=False).read_text(encoding="utf-8")
    assert "本期数据未触发任何建议规则" in html and "本节无结果" in html


def test_numbers_change_the_briefing(run_zh):
    folder, res = run_zh
    before = compose(folder, res, "zh")
    res = copy.deepcopy(res)
    res["relationship_managers"]["coverage_top20"] = 0.95
    res["satisfaction"]["cs_gap"]["fees_value"] = -2.9
    res["satisfaction"]["drivers"]["fees_value"]["estimate"] = 0.5
    after = compose(folder, res, "zh")
    assert "relationship_managers.coverage_top20" in {f.id for f in before.findings}
    assert "relationship_managers.coverage_top20" not in {r.id for r in after.recommendations}
    fix = next(r for r in after.recommendations if r.id == "satisfaction.fix_first")
    assert fix.cites == "satisfaction.cs_gap.fees_value" and "2.90" in fix.finding


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_embedded_font_covers_every_character(specimens, tmp_path, lang):
    folder, res = _copy(specimens, lang, tmp_path)
    page = Page(build_briefing(folder, res, lang, deck=False).read_text(encoding="utf-8"))
    cmap = embedded_font_cmap(page.style)
    missing = {c for c in page.visible if not c.isspace() and ord(c) not in cmap}
    assert not missing, missing
    assert f'font-family: "{fonts.FAMILY}"' in page.style
    assert len(cmap) < 3000  # a subset, not the 16 MB font


def test_english_briefing_has_no_chinese_but_the_data_names(run_en):
    folder, res = run_en
    page = Page(build_briefing(folder, res, "en", deck=False).read_text(encoding="utf-8"))
    text = page.visible
    names = set(BRANCH_A.values()) | set(res["competitors"]["deposit_share"])
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    assert not CJK.findall(text), sorted(set(CJK.findall(text)))
    html_tag = next(a for t, a in page.attrs if t == "html")
    assert html_tag["lang"] == "en"


def test_branch_named_by_a_section_when_the_run_card_does_not_name_it(run_zh):
    folder, res = run_zh
    res = {k: v for k, v in res.items() if k != "branch"}
    res["overview"] = {**res.get("overview", {}), "branch": dict(BRANCH_A)}
    page = compose(folder, res, "zh")
    assert page.context["branch_title"] == "建行测试甲支行"
    assert "competitors.deposit_share" in {r.id for r in page.recommendations}
    # named nowhere: the branch id, and no rule that needs to know the home bank
    res["overview"].pop("branch")
    page = compose(folder, res, "zh")
    assert page.context["branch_title"] == "fixture-a"
    assert "competitors.deposit_share" not in {r.id for r in page.recommendations}


def _glyph_warnings(ev: Evidence, lang: str) -> list[str]:
    """Matplotlib's "Glyph … missing from font(s)" messages while drawing `ev`."""
    caught: list[str] = []

    class Grab(logging.Handler):
        def emit(self, record):
            caught.append(record.getMessage())

    handler = Grab()
    logging.getLogger("matplotlib").addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            evidence_png(ev, lang)
        caught += [str(x.message) for x in w]
    finally:
        logging.getLogger("matplotlib").removeHandler(handler)
    return [m for m in caught if "missing from font" in m]


CHINESE = Evidence(
    title="投诉未在30天内解决的客户流失几率是其他客户的2.2倍",
    labels=("时限性（等候与办理时间）", "收费与性价比", "中国邮政储蓄银行"),
    values=(-1.8, -1.2, 0.3),
    highlight=0,
    reference=0.0,
    reference_label="基准",
    unit="points",
)


def test_chinese_figures_have_every_glyph():
    assert _glyph_warnings(CHINESE, "zh") == []


def test_the_glyph_check_can_fail(monkeypatch):
    import matplotlib.pyplot as plt

    import analysis.report.figures as figures

    # the same figure in a Latin-only font: the check must see the empty boxes
    monkeypatch.setattr(
        figures,
        "use_style",
        lambda lang: plt.rcParams.update({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}),
    )
    assert _glyph_warnings(CHINESE, "zh")


def test_results_json_untouched(run_zh):
    folder, res = run_zh
    before = (folder / "results.json").read_bytes()
    build_briefing(folder, res, "zh", deck=False)
    assert (folder / "results.json").read_bytes() == before
    assert json.loads(before)["branch_id"] == "fixture-a"


def test_run_card_names_the_data_folder_and_tables_in_words():
    """No machine path and no table name of the contract on the run card."""
    results = {
        "run": {
            "data_dir": "/home/analyst/extracts/bank-2026q3",
            "tables": {"customers": 3000, "monthly_snapshots": 71806},
            "missing_tables": ["campaigns"],
        }
    }
    zh = {r["label"]: r["value"] for r in run_card_rows(results, "zh")}
    en = {r["label"]: r["value"] for r in run_card_rows(results, "en")}
    assert zh["数据文件夹"] == "bank-2026q3" and en["Data folder"] == "bank-2026q3"
    assert zh["数据表（行数）"] == "客户资料 3,000; 月度余额快照 71,806"
    assert en["Tables (rows)"] == "customer records 3,000; monthly balance snapshots 71,806"
    assert "营销活动清单" in " ".join(zh.values()) and "campaign list" in " ".join(en.values())


# ---------------------------------------------------------------------------
# the appendix: method diagnostics out of the main text

#: the campaigns' figures of a run: what a manager acts on, and the checks of the estimates' premises
MAIN_FIGURES = ("campaigns_randomized", "campaigns_profit")
DIAGNOSTIC_FIGURES = (
    "campaigns_balance_FX-A1",
    "campaigns_overlap_FX-A1",
    "campaigns_event_study_FX-A1",
    "campaigns_event_study_FX-A2",
)


def _with_campaign_figures(folder: Path) -> dict[str, str]:
    """Campaign figures (main and diagnostic) and the campaigns' names in the run folder; stem → data URI."""
    out = {}
    for i, stem in enumerate(MAIN_FIGURES + DIAGNOSTIC_FIGURES):
        path = folder / "figures" / f"{stem}.png"
        buf = io.BytesIO()
        Image.new("RGB", (40 + i, 30), "#336699").save(buf, format="PNG")  # each its own bytes
        path.write_bytes(buf.getvalue())
        out[stem] = data_uri(path)
    (folder / "tables").mkdir(exist_ok=True)
    (folder / "tables" / "campaigns.csv").write_text(
        "campaign_id,name,kind,design\nFX-A1,2025年红酒品鉴会,wine_tasting,targeted\nFX-A2,2025年生日问候,birthday_greeting,targeted\n",
        encoding="utf-8",
    )
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diagnostics_are_in_the_appendix_not_in_the_main_text(specimens, tmp_path, lang):
    folder, res = _copy(specimens, lang, tmp_path)
    uris = _with_campaign_figures(folder)
    page = compose(folder, res, lang)
    campaigns = next(s for s in page.context["sections"] if s["id"] == "campaigns")
    shown = {f["uri"] for f in campaigns["figures"]}
    assert {uris[s] for s in MAIN_FIGURES} <= shown  # the effect with its interval, the profit: in the main text
    assert not shown & {uris[s] for s in DIAGNOSTIC_FIGURES}  # no diagnostic in section 6
    appendix = page.context["appendix"]
    assert [f["uri"] for f in appendix["figures"]] == [uris[s] for s in DIAGNOSTIC_FIGURES]  # by kind, then campaign
    see = "见附录" if lang == "zh" else "see appendix"
    assert see in campaigns["appendix_note"] and "4" in campaigns["appendix_note"]
    name = "2025年红酒品鉴会" if lang == "zh" else "Wine tasting"
    assert name in appendix["figures"][0]["caption"]  # the campaign by its name, not its id
    assert not any("FX-A" in f["caption"] for f in appendix["figures"])
    html = build_briefing(folder, res, lang, deck=False).read_text(encoding="utf-8")
    main = section_text(html, "campaigns")
    assert see in main
    start = html.index('id="campaigns"')
    main_imgs = html[start : html.index("</section>", start)]
    assert not any(uris[s] in main_imgs for s in DIAGNOSTIC_FIGURES)
    tail = html[html.index('<section class="page appendix" id="appendix"') :]
    assert all(uris[s] in tail for s in DIAGNOSTIC_FIGURES)
    assert html.index('id="runcard"') < html.index('id="appendix"')
    assert len(re.findall(r"<img ", html)) == len(list((folder / "figures").glob("*.png")))  # every figure, once


def test_ratio_evidence_is_a_forest_plot_not_bars_on_a_log_axis():
    """Odds ratios on a log axis (Fig 2.4): a bar needs a zero to grow from
    and a log axis has none, so each ratio is a point inside its interval's
    whiskers, with a reference line at 1."""
    from matplotlib.patches import Rectangle

    ev = Evidence(
        title="What makes customers leave",
        labels=("no mobile banking", "open complaint", "not VIP"),
        values=(2.4, 1.3, 0.7),
        lows=(1.8, 0.9, 0.55),
        highs=(3.2, 1.9, 0.9),
        highlight=0,
        reference=1.0,
        unit="ratio",
    )
    fig = evidence_figure(ev, "en", size=(6.2, 4.4))
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert not [p for p in ax.patches if isinstance(p, Rectangle)]  # no bars
    assert any(list(line.get_xdata()) == [1, 1] for line in ax.lines)  # the reference at 1
    bars = ax.containers
    assert len(bars) == 3
    for c, v, lo, hi in zip(bars, ev.values, ev.lows, ev.highs):
        point, _, (whisker,) = c.lines
        assert point.get_xdata()[0] == pytest.approx(v)
        (segment,) = whisker.get_segments()
        assert sorted(segment[:, 0]) == pytest.approx([lo, hi])
    assert evidence_png(ev, "en").startswith(b"\x89PNG")
