"""Parameters of notebook 03 that fit the corpus: the actor examined in detail and the outlets compared.

As in :mod:`newsscope.trends.choose`: an explicit value wins; None means "from the corpus", which
on the built-in corpus (``builtin:newsarticles``) gives the values the notebook was written with
(:data:`TUNED`) and elsewhere comes from the corpus itself. Each function returns ``(value, why)``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["TUNED", "choose_ego_actor", "choose_outlets"]

#: Values chosen by hand for the built-in corpus (read in notebook 03's text).
TUNED: dict[str, dict[str, object]] = {
    "builtin:newsarticles": {"ego_actor": "Russia", "outlets": ["TASS", "BBC", "Al Jazeera", "CNN"]},
}


def _tuned(corpus: str | None, name: str) -> object | None:
    return TUNED.get(str(corpus), {}).get(name) if corpus is not None else None


def choose_ego_actor(net, *, actor: str | None = None, corpus: str | None = None) -> tuple[str | None, str]:
    """Return the actor whose partners the notebook examines, and why.

    Parameters
    ----------
    net : ActorNetwork
        From :func:`newsscope.actors.load_actors`.
    actor : str, optional
        The notebook's ``ego_actor``: used when it is in the network.
    corpus : str, optional
        The corpus spec: the built-in corpus gets its tuned actor.

    Returns
    -------
    (str or None, str)
        The actor, and why: ``"given"``, ``"tuned for <corpus>"``, ``"the most central actor"``
        (most partners, then most mentions, then by name) or ``"the most mentioned actor"`` when
        no actor has an edge; None when the corpus has no actor.
    """
    if actor is not None and actor in net.graph:
        return actor, "given"
    tuned = _tuned(corpus, "ego_actor")
    if actor is None and tuned is not None and tuned in net.graph:
        return str(tuned), f"tuned for {corpus}"
    missing = f" ({actor!r} is not in the network)" if actor is not None else ""
    table = net.actors
    if table.empty:
        return None, "no actor in the corpus" + missing
    ranked = table.sort_values(["degree", "mentions", "actor"], ascending=[False, False, True], kind="stable")
    best = ranked.iloc[0]
    why = "the most central actor" if best["degree"] > 0 else "the most mentioned actor (no actor has an edge)"
    return str(best["actor"]), why + missing


def choose_outlets(articles: pd.DataFrame, *, outlets: str | Iterable[str] | None = None, corpus: str | None = None,
                   n: int = 4) -> tuple[list[str], str]:
    """Return the outlets to compare for the ego actor, and why.

    Given outlets are kept when they are in the corpus; the built-in corpus gets its tuned four;
    otherwise the ``n`` largest outlets (most articles, ties by name).
    """
    counts = articles["source"].dropna().astype(str).value_counts() if "source" in articles.columns else pd.Series(dtype=int)
    if outlets is not None:
        wanted = [outlets] if isinstance(outlets, str) else list(outlets)
        present = [o for o in wanted if o in counts.index]
        absent = [o for o in wanted if o not in counts.index]
        return present, "given" + (f" ({', '.join(absent)} not in the corpus)" if absent else "")
    tuned = _tuned(corpus, "outlets")
    if tuned is not None:
        return [o for o in tuned if o in counts.index], f"tuned for {corpus}"  # type: ignore[union-attr]
    order = counts.rename_axis("outlet").reset_index(name="n").sort_values(["n", "outlet"], ascending=[False, True])
    chosen = order["outlet"].head(n).tolist()
    return chosen, f"the {len(chosen)} largest outlets" if chosen else "no outlet in the corpus"
