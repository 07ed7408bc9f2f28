"""Tiny notebooks for runner tests: the house parameters cell, then the given code."""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

PARAMETERS = 'bank_path = None\ndata_dir = None\nbranch = "x"\nas_of = None\nout_dir = None\nlang = "zh"'


def write_notebook(folder: Path, name: str, code: str) -> Path:
    """folder/name: a notebook with a `parameters` cell and one cell of `code` (python3 kernel)."""
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    p = nbf.v4.new_code_cell(PARAMETERS)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbf.v4.new_code_cell(code)]
    folder.mkdir(parents=True, exist_ok=True)
    nbf.write(nb, folder / name)
    return folder / name
