"""The briefing and the index in a real headless browser (Debian's chromium).

Opened from file:// with the network left alone: the page must render, every
image must load, no request may leave the machine, and every character must
be drawn with the embedded font (Chromium reports, per element, which fonts
it actually used for the text: a character the embedded subset lacks would
show up as a system font, or as nothing, i.e. an empty box).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from fixtures.specimen import make_run

from analysis.questions.qvsrs import METRICS
from analysis.report import fonts
from analysis.report.briefing import build_briefing
from analysis.report.index import build_index
from analysis.run import runner
from analysis.words.names import branch_name

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BRANCH_A = {"branch_name": "建行测试甲支行", "city": "乐山", "home_bank": "中国建设银行"}

# Without chromium these skip (in CI they fail): tests/conftest.py, pytest_runtest_setup.
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def briefings(tmp_path_factory, expected) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("browser")
    out = {}
    for lang in ("zh", "en"):
        folder = root / lang / "fixture-a"
        res = make_run(folder, copy.deepcopy(expected["fixture-a"]), BRANCH_A, lang)
        out[lang] = build_briefing(folder, res, lang, deck=False)
    return out


def open_offline(browser, path: Path):
    """The page at `path`, with every request it makes recorded."""
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requests, failed


def fonts_used(page) -> dict[tuple[str, bool], int]:
    """(font family, embedded?) → glyphs drawn with it, over every element (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used: dict[tuple[str, bool], int] = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]:
        for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            key = (f["familyName"], bool(f.get("isCustomFont")))
            used[key] = used.get(key, 0) + f["glyphCount"]
    cdp.detach()
    return used


# Characters of the page drawn as the font's "missing glyph" box: each distinct
# character is drawn on a canvas in the page's font and compared, pixel for
# pixel, with a private-use code point that no font has.
EMPTY_BOXES = """(family) => {
  const chars = [...new Set(Array.from(document.body.innerText))].filter(c => c.trim());
  const canvas = document.createElement('canvas'); canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = ch => { ctx.clearRect(0, 0, 48, 48); ctx.font = `32px "${family}"`; ctx.fillText(ch, 4, 38);
                       return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(','); };
  const box = draw('\\uE000');
  return {checked: chars.length, boxes: chars.filter(ch => draw(ch) === box)};
}"""


def assert_every_glyph_embedded(page) -> None:
    used = fonts_used(page)
    assert used, "no text drawn"
    fallback = {k: n for k, n in used.items() if not k[1]}
    assert not fallback, f"text drawn with system fonts instead of the embedded one: {fallback}"
    found = page.evaluate(EMPTY_BOXES, fonts.FAMILY)
    assert found["checked"] > 20
    assert not found["boxes"], f"characters drawn as empty boxes: {''.join(found['boxes'])}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_briefing_renders_offline_with_its_own_font(browser, briefings, lang):
    page, requests, failed = open_offline(browser, briefings[lang])
    try:
        # nothing but the page itself and its embedded data
        assert not [u for u in requests if not (u.startswith("data:") or u == briefings[lang].as_uri())], requests
        assert not failed
        assert not any(u.startswith(("http:", "https:", "ws:", "wss:")) for u in requests)
        # it renders: the first page's content is laid out
        assert page.title().startswith(branch_name("建行测试甲支行", lang))
        assert page.locator("ol.findings > li").count() == 5
        assert page.locator("#scorecard tbody tr").count() == len(METRICS)  # the QVSRS scorecard, every figure
        assert page.evaluate("document.body.scrollHeight") > 3000
        # every image loads
        imgs = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert len(imgs) >= 4 and all(done and w > 0 for done, w in imgs), imgs
        # the embedded font is loaded and used for all text
        faces = page.evaluate("Array.from(document.fonts).map(f => [f.family.replace(/\"/g, ''), f.status])")
        assert [fonts.FAMILY, "loaded"] in [list(f) for f in faces]
        assert page.evaluate(f"document.fonts.check('16px \"{fonts.FAMILY}\"', '眉山分行客户流失')")
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert fonts.FAMILY in family
        assert_every_glyph_embedded(page)
    finally:
        page.close()


def test_the_glyph_check_sees_empty_boxes(browser, briefings, tmp_path):
    """The same page with a font that lacks the Chinese glyphs must fail the check."""
    import base64
    import re

    latin = base64.b64encode(fonts.subset_font("")).decode()  # printable ASCII only
    html = re.sub(
        r"data:font/otf;base64,[A-Za-z0-9+/=]+",
        "data:font/otf;base64," + latin,
        briefings["zh"].read_text(encoding="utf-8"),
    )
    bad = tmp_path / "bad.html"
    bad.write_text(html, encoding="utf-8")
    page, _, _ = open_offline(browser, bad)
    try:
        # without system CJK fonts the characters are empty boxes; with them, fallbacks
        with pytest.raises(AssertionError, match="empty boxes|system fonts"):
            assert_every_glyph_embedded(page)
    finally:
        page.close()


def test_screenshot_of_the_first_page(browser, briefings, tmp_path):
    page, _, _ = open_offline(browser, briefings["zh"])
    try:
        png = tmp_path / "briefing.png"
        page.screenshot(path=str(png))
        from PIL import Image

        with Image.open(png) as im:
            colours = im.convert("RGB").resize((64, 64)).getcolors(64 * 64)
        assert len(colours) > 20  # not a blank page
    finally:
        page.close()


def test_index_renders_offline(browser, briefings, tmp_path):
    import json

    folder = briefings["zh"].parent
    res = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    outcomes = [
        runner.BranchOutcome("fixture-a", True, 1.0, folder=str(folder), headline=runner.headline_figures(res)),
        runner.BranchOutcome("fixture-b", False, 1.0, error="ValueError: planted", notebook="02_churn", cell=3),
    ]
    path = build_index(folder.parent, outcomes, "zh")
    page, requests, failed = open_offline(browser, path)
    try:
        assert requests == [path.as_uri()] and not failed
        assert page.locator("table.league thead th[data-branch]").count() == 1
        assert page.locator("table.failed tbody tr").count() == 1
        assert_every_glyph_embedded(page)
    finally:
        page.close()


@pytest.mark.slow
def test_briefing_of_the_sample_bank_from_real_notebooks(browser, sample_dir, tmp_path):
    """The suite's own notebooks on the sample bank (a few of them, for time):
    real figures and the notebooks' prose, checked the same way."""
    opts = runner.RunOptions(
        out_root=tmp_path / "out", quiet=True, lang="zh", notebooks=("00_overview", "03_satisfaction", "06_plan")
    )
    outcome = runner.run_branch(str(sample_dir), "meishan", opts)
    assert outcome.ok, f"{outcome.notebook} cell {outcome.cell}: {outcome.error}"
    path = tmp_path / "out" / "meishan" / "briefing.html"
    page, requests, failed = open_offline(browser, path)
    try:
        assert requests and all(u.startswith("data:") or u == path.as_uri() for u in requests), requests
        assert not failed
        imgs = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        n_png = len(list((tmp_path / "out" / "meishan" / "figures").glob("*.png")))
        assert n_png >= 3 and len(imgs) == n_png and all(done and w > 0 for done, w in imgs)
        assert page.locator("ol.findings > li").count() >= 1
        assert_every_glyph_embedded(page)
    finally:
        page.close()
    assert (tmp_path / "out" / "meishan" / "briefing.pptx").is_file()
