"""Executing the notebooks and presenting them: ``newsscope run`` and ``newsscope report``.

Modules
-------
record    where a run writes (in place or an output root) and the run record ``.run.json``
execute   executing notebooks; failures saved as ``NN-slug.failed.ipynb`` and explained
report    HTML pages of the executed notebooks (no stderr, nothing from the network)
index     the front page ``index.html``: corpus, run, notebooks and their status, figure gallery
captions  captions of the exported figures
"""

from __future__ import annotations

from newsscope.runner.execute import (NotebookFailed, NotebookFailure, RunResult, execute_notebook, list_notebooks,
                                      run_notebooks)
from newsscope.runner.record import choose_output_root, read_record
from newsscope.runner.report import Report, render_page, write_report

__all__ = ["NotebookFailed", "NotebookFailure", "RunResult", "Report", "list_notebooks", "execute_notebook",
           "run_notebooks", "choose_output_root", "read_record", "render_page", "write_report"]
