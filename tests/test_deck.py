"""The deck: opens with python-pptx, has the slides of the story, figures on the findings."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from fixtures.specimen import make_run
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from analysis.report.briefing import build_briefing, compose
from analysis.report.context import make_context
from analysis.report.deck import build_deck as _build_deck
from analysis.words import names


def build_deck(folder, res, lang):
    """The deck as write_briefing builds it: results in the edition's language, composed, then drawn."""
    res = names.in_language(res, lang)
    ctx = make_context(res, lang, folder)
    return _build_deck(folder, compose(folder, res, lang, ctx), ctx)


BRANCH_A = {"branch_name": "建行测试甲支行", "city": "乐山", "home_bank": "中国建设银行"}


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


def texts(slide) -> str:
    out = []
    for sh in slide.shapes:
        if sh.has_text_frame:
            out.append(sh.text_frame.text)
        if sh.has_table:
            out += [c.text for row in sh.table.rows for c in row.cells]
    return "\n".join(out)


def pictures(slide) -> list:
    return [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_deck_has_the_slides_of_the_story(run):
    folder, res = run
    path = build_deck(folder, res, "zh")
    assert path == folder / "briefing.pptx"
    prs = Presentation(str(path))
    names = [s.name for s in prs.slides]
    assert names[:7] == ["title", "scorecard", "finding-1", "finding-2", "finding-3", "finding-4", "finding-5"]
    assert "recommendations" in names and names[-1] == "run-card"
    slides = {s.name: s for s in prs.slides}
    assert "建行测试甲支行" in texts(slides["title"]) and "2026-06-30" in texts(slides["title"])
    card = texts(slides["scorecard"])
    assert "QVSRS" in card and "71.4" in card and "30.0%" in card
    page = compose(folder, res, "zh")
    for i, f in enumerate(page.findings, start=1):
        s = slides[f"finding-{i}"]
        body = texts(s)
        assert f.headline in body and f.finding in body and f.recommendation in body
        assert len(pictures(s)) == 1
    recs = "\n".join(texts(s) for s in prs.slides if s.name.startswith("recommendations"))
    assert all(r.headline in recs for r in page.recommendations)
    assert res["data_fingerprint"] in texts(slides["run-card"])


def test_finding_slide_uses_the_notebook_figure_it_names(run):
    folder, res = run
    prs = Presentation(str(build_deck(folder, res, "zh")))
    page = compose(folder, res, "zh")
    i = next(i for i, f in enumerate(page.findings, start=1) if f.id == "churn.unresolved_complaints")
    blob = pictures(next(s for s in prs.slides if s.name == f"finding-{i}"))[0].image.blob
    assert hashlib.sha1(blob).digest() == hashlib.sha1((folder / "figures" / "churn_drivers.png").read_bytes()).digest()


def test_without_figures_each_finding_gets_its_own_chart(run):
    folder, res = run
    shutil.rmtree(folder / "figures")
    prs = Presentation(str(build_deck(folder, res, "en")))
    finding_slides = [s for s in prs.slides if s.name.startswith("finding-")]
    assert len(finding_slides) == 5
    blobs = {hashlib.sha1(pictures(s)[0].image.blob).hexdigest() for s in finding_slides}
    assert len(blobs) == 5  # one chart per finding, drawn from its evidence


def test_briefing_writes_both_html_and_deck(run):
    folder, res = run
    build_briefing(folder, res, "en")
    assert (folder / "briefing.html").is_file() and (folder / "briefing.pptx").is_file()
    prs = Presentation(str(folder / "briefing.pptx"))
    assert "Strategy briefing" in texts(prs.slides[0])


def test_deck_of_an_empty_run(tmp_path):
    res = {"schema_version": 1, "branch_id": "x", "as_of": "2026-06-30"}
    prs = Presentation(str(build_deck(tmp_path, res, "en")))
    assert [s.name for s in prs.slides] == ["title", "scorecard", "recommendations", "run-card"]
