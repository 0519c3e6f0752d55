"""nbval settings for the notebooks: ``python -m pytest -p tests.nbval_plugin --nbval-lax ... notebooks/*.ipynb``.

A plugin loaded by the Makefile's ``nbval`` target (``-p tests.nbval_plugin``), so that neither
``notebooks/`` nor the project root holds a conftest.py. stderr is never compared: the committed
notebooks carry none (warnings become printed notes, progress bars are off in batch runs), but a
library may still warn on one machine and not on another.
"""

from __future__ import annotations


def pytest_collection_modifyitems(session, config, items):  # noqa: D103 - pytest hook
    for item in items:
        parent = getattr(item, "parent", None)
        skip = getattr(parent, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            parent.skip_compare = tuple(skip) + ("stderr",)
