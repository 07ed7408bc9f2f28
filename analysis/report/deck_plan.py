"""The plan in the deck: next quarter's decisions for the summary, the plan
and budget table, and the next steps, as table cells and speaker notes.

The plan itself (which actions, their order, owners, costs, profit and its
interval, holdouts) is `analysis.questions.plan`'s, read from the results'
plan section; the summary's decisions are the first page's
(`questions.summary.decisions`), the plan table's rows in `top_actions`'
order (profit, then cost). Every money figure is a yearly net contribution with
its 95 % interval, or "none claimed".
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.questions.plan import top_actions
from analysis.questions.summary import Decision, Decisions
from analysis.report import paths
from analysis.report.context import ReportContext
from analysis.report.deck_layout import ACCENT, INK, MIN_PT, TEXT_PT, Para, para, table_height
from analysis.words import deck as W
from analysis.words.format import amount, is_number
from analysis.words.glossary import term
from analysis.words.plan import action_line, kpi_label, kpi_value, role_label

#: the plan table's columns, inches: action, owner, when, cost, yearly net contribution, holdout
PLAN_WIDTHS = [4.1, 1.8, 1.9, 1.3, 2.0, 1.0]
#: the summary's decisions table: action, cost, yearly net contribution
DECISION_WIDTHS = [3.7, 1.2, 2.2]

Cells = list[list[Para]]


def plan_of(ctx: ReportContext) -> dict | None:
    """The results' plan section when it was computed and has actions."""
    plan = paths.section(ctx.results, "plan")
    return plan if isinstance(plan, dict) and plan.get("status") == "ok" and plan.get("actions") else None


def claims_profit(rows: list[Mapping]) -> bool:
    return any(is_number(r.get("profit_12m")) for r in rows)


def _profit(r: Mapping, lang: str) -> str:
    """For the notes: with its unit."""
    return W.profit_words(r.get("profit_12m"), r.get("profit_ci_low"), r.get("profit_ci_high"), lang)


def _profit_cell(r: Mapping, lang: str) -> str:
    """For a table: in the column's unit."""
    return W.profit_cell(r.get("profit_12m"), r.get("profit_ci_low"), r.get("profit_ci_high"), lang)


def cells(texts: list[str], bold: tuple[int, ...] = (), color=INK, size: float = MIN_PT) -> Cells:
    """One table row: a paragraph per cell (by default at the smallest legible size)."""
    return [[para(x, size, k in bold, color)] for k, x in enumerate(texts)]


def _decision_parts(d: Decision, lang: str) -> tuple[str, str, str]:
    """(the table's short action, its profit cell, the note) of one decision;
    the stopped campaigns as one decision."""
    c = d.contribution
    est, low, high = (c.estimate, c.low, c.high) if c is not None else (None, None, None)
    cell = W.profit_cell(est, low, high, lang)
    if d.kind == "campaign_stop":  # what they give up beside what they free: the whole plan's total excludes both
        names = [W.campaign_label(det, lang) for det in d.details]
        note = W.stops_note(names, d.saved, lang) + W.forgone_note(W.profit_words(est, low, high, lang), lang)
        return W.stops_action(names, lang), W.stop_cell(est, d.saved, lang), note
    r, det = d.rows[0], (d.details[0] if d.details else {})
    note = W.decision_note(action_line(r, det, lang), d.cost, W.profit_words(est, low, high, lang), lang)
    return W.short_action(r, det, lang), cell, note


def decisions(dec: Decisions, plan: dict, lang: str, room_in: float) -> tuple[list[Cells], list[str]]:
    """The summary's table (header, next quarter's decisions as the briefing's
    first page chooses them: `questions.summary.decisions`, the whole plan),
    at 16 pt when it fits `room_in` inches (else 14), and its notes."""
    parts = [_decision_parts(d, lang) for d in dec.chosen]
    claimed = claims_profit(plan["actions"])
    whole = W.profit_cell(
        plan.get("profit_12m") if claimed else None, plan.get("profit_ci_low"), plan.get("profit_ci_high"), lang
    )

    def table_at(size: float) -> list[Cells]:
        out = [cells([W.say("action", lang), W.column("cost", lang), W.column("profit", lang)], size=size)]
        for d, (action, cell, _) in zip(dec.chosen, parts):
            out.append(cells([action, amount(d.cost, lang), cell], (2,), size=size))
        out.append(cells([W.say("whole_plan", lang), amount(plan.get("cost"), lang), whole], (0, 1, 2), size=size))
        out[-1][2] = [para(whole, size, True, ACCENT)]
        return out

    table = table_at(TEXT_PT)
    if table_height(DECISION_WIDTHS, table) > room_in:
        table = table_at(MIN_PT)
    return table, [note for _, _, note in parts]


def _row(action: str, rs: list[Mapping], lang: str, size: float = MIN_PT) -> Cells:
    """A row of the plan table for one action, or for several summed (stopped campaigns, the rest)."""
    owners = {r["owner_role"] for r in rs}
    starts, ends = [r.get("start") for r in rs], [r.get("end") for r in rs]
    holdouts = {r.get("holdout_share") or 0 for r in rs}
    earning = [r for r in rs if is_number(r.get("profit_12m"))]
    if len(rs) == 1:
        profit = _profit_cell(rs[0], lang)
    else:
        profit = amount(sum(r["profit_12m"] for r in earning), lang) if earning else W.say("not_claimed", lang)
    return cells(
        [
            action,
            role_label(rs[0]["owner_role"], lang) if len(owners) == 1 else "—",
            W.date_span(min(starts), max(ends), lang) if all(starts) and all(ends) else "—",
            amount(sum(r.get("cost") or 0 for r in rs), lang),
            profit,
            W.holdout_text(holdouts.pop(), lang) if len(holdouts) == 1 else "—",
        ],
        bold=(4,) if earning else (),
        size=size,
    )


def plan_table(plan: dict, lang: str, room_in: float) -> tuple[list[Cells], list[str]]:
    """The plan and budget table (header first) as fits `room_in` inches, and
    a note for every action.

    Actions in the order of decision; the stopped campaigns in one row; rows
    that do not fit become one ("另有N项行动" / "N more actions") with their
    cost summed."""
    details = plan.get("details") or {}
    ordered = top_actions(plan, n=len(plan["actions"]))
    stops = [r for r in ordered if r["action"] == "campaign_stop"]
    rest = [r for r in ordered if r["action"] != "campaign_stop"]
    items = [(W.short_action(r, details.get(r["action_id"]), lang), [r]) for r in rest]
    names = [W.campaign_label(details.get(r["action_id"]) or {}, lang) for r in stops]

    def table_at(size: float) -> list[Cells]:
        head = cells(
            [
                W.say("action", lang),
                term("owner", lang),
                W.say("when", lang),
                W.column("cost", lang),
                W.column("profit", lang),
                W.say("holdout", lang),
            ],
            size=size,
        )
        tail = [_row(W.stops_action(names, lang), stops, lang, size)] if stops else []
        body = [_row(a, rs, lang, size) for a, rs in items] + tail
        for k in range(len(items) - 1, 0, -1):  # the last actions (before the stops) into one row
            if table_height(PLAN_WIDTHS, [head, *body]) <= room_in:
                break
            merged = [r for _, group in items[k - 1 :] for r in group]
            more = _row(W.more_actions(len(merged), lang), merged, lang, size)
            body = [_row(a, g, lang, size) for a, g in items[: k - 1]] + [more] + tail
        return [head, *body]

    rows = table_at(TEXT_PT)
    if len(rows) < len(items) + bool(stops) + 1:  # all rows fit only at the smallest size
        rows = table_at(MIN_PT)
    said = [
        W.action_note(
            action_line(r, details.get(r["action_id"]), lang),
            role_label(r["owner_role"], lang),
            W.date_span(r.get("start"), r.get("end"), lang),
            r.get("cost"),
            _profit(r, lang),
            W.holdout_text(r.get("holdout_share"), lang),
            lang,
        )
        for r in rest
    ]
    if stops:
        frees = sum(float((details.get(r["action_id"]) or {}).get("frees") or r.get("baseline") or 0) for r in stops)
        said.append(W.stops_note(names, frees, lang))
    return rows, said


def next_steps(plan: dict, lang: str) -> tuple[str, list[str], list[str]]:
    """The next-steps slide: its title, the steps (approve; each owner's
    actions, cost and start; the holdout; the review) and the notes (every
    action's KPI, baseline → target)."""
    details = plan.get("details") or {}
    period = plan.get("period") or {}
    start, end = period.get("start"), period.get("end")
    by_owner: dict[str, list[dict]] = {}
    for r in plan["actions"]:
        by_owner.setdefault(r["owner_role"], []).append(r)
    steps = [W.step_approve(plan.get("cost"), start, lang)] if start else []
    for owner, rs in sorted(by_owner.items(), key=lambda kv: -sum(r.get("cost") or 0 for r in kv[1])):
        cost = sum(r.get("cost") or 0 for r in rs)
        steps.append(W.step_owner(role_label(owner, lang), len(rs), cost, min(r["start"] for r in rs), lang))
    held = sum((r.get("customers") or 0) * (r.get("holdout_share") or 0) for r in plan["actions"])
    if held >= 1:
        steps.append(W.step_holdout(round(held), lang))
    if end:
        steps.append(W.step_review(end, lang))
    days = (plan.get("assumptions") or {}).get("unresolved_days", 30)
    said = [
        W.kpi_note(
            W.short_action(r, details.get(r["action_id"]), lang),
            kpi_label(r["kpi"], lang, days),
            kpi_value(r["kpi"], r.get("baseline"), lang),
            kpi_value(r["kpi"], r.get("target"), lang),
            lang,
        )
        for r in plan["actions"]
        if r.get("kpi")
    ]
    return W.next_title(start, len(by_owner), lang), steps, said
