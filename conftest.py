"""nbval settings for the notebooks (``pytest --nbval-lax ... notebooks/*.ipynb``).

Kept at the project root so that ``notebooks/`` holds only the numbered notebooks; pytest loads it
for any path under the root. stderr is never compared: the committed notebooks carry none (warnings
become printed notes, progress bars are off in batch runs), but a library may still warn on one
machine and not on another.
"""

from __future__ import annotations


def pytest_collection_modifyitems(session, config, items):  # noqa: D103 - pytest hook
    for item in items:
        parent = getattr(item, "parent", None)
        skip = getattr(parent, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            parent.skip_compare = tuple(skip) + ("stderr",)
