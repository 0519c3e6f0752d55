"""Summary tables of resolved mentions: actors, aliases, unresolved and ambiguous names."""

from __future__ import annotations


import pandas as pd

from newsscope.actors.aliases import AliasResolver

__all__ = ["actor_table", "alias_table", "unresolved_table", "TYPE_CONFLICT_SHARE"]

#: An actor whose majority NER label covers less than this share of its mentions is reported.
TYPE_CONFLICT_SHARE = 0.75


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def actor_table(resolved: pd.DataFrame) -> pd.DataFrame:
    """Return actor, type, mentions, docs (articles naming it); most mentioned first."""
    kept = resolved[resolved["actor"].notna()]
    if kept.empty:
        return pd.DataFrame(columns=["actor", "type", "mentions", "docs"])
    g = kept.groupby("actor")
    out = pd.DataFrame({"type": g["actor_type"].first(), "mentions": g.size(), "docs": g["doc_id"].nunique()}).reset_index()
    return out.sort_values(["mentions", "docs", "actor"], ascending=[False, False, True]).reset_index(drop=True)


def alias_table(resolved: pd.DataFrame) -> pd.DataFrame:
    """Return actor, alias, mentions, rule: every surface form (as written) and the actor it went to.

    ``rule`` is the resolution rule applied most often to that form. Sorted by the actor's
    mentions, then the alias's.
    """
    kept = resolved[resolved["actor"].notna()]
    cols = ["actor", "alias", "mentions", "rule"]
    if kept.empty:
        return pd.DataFrame(columns=cols)
    k = kept.assign(alias=[_norm(t) for t in kept["text"]])
    counts = k.groupby(["actor", "alias"]).size().rename("mentions")
    rules = k.groupby(["actor", "alias", "rule"]).size().rename("n").reset_index()
    rules = rules.sort_values(["actor", "alias", "n", "rule"], ascending=[True, True, False, True]).drop_duplicates(["actor", "alias"])
    out = counts.reset_index().merge(rules[["actor", "alias", "rule"]], on=["actor", "alias"], how="left")
    total = out.groupby("actor")["mentions"].transform("sum")
    out = out.assign(_t=total).sort_values(["_t", "actor", "mentions", "alias"], ascending=[False, True, False, True])
    return out[cols].reset_index(drop=True)


def unresolved_table(resolved: pd.DataFrame, resolver: AliasResolver) -> pd.DataFrame:
    """Return the names the rules could not settle, or settled by a heuristic, or dropped.

    Columns: alias (cleaned surface), resolved_to (actor, empty if dropped), reason, mentions,
    docs, candidates (fitting full names with their article counts). Most mentions first.
    """
    cols = ["alias", "resolved_to", "reason", "mentions", "docs", "candidates"]
    frames = []
    r = resolved
    flagged = r["rule"].str.startswith("partial name unresolved") | r["rule"].str.contains("nearest of several", regex=False)
    if flagged.any():
        f = r[flagged]
        g = f.groupby(["surface", "actor", "rule"], dropna=False)
        t = pd.DataFrame({"mentions": g.size(), "docs": g["doc_id"].nunique(), "candidates": g["candidates"].first()}).reset_index()
        frames.append(t.rename(columns={"surface": "alias", "actor": "resolved_to", "rule": "reason"}))
    dropped = r[r["actor"].isna()]
    if len(dropped):
        g = dropped.assign(surface=dropped["surface"].where(dropped["surface"] != "", dropped["text"].map(_norm))).groupby(["surface", "drop"])
        t = pd.DataFrame({"mentions": g.size(), "docs": g["doc_id"].nunique()}).reset_index()
        frames.append(t.rename(columns={"surface": "alias", "drop": "reason"}).assign(resolved_to="", candidates=""))
    kept = r[r["actor"].notna() & r["group"].str.startswith("k:")]
    if len(kept):
        eff = kept["label"].where(~kept["rule"].str.startswith("partial name ->"), "PERSON")
        lab = pd.DataFrame({"actor": kept["actor"], "label": eff, "doc_id": kept["doc_id"]})
        n = lab.groupby("actor").size()
        top = lab.groupby(["actor", "label"]).size().groupby(level=0).max()
        share = top / n
        suspect = share[(share < TYPE_CONFLICT_SHARE) & (n >= 5)].index
        by_label = lab[lab["actor"].isin(suspect)].groupby(["actor", "label"]).size().reset_index(name="k")
        by_label = by_label.sort_values(["actor", "k", "label"], ascending=[True, False, True])
        labels = by_label.assign(t=by_label["label"] + " " + by_label["k"].astype(str)).groupby("actor")["t"].agg(", ".join)
        docs = lab[lab["actor"].isin(suspect)].groupby("actor")["doc_id"].nunique()
        typed = kept.drop_duplicates("actor").set_index("actor")["actor_type"]
        conflicts = [{"alias": a, "resolved_to": a, "mentions": int(n[a]), "docs": int(docs[a]),
                      "reason": f"NER labels disagree ({labels[a]}); typed {typed[a]}", "candidates": ""} for a in suspect]
        if conflicts:
            frames.append(pd.DataFrame(conflicts))
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)[cols]
    out["resolved_to"] = out["resolved_to"].fillna("")
    out["candidates"] = out["candidates"].fillna("")
    return out.sort_values(["mentions", "alias", "reason"], ascending=[False, True, True]).reset_index(drop=True)
