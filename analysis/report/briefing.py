"""The strategy briefing of one branch: `briefing.html` (first version).

Self-contained HTML (figures embedded as data URIs, no network resources,
no code), built from `results.json` and the run's `figures/`.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<figure><img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}"></figure>'


def build_briefing(out_dir: str | Path, results: dict, lang: str = "zh") -> Path:
    out_dir = Path(out_dir)
    figs = sorted((out_dir / "figures").glob("*.png"))
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(str(results.get('branch_id')))}</title></head><body>",
        f"<h1>{html.escape(str(results.get('branch_id')))} — {html.escape(str(results.get('as_of')))}</h1>",
    ]
    parts += [_img(p) for p in figs]
    parts.append("<pre>" + html.escape(json.dumps(results, ensure_ascii=False, indent=1)) + "</pre>")
    parts.append("</body></html>")
    path = out_dir / "briefing.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
