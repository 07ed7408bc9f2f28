"""OUT/index.html: every branch of a run side by side (first version)."""
from __future__ import annotations

import html
from pathlib import Path


def build_index(out_root: Path, outcomes, lang: str = "zh") -> Path:
    rows = []
    for o in outcomes:
        if o.ok:
            rows.append(f"<li><a href='{html.escape(o.branch_id)}/briefing.html'>{html.escape(o.branch_id)}</a></li>")
        else:
            rows.append(f"<li>{html.escape(o.branch_id)}: {html.escape(str(o.error))}</li>")
    path = Path(out_root) / "index.html"
    path.write_text("<!doctype html><html><head><meta charset='utf-8'><title>index</title></head><body><ul>"
                    + "".join(rows) + "</ul></body></html>", encoding="utf-8")
    return path
