"""Progress bars that show only while someone is watching.

:func:`progress_bar` returns a ``tqdm.auto`` bar: a widget in JupyterLab (ipywidgets is pinned), a
text bar in a terminal. It is disabled when nobody watches — batch execution of notebooks
(``newsscope run``, nbconvert, nbval, papermill: their kernels run cells with ``allow_stdin``
off) and scripts whose stderr is not a terminal — so executed notebooks keep no progress residue
and cold and warm runs give the same outputs. ``NEWSSCOPE_PROGRESS=1`` or ``0`` forces it on or off.
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["progress_wanted", "progress_bar"]

PROGRESS_ENV = "NEWSSCOPE_PROGRESS"


def progress_wanted() -> bool:
    """Return True when a progress bar would be seen: an interactive notebook frontend or a terminal."""
    forced = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if forced in ("1", "true", "yes", "on"):
        return True
    if forced in ("0", "false", "no", "off"):
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the notebook stack
        get_ipython = None  # type: ignore[assignment]
    shell = get_ipython() if get_ipython is not None else None
    kernel = getattr(shell, "kernel", None)
    if kernel is not None:
        # a frontend that can answer input() is a person's (JupyterLab, VS Code); batch executors are not
        return bool(getattr(kernel, "_allow_stdin", False))
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def progress_bar(iterable: Any = None, *, enabled: bool = True, **kwargs: Any) -> Any:
    """Return a ``tqdm.auto`` progress bar, disabled unless :func:`progress_wanted` (and ``enabled``).

    Parameters
    ----------
    iterable : iterable, optional
        Passed to tqdm.
    enabled : bool
        The caller's own switch (e.g. a ``progress=False`` argument or a size threshold).
    **kwargs
        tqdm options (``total``, ``desc``, ``unit``, ``leave``, ...).
    """
    from tqdm.auto import tqdm

    return tqdm(iterable, disable=not (enabled and progress_wanted()), **kwargs)
