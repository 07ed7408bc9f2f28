"""The composed briefing (`Page`: what the HTML page and the deck both show)
and every string it shows, as the consistency check reads it: with where it
is on the page, split into sentences, and the customer groups of the plan's
lists (a bold title and its lines)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.report.recommendations import Recommendation


@dataclass
class Page:
    """Everything the briefing's template shows (`briefing.compose`), kept for
    the deck and the tests: the template's context, every recommendation by
    score, the first page's findings, and the run's figures by section."""

    context: dict
    recommendations: list[Recommendation] = field(default_factory=list)
    findings: list[Recommendation] = field(default_factory=list)
    figures: dict[str | None, list[Path]] = field(default_factory=dict)


@dataclass(frozen=True)
class Text:
    where: str
    text: str


#: context keys that are not shown as text
HIDDEN = {
    "uri",
    "html_lang",
    "font_family",
    "lang",
    "id",
    "anchor",
    "cites",
    "priority",
    "confidence",
    "campaign_names",
    "action_id",  # a plan row's id: a data attribute of the page, not text
}
TAG = re.compile(r"<[^>]+>")


def _walk(node: Any, where: str) -> Iterable[Text]:
    if isinstance(node, str):
        if node.strip():
            yield Text(where, TAG.sub(" ", node) if "<" in node else node)
    elif isinstance(node, Mapping):
        if "text" in node and "bold" in node and isinstance(node["text"], str):  # one segment
            yield Text(where, node["text"])
            return
        for k, v in node.items():
            if k in HIDDEN:
                continue
            yield from _walk(v, f"{where}.{k}" if where else str(k))
    elif isinstance(node, (list, tuple)):
        if node and all(isinstance(x, Mapping) and "bold" in x for x in node):  # a line of segments
            yield Text(where, "".join(str(x.get("text", "")) for x in node))
            return
        for i, v in enumerate(node):
            tag = v.get("id") if isinstance(v, Mapping) and isinstance(v.get("id"), str) else str(i)
            yield from _walk(v, f"{where}[{tag}]")


def visible_texts(page) -> list[Text]:
    """Every string the briefing shows, with where it is (`sections[plan].blocks[3]`)."""
    if page is None:
        return []
    ctx = page.context if hasattr(page, "context") else page
    return list(_walk(ctx, ""))


SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[.!?])\s+|\n")


def sentences(texts: Iterable[Text]) -> list[Text]:
    out = []
    for t in texts:
        for s in SENTENCE_END.split(t.text):
            if s and s.strip():
                out.append(Text(t.where, s.strip()))
    return out


def groups(page) -> list[tuple[str, str, list[str]]]:
    """Customer groups of the plan lists: (where, the group's bold title, its lines)."""
    out: list[tuple[str, str, list[str]]] = []
    if page is None:
        return out
    for sec in (page.context if hasattr(page, "context") else page).get("sections", []):
        current = None
        for i, b in enumerate(sec.get("blocks") or []):
            if b.get("kind") == "p":
                segs = b.get("segments") or []
                if segs and segs[0].get("bold"):
                    current = (f"sections[{sec.get('id')}].blocks[{i}]", segs[0]["text"], [])
                    out.append(current)
                else:
                    current = None
            elif b.get("kind") == "ul" and current is not None:
                current[2].extend("".join(s.get("text", "") for s in item) for item in b.get("items") or [])
    return out
