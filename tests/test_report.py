"""``newsscope report``: pages without stderr or network scripts, and a front page that accounts for
every notebook (ok, failed, not executed, missing) and every figure the latest run wrote."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from browser import check_page, find_chromium
from newsscope.cli import main
from newsscope.runner.captions import CAPTIONS, caption_of
from newsscope.runner.record import RECORD_NAME
from newsscope.runner.report import prepare_for_reader, read_parameters, render_page, write_report

ROOT = Path(__file__).resolve().parents[1]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00"
       b"\x00\x00\rIDATx\xdac\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def executed_notebook(path: Path, title: str, *, error: bool = False, executed: bool = True) -> Path:
    """A notebook as `newsscope run` leaves it: parameters, stdout, stderr, a progress widget, maybe an error."""
    params = nbformat.v4.new_code_cell('corpus = None   # the corpus\nmin_df = 2      # terms in at least this many articles')
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell("# Parameters injected by `newsscope run`\ncorpus = '/data/mine'")
    injected.metadata["tags"] = ["injected-parameters"]
    work = nbformat.v4.new_code_cell("result = analyse(corpus)")
    cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nText."), params, injected, work]
    if executed:
        work.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text="412 articles kept\n"),
            nbformat.v4.new_output("stream", name="stderr", text="UserWarning: /home/dev/src/x.py:12 something\n"),
            nbformat.v4.new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {
                "model_id": "abc", "version_major": 2, "version_minor": 0}, "text/plain": "progress 100%"}),
        ]
        if error:
            work.outputs.append(nbformat.v4.new_output("error", ename="KeyError", evalue="'members'",
                                                       traceback=["\x1b[0;31mKeyError\x1b[0m: 'members'"]))
        for i, c in enumerate(cells[1:], 1):
            c.execution_count = i
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def write_figure(figures: Path, name: str) -> None:
    figures.mkdir(parents=True, exist_ok=True)
    (figures / f"{name}.png").write_bytes(PNG)
    (figures / f"{name}.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    (figures / f"{name}.csv").write_text("x\n1\n")


def local_links(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [unquote(u) for u in re.findall(r'(?:href|src)="([^"#:]+)"', text)]


def test_pages_show_no_stderr_widgets_or_network_scripts(tmp_path: Path) -> None:
    nb_path = executed_notebook(tmp_path / "01-clean.ipynb", "01 · Clean")
    reader = prepare_for_reader(nbformat.read(nb_path, as_version=4))
    assert [o.get("name", o["output_type"]) for o in reader.cells[3].outputs] == ["stdout"]
    assert "widgets" not in reader.metadata
    page = render_page(nb_path, tmp_path / "out" / "01-clean.html").read_text()
    assert "412 articles kept" in page
    assert "UserWarning" not in page and "/home/dev" not in page and "progress 100%" not in page
    assert not re.search(r'<script[^>]+src="https?:', page), "a page loads a script from the network"
    assert 'href="index.html"' in page
    assert "result = analyse" not in page  # inputs hidden by default


def test_read_parameters_marks_injected_values(tmp_path: Path) -> None:
    nb = nbformat.read(executed_notebook(tmp_path / "02-x.ipynb", "02"), as_version=4)
    assert read_parameters(nb) == [("corpus", "'/data/mine'", "the corpus", True),
                                   ("min_df", "2", "terms in at least this many articles", False)]


@pytest.fixture
def out_root(tmp_path: Path) -> Path:
    """An output root after a run in which 02 failed, 03 was never executed and 04 is missing."""
    root = tmp_path / "out" / "mine"
    nbs = root / "notebooks"
    executed_notebook(nbs / "01-clean-articles.ipynb", "01 · Clean the articles")
    executed_notebook(nbs / "02-keyword-trends.ipynb", "02 · Trends (earlier run)")
    executed_notebook(nbs / "02-keyword-trends.failed.ipynb", "02 · Trends", error=True)
    executed_notebook(nbs / "03-actor-cooccurrence.ipynb", "03 · Actors", executed=False)
    for name in ("01-funnel", "01-coverage", "02-volume", "02-burst-timeline", "07-extra"):
        write_figure(root / "figures", name)
    (root / "data" / "results").mkdir(parents=True)
    (root / "data" / "results" / "bursts.csv").write_text("term,start,end,weight,peak_share,docs\n")
    record = {"corpus": "/data/mine", "manifest": None, "corpus_origin": "parameter", "in_place": False,
              "parameters": {"corpus": "/data/mine"}, "notebooks": {
                  "01-clean-articles": {"status": "ok", "executed": "2026-12-05T08:00:00+00:00", "figures": ["01-funnel"]},
                  "02-keyword-trends": {"status": "failed", "executed": "2026-12-05T08:01:00+00:00",
                                        "figures": ["02-volume"], "error": "KeyError: 'members'", "cell": 7,
                                        "first_line": "bursts = trends.find_bursts(dtm)"}}}
    (nbs / RECORD_NAME).write_text(json.dumps(record))
    return root


def test_front_page_accounts_for_every_notebook_and_figure(out_root: Path) -> None:
    report = write_report(out_root / "notebooks", out_root / "report")
    assert report.index == out_root / "report" / "index.html"
    status = {st.stem: st.status for st in report.notebooks}
    assert status == {"01-clean-articles": "ok", "02-keyword-trends": "failed", "03-actor-cooccurrence": "not executed",
                      "04-topic-clusters": "missing"}
    # only what the latest run of each notebook wrote: 01-coverage and 02-burst-timeline are leftovers
    assert [f.name for f in report.figures] == ["01-funnel", "02-volume", "07-extra"]
    assert report.run_date == "2026-12-05 08:01 UTC" and report.corpus == "/data/mine"
    index = report.index.read_text()
    for text in ("/data/mine", "2026-12-05 08:01 UTC", "1 of 4 notebooks ran", "failed at cell [7]",
                 "bursts = trends.find_bursts(dtm)", "KeyError: &#x27;members&#x27;", "02-keyword-trends.failed.html",
                 "an earlier successful run", "no executed notebook", CAPTIONS["01-funnel"], caption_of("07-extra"),
                 "set by <code>newsscope run</code>", "those it wrote before the failure"):
        assert text in index, text
    assert "01-coverage" not in index
    # every link of the front page resolves inside the report folder: it can be moved as it is
    moved = shutil.copytree(out_root / "report", out_root.parent / "moved")
    shutil.rmtree(out_root)
    links = local_links(moved / "index.html")
    assert {"01-clean-articles.html", "02-keyword-trends.failed.html", "03-actor-cooccurrence.html",
            "figures/01-funnel.png", "figures/01-funnel.svg", "figures/01-funnel.csv", "results/bursts.csv"} <= set(links)
    assert [link for link in links if not (moved / link).is_file()] == []


def test_without_a_record_a_newer_failed_copy_marks_the_notebook_failed(out_root: Path) -> None:
    (out_root / "notebooks" / RECORD_NAME).unlink()
    report = write_report(out_root / "notebooks", out_root / "report", expected=["01-clean-articles", "02-keyword-trends"])
    st = {s.stem: s for s in report.notebooks}
    assert st["02-keyword-trends"].status == "failed" and st["02-keyword-trends"].error == "KeyError: 'members'"
    assert st["03-actor-cooccurrence"].status == "not executed"  # found in the folder though not expected
    assert [f.name for f in report.figures] == ["01-coverage", "01-funnel", "02-burst-timeline", "02-volume", "07-extra"]


def test_committed_figures_have_captions() -> None:
    names = sorted(p.stem for p in (ROOT / "figures").glob("[0-9][0-9]-*.png"))
    assert names and [n for n in names if n not in CAPTIONS] == []


def chromium_or_skip() -> str:
    """The Chromium executable; skip without one, unless NEWSSCOPE_REQUIRE_BROWSER is set (CI)."""
    chromium = find_chromium()
    if chromium is None:
        message = "no chromium on PATH: the browser test of the report is skipped (Debian: apt-get install chromium)"
        if os.environ.get("NEWSSCOPE_REQUIRE_BROWSER"):
            pytest.fail(message.replace("is skipped", "cannot run") + "; NEWSSCOPE_REQUIRE_BROWSER is set")
        pytest.skip(message)
    return chromium


def test_browser_check_sees_broken_images_errors_and_network_resources(tmp_path: Path) -> None:
    chromium = chromium_or_skip()
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><script src="https://cdn.invalid/x.js"></script></head><body>'
                    '<img src="missing.png"><script>notDefined();</script></body></html>')
    found = check_page(page, chromium)
    assert [im["width"] for im in found.images] == [0] and found.broken_images
    assert any("notDefined" in e for e in found.errors)
    assert any("cdn.invalid" in f for f in found.failed) and any("missing.png" in f for f in found.failed)


def test_report_of_the_committed_notebooks_in_a_browser(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real `newsscope report` on notebooks/: front page and a notebook page load cleanly."""
    chromium = chromium_or_skip()
    assert main(["report", "--notebooks", str(ROOT / "notebooks"), "--out", str(tmp_path / "report")]) == 0
    report = shutil.copytree(tmp_path / "report", tmp_path / "elsewhere")  # relocatable
    shutil.rmtree(tmp_path / "report")
    n_figures = len(list((ROOT / "figures").glob("[0-9][0-9]-*.png")))
    for name, n_images in (("index.html", n_figures), ("02-keyword-trends.html", None)):
        found = check_page(report / name, chromium)
        assert found.errors == [] and found.failed == [], (name, found)
        assert found.images and found.broken_images == [], (name, found.broken_images)
        if n_images is not None:
            assert len(found.images) == n_images
    index = (report / "index.html").read_text()
    for stem in ("01-clean-articles", "02-keyword-trends", "03-actor-cooccurrence", "04-topic-clusters"):
        assert f'href="{stem}.html"' in index and (report / f"{stem}.html").is_file()
        # the committed 01 carries stderr outputs (warnings, progress bars): the pages never show them
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in (report / f"{stem}.html").read_text()
    assert [link for link in local_links(report / "index.html") if not (report / link).is_file()] == []
    assert 'href="results/topics.csv"' in index
