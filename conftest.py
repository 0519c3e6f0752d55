"""nbval settings for the notebooks: stderr (progress bars, warnings) is never compared."""

from __future__ import annotations


def pytest_collection_modifyitems(session, config, items):  # noqa: D103 - pytest hook
    for item in items:
        parent = getattr(item, "parent", None)
        skip = getattr(parent, "skip_compare", None)
        if skip is not None and "stderr" not in skip:
            parent.skip_compare = tuple(skip) + ("stderr",)
