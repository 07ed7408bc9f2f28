"""OUT/index.html: every branch of a run side by side.

Links to each branch's briefing (and deck), a league table of the headline
figures (`analysis.report.headline`, the columns of branches.csv) with the
best and the worst branch marked on every figure that has a better
direction, each branch's first finding, the branches without data (listed
in branches, nothing to analyse) and the branches that failed with their
error (notebook and cell where known). Opens offline like the
briefing: the font subset is embedded, nothing is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.questions import noise
from analysis.report import fonts
from analysis.report.briefing import environment, punctuation, scorecard_card, strings
from analysis.report.context import make_context
from analysis.report.findings import top_findings
from analysis.report.headline import HEADLINE, Headline, format_value, number, path_of
from analysis.report.progress import summary as progress_summary
from analysis.report.recommendations import evaluate
from analysis.report.sparkline import sparkline
from analysis.words.i18n import pick, t

#: The league table's columns, in order (the headline figures, the columns of branches.csv).
Column = Headline
COLUMNS: tuple[Headline, ...] = HEADLINE
_number = number


def marks(values: list, better: int, kind: str = "number2", errors: list | None = None) -> list[str | None]:
    """ "best" / "worst" for each value of a figure across branches (None: unmarked).

    Values are compared as shown (formatted by `kind`), so that two branches
    that read the same are marked the same. Nothing is marked for a figure
    without a better direction, with fewer than two branches reporting it,
    when they all read the same, or when the best and the worst are not apart
    beyond noise (`analysis.questions.noise.apart`, from each value's standard
    error in `errors`; an unknown error claims nothing). Without `errors` the
    values are taken as exact.
    """
    nums = [_number(v) for v in values]
    present = [x for x in nums if x is not None]
    if better == 0 or len(present) < 2:
        return [None] * len(values)
    best = max(present) if better > 0 else min(present)
    worst = min(present) if better > 0 else max(present)
    best_text, worst_text = format_value(best, kind), format_value(worst, kind)
    if best_text == worst_text:
        return [None] * len(values)
    if errors is not None:
        se = dict(zip(nums, errors))  # the error of the branch that reads best (worst)
        if noise.apart(worst, se.get(worst), best, se.get(best)) is not True:
            return [None] * len(values)
    out: list[str | None] = []
    for x in nums:
        text = format_value(x, kind) if x is not None else None
        out.append("best" if text == best_text else "worst" if text == worst_text else None)
    return out


def _branch_results(folder: str | None) -> dict | None:
    if not folder:
        return None
    path = Path(folder) / "results.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _get(o, name, default=None):
    return o.get(name, default) if isinstance(o, dict) else getattr(o, name, default)


def compose_index(out_root: Path, outcomes: Iterable, lang: str = "zh", trends: Mapping | None = None) -> dict:
    """What the index shows: the branches, the league table (a row per figure,
    a column per branch, each cell with its trend over the branch's runs where
    `trends` has two or more: branch_id → headline key → [(as_of, value)]) and
    the failed branches."""
    trends = trends or {}
    out_root = Path(out_root)
    outcomes = list(outcomes)
    ok = [o for o in outcomes if _get(o, "ok") and not _get(o, "no_data")]
    failed = [o for o in outcomes if not _get(o, "ok")]
    # listed in branches, nothing to analyse (a closed or merged outlet): not a failure
    empty = [{"branch_id": _get(o, "branch_id"), "why": _get(o, "no_data")} for o in outcomes if _get(o, "no_data")]
    # one column per branch, one row per figure: a handful of branches reads
    # across, fourteen figures read down
    columns = [c for c in COLUMNS if any(_number((_get(o, "headline") or {}).get(c.key)) is not None for o in ok)]
    branches = []
    noise_of = {}  # branch_id → its results and its scorecard's errors: each value's standard error
    for o in ok:
        bid = _get(o, "branch_id")
        res = _branch_results(_get(o, "folder"))
        name, top = bid, ""
        if res is not None:
            ctx = make_context(res, lang, _get(o, "folder"))
            name = ctx.branch_name or bid
            found = top_findings(evaluate(res, lang, context=ctx), n=1)
            top = found[0].headline if found else ""
        folder = Path(_get(o, "folder") or out_root / bid)
        noise_of[bid] = (res or {}, noise.scorecard_errors(scorecard_card(folder)))
        branches.append(
            {
                "branch_id": bid,
                "name": name,
                "top": top,
                "href": f"{bid}/briefing.html",
                "deck_href": f"{bid}/briefing.pptx" if (folder / "briefing.pptx").is_file() else None,
                "targets": progress_summary(folder, lang),  # None without targets
            }
        )
    rows = []
    for c in columns:
        values = [(_get(o, "headline") or {}).get(c.key) for o in ok]
        errors = []  # a best and a worst are marked only beyond noise
        for b, v in zip(branches, values):
            res, survey = noise_of[b["branch_id"]]
            errors.append(noise.figure_se(path_of(c, res), _number(v), res, survey))
        rows.append(
            {
                "key": c.key,
                "label": c.label(lang),
                "cells": [
                    {
                        "branch_id": b["branch_id"],
                        "text": format_value(v, c.kind),
                        "mark": m,
                        "spark": sparkline(
                            (trends.get(b["branch_id"]) or {}).get(c.key) or (),
                            c.better,
                            lambda x, kind=c.kind: format_value(x, kind),
                        ),
                    }
                    for b, v, m in zip(branches, values, marks(values, c.better, c.kind, errors))
                ],
            }
        )
    fails = []
    for o in failed:
        nb, cell = _get(o, "notebook"), _get(o, "cell")
        where = (
            (
                t("in_notebook", lang, notebook=nb, cell=cell)
                if cell is not None
                else t("in_notebook_nocell", lang, notebook=nb)
            )
            if nb
            else ""
        )
        fails.append(
            {
                "branch_id": _get(o, "branch_id"),
                "error": _get(o, "error") or "—",
                "where": where,
                "seconds": f"{_get(o, 'seconds') or 0:.1f}",
            }
        )
    as_ofs = sorted(
        {str((_get(o, "headline") or {}).get("as_of")) for o in ok if (_get(o, "headline") or {}).get("as_of")}
    )
    earlier = sum(1 for o in ok if _get(o, "earlier"))
    meta = [pick(lang, f"{len(ok) - earlier}个网点完成", f"{len(ok) - earlier} branches done")]
    if earlier:  # reports an earlier run left in the same folder
        meta.append(pick(lang, f"{earlier}个沿用此前的运行", f"{earlier} from earlier runs"))
    if empty:
        meta.append(pick(lang, f"{len(empty)}个无数据", f"{len(empty)} without data"))
    if failed:
        meta.append(pick(lang, f"{len(failed)}个失败", f"{len(failed)} failed"))
    if as_ofs:
        meta.append(f"{t('as_of', lang)} {', '.join(as_ofs)}")
    return {
        "lang": lang,
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "font_family": fonts.FAMILY,
        "s": strings(lang),
        **punctuation(lang),
        "page_title": t("index_title", lang),
        "meta_line": " · ".join(meta),
        "branches": branches,
        "rows": rows,
        "failed": fails,
        "no_data": empty,
        "targets_label": pick(lang, "目标进度", "Targets"),
        "any_targets": any(b["targets"] for b in branches),
        "no_data_title": pick(lang, "无数据的网点", "Branches without data"),
        "no_data_why": pick(lang, "数据中没有该网点的客户或月度快照", "no customers or monthly snapshots in the data"),
    }


def build_index(out_root: Path, outcomes, lang: str = "zh", trends: Mapping | None = None) -> Path:
    """Write OUT/index.html (`trends`: see `compose_index`)."""
    out_root = Path(out_root)
    context = compose_index(out_root, outcomes, lang, trends)
    html = fonts.embed_font(environment().get_template("index.html.j2").render(**context))
    path = out_root / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
