"""No two texts of any figure a run saves overlap (issue 14): every notebook's
code runs in this process on a sample branch, and each figure is measured as
it is saved (`analysis.figures.style.save`, the one door every figure of a
run goes through), by the rendered extents of its texts; and the English
edition's figures carry no Chinese text."""

from __future__ import annotations

import contextlib
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402
from fixtures.texts import HAN, drawn_texts, overlaps  # noqa: E402

import analysis  # noqa: E402
from analysis.figures import style  # noqa: E402
from analysis.run import runner  # noqa: E402


def test_the_check_finds_an_overlap():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.text(0.5, 0.5, "one label")
    ax.text(0.52, 0.5, "another label")
    ax.text(0.1, 0.1, "alone")
    assert overlaps(fig) == [("one label", "another label")]
    plt.close(fig)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_two_texts_of_any_saved_figure_overlap(sample_dir, tmp_path, monkeypatch, lang):
    measured: dict[str, list[tuple[str, str]]] = {}
    chinese: dict[str, list[str]] = {}  # the English edition's figures speak English
    save = style.save

    def measuring_save(fig, out_dir, name):
        path = save(fig, out_dir, name)
        measured[name] = overlaps(fig)
        if lang == "en":
            chinese[name] = [t.get_text() for t in drawn_texts(fig) if HAN.search(t.get_text())]
        plt.close(fig)
        return path

    monkeypatch.setattr(style, "save", measuring_save)
    branch = analysis.data.bank.branch_ids(sample_dir)[0]
    prepared = analysis.load(sample_dir, branch).save(tmp_path / "_bank")
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    with matplotlib.rc_context(), contextlib.redirect_stdout(io.StringIO()):
        for nb_path in runner.notebook_paths():
            nb = nbformat.read(nb_path, as_version=4)
            ns: dict = {"__name__": "__main__"}
            for cell in nb.cells:
                if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
                    exec(compile(cell.source, nb_path.name, "exec"), ns)
            ns |= {"bank_path": str(prepared), "branch": branch, "out_dir": str(out), "lang": lang}
            for cell in nb.cells:
                if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
                    continue
                src = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
                exec(compile(src, nb_path.name, "exec"), ns)
            plt.close("all")
    assert len(measured) >= 25, sorted(measured)  # every notebook drew its figures
    bad = {name: pairs for name, pairs in measured.items() if pairs}
    assert not bad, bad
    assert not {name: texts for name, texts in chinese.items() if texts}
