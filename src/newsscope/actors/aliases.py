"""Alias resolution: entity mentions -> canonical actors.

The rules, in the order they apply (the first that fires wins):

1. **Clean-up** (:func:`~newsscope.actors.names.clean_surface`): quotes, spacing, a leading
   "the", possessives, and for people titles and honorifics (President, Mr, Sen., Prime
   Minister, ...). Strings that cannot be names (no capital letter, digits only) are dropped
   and counted.
2. **Match keys** (:func:`~newsscope.actors.names.name_key`): case, dots, hyphens, diacritics
   and known transliterations do not matter (NATO/Nato, U.S./US, Kim Jong-un/Kim Jong Un).
3. **Actor dictionary** (``data/actors.csv``): any listed name goes to its actor; type
   ``IGNORE`` drops it.
4. **Abbreviations and long forms** (:data:`~newsscope.actors.lexicon.ABBREVIATIONS`):
   US/United States, UK/Britain/United Kingdom, EU, UN, NATO, ...
5. **NORP** (nationalities, groups): with ``norp="country"`` a nationality goes to its country
   (Chinese -> China); other NORP mentions are dropped (``"keep"`` keeps them as NORP actors,
   ``"drop"`` drops all).
6. **Acronyms defined in the text** ("Syrian Democratic Forces (SDF)"): an acronym joins its
   long form when the corpus defines it one way (``acronym_dominance`` of its definitions).
7. **Middle initials**: "Donald J. Trump" joins "Donald Trump" (the dictionary can keep
   George W. Bush and George H. W. Bush apart).
8. **Partial person names** ("Trump", "Xi", "Le Pen", "al-Assad"): resolved to the full name
   used in the same article (if several fit, the corpus-dominant one, else the nearest
   preceding); without a full name in the article, to the corpus-wide full name when one
   accounts for at least ``surname_dominance`` of the articles naming a fitting person (names
   seen in one article only do not count as rivals). Full names are never shortened, so Donald
   Trump and Donald Trump Jr., Kim Jong-un and Kim Jong-nam, Marine and Jean-Marie Le Pen stay
   distinct. The small NER model often labels a lone surname ORG ("Trump", "Lavrov"); a name
   counts as a person's when most of its mentions are PERSON or when, in at least
   ``copresence`` of the articles using it, a fitting full name appears too.
9. **Types by majority**: an actor's type is the dictionary's (or the abbreviation table's), or
   the most frequent label over its mentions, where a nationality counts as GPE and a resolved
   partial name as PERSON; this corrects one-off PERSON/ORG confusions.
10. **Outlet self-references** (optional): an article's mention of its own outlet (``CNN`` in a
    CNN article, ``China Daily European Weekly`` in China Daily) is dropped.

:class:`AliasResolver` follows scikit-learn's contract: ``fit`` learns the corpus-wide tables
(keys, types, acronyms, dominant full names) and returns ``self``; ``transform`` resolves
mentions article by article.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pandas as pd

from newsscope.actors import lexicon
from newsscope.actors.dictionary import ActorDictionary
from newsscope.actors.names import PersonName, acronym_matches, clean_surface, is_junk, loose_person_key, name_key, parse_person
from newsscope.vectorize.outlets import core_name

__all__ = ["AliasResolver", "TYPE_PRIORITY", "outlet_keys"]

#: Tie-break order when an actor's labels are equally frequent.
TYPE_PRIORITY: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "NORP")
_ACRONYM_AFTER = re.compile(r"^\s*\(\s*([A-Z][A-Za-z&.]{1,9})\s*\)")
_PRIORITY = {lab: i for i, lab in enumerate(TYPE_PRIORITY)}


def outlet_keys(source: str) -> tuple[str, ...]:
    """Name keys an outlet goes by in its own articles.

    Its name; its core name without article, edition or domain
    (:func:`newsscope.vectorize.outlets.core_name`: "The Guardian - UK" -> ``guardian``); the
    acronym of a name like "ABC News" (``abc``); and for an all-capitals one-word name of three
    letters or more, the name without its last letter, which is what is left of a name such as
    RT\u00c9 when the accented letter was lost in decoding and not restored ("RT?'s Morning Ireland").

    >>> outlet_keys("ABC News (AU)"), outlet_keys("RTE"), outlet_keys("The Guardian - UK")
    (('abc news au', 'abc news', 'abc'), ('rte', 'rt'), ('guardian uk', 'guardian'))
    """
    core = core_name(source)
    out = [name_key(source), name_key(core)]
    words = core.split()
    if len(words) > 1 and words[0].isupper() and len(words[0]) >= 2:
        out.append(name_key(words[0]))
    if len(words) == 1 and words[0].isalpha() and words[0].isupper() and len(words[0]) >= 3:
        out.append(name_key(words[0][:-1]))
    return tuple(k for k in dict.fromkeys(out) if k)


def _majority(counter: Counter) -> str:
    return min(counter, key=lambda lab: (-counter[lab], _PRIORITY.get(lab, 99), lab))


class AliasResolver:
    """Resolve NER mentions to canonical actors.

    Parameters
    ----------
    dictionary : ActorDictionary, optional
        User dictionary (overrides every automatic rule).
    norp : {"country", "keep", "drop"}
        What to do with NORP mentions (see the module docstring).
    surname_dominance : float
        Share of articles a full name must account for, among the fitting full names, to take a
        partial name that has no full name in its article (and to break ties inside one).
    acronym_dominance : float
        Share of an acronym's in-text definitions a long form needs to absorb the acronym.
    copresence : float
        A lone name not mostly labelled PERSON is still a person's partial name if a fitting
        full name appears in at least this share of the articles that use it.
    full_name_share : float
        A name of two or more words is a person's full name if at least this share of its
        mentions are labelled PERSON (the small model calls "Nicola Sturgeon" ORG half the time),
        it has no lower-case word other than a particle and no word such as "Tower" or "House".

    Attributes
    ----------
    group_of_key_ : dict
        Match key -> group id (``d:`` dictionary actor, ``a:`` abbreviation/country, ``k:`` key);
        ``""`` for dropped keys.
    name_of_group_ : dict
        Group id -> display name (dictionary name, canonical name, or the most frequent form).
    type_of_key_ : dict
        Match key -> majority NER label of its mentions.
    partial_candidates_ : dict
        Partial person key -> [(group id, articles naming it in full), ...], most first.
    acronyms_ : pandas.DataFrame
        Acronym definitions found in the text: acronym, long_form, docs, share, merged.
    """

    def __init__(self, dictionary: ActorDictionary | None = None, norp: str = "country", surname_dominance: float = 0.85,
                 acronym_dominance: float = 0.8, copresence: float = 0.3, full_name_share: float = 0.4) -> None:
        self.dictionary = dictionary
        self.norp = norp
        self.surname_dominance = surname_dominance
        self.acronym_dominance = acronym_dominance
        self.copresence = copresence
        self.full_name_share = full_name_share

    # ------------------------------------------------------------------ public API
    def fit(self, mentions: pd.DataFrame, texts: dict[str, str] | None = None) -> AliasResolver:
        """Learn the corpus-wide tables from ``mentions``.

        Parameters
        ----------
        mentions : pandas.DataFrame
            doc_id, start, end, text, label (from :func:`newsscope.actors.ner.extract_mentions`).
        texts : dict, optional
            doc_id -> the document text NER saw, used to find acronym definitions.
        """
        self._fit(self._prepare(mentions), texts or {})
        return self

    def transform(self, mentions: pd.DataFrame, sources: dict[str, str] | None = None) -> pd.DataFrame:
        """Return ``mentions`` resolved: with surface, key, actor, actor_type, rule, drop, candidates.

        Parameters
        ----------
        mentions : pandas.DataFrame
        sources : dict, optional
            doc_id -> outlet; when given, an article's mentions of its own outlet are dropped.

        Returns
        -------
        pandas.DataFrame
            ``actor`` is missing for dropped mentions and ``drop`` says why; ``rule`` names the
            rule that resolved the mention; ``candidates`` lists the fitting full names of a
            partial name (with their article counts).
        """
        if not hasattr(self, "group_of_key_"):
            raise RuntimeError("AliasResolver is not fitted: call fit() or fit_transform() first")
        return self._resolve(self._prepare(mentions), sources)

    def fit_transform(self, mentions: pd.DataFrame, texts: dict[str, str] | None = None,
                      sources: dict[str, str] | None = None) -> pd.DataFrame:
        """Fit on ``mentions`` and resolve them (one clean-up pass)."""
        m = self._prepare(mentions)
        self._fit(m, texts or {})
        return self._resolve(m, sources)

    def name_of(self, gid: str) -> str:
        """Return the display name of a group id."""
        return self.name_of_group_.get(gid, gid[2:])

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters (scikit-learn style; the dictionary is represented by its fingerprint)."""
        return {"dictionary": None if self.dictionary is None else self.dictionary.fingerprint, "norp": self.norp,
                "surname_dominance": self.surname_dominance, "acronym_dominance": self.acronym_dominance,
                "copresence": self.copresence, "full_name_share": self.full_name_share}

    # ------------------------------------------------------------------ clean-up
    def _prepare(self, mentions: pd.DataFrame) -> pd.DataFrame:
        """Add surface, key and drop (reason) columns; rows keep their order."""
        pairs = list(dict.fromkeys(zip(mentions["text"], mentions["label"])))
        table: dict[tuple[str, str], tuple[str, str, str | None]] = {}
        person_keys: set[str] = set()
        for text, label in pairs:
            surface = clean_surface(text, label)
            junk = is_junk(surface)
            key = name_key(surface) if junk is None else ""
            if junk is None and not key:
                junk = "empty key"
            table[(text, label)] = (surface, key, junk)
            if label == "PERSON" and key:
                person_keys.add(key)
        # A non-PERSON mention with a title ("President Trump" labelled ORG) is a person if the name is.
        for (text, label), (surface, key, junk) in table.items():
            if label != "PERSON" and junk is None:
                stripped = clean_surface(text, "PERSON")
                if stripped != surface and name_key(stripped) in person_keys:
                    table[(text, label)] = (stripped, name_key(stripped), None)
        vals = [table[p] for p in zip(mentions["text"], mentions["label"])]
        out = mentions.copy()
        out["surface"] = pd.Series([v[0] for v in vals], index=out.index, dtype=object)  # object also when empty
        out["key"] = pd.Series([v[1] for v in vals], index=out.index, dtype=object)
        out["drop"] = pd.Series([None if v[2] is None else f"not a name: {v[2]}" for v in vals], index=out.index, dtype=object)
        return out

    # ------------------------------------------------------------------ fit
    def _fit(self, m: pd.DataFrame, texts: dict[str, str]) -> None:
        if self.norp not in {"country", "keep", "drop"}:
            raise ValueError(f"norp={self.norp!r}: use 'country', 'keep' or 'drop'")
        ok = m[m["drop"].isna()]
        counts: dict[str, Counter] = defaultdict(Counter)
        for (k, lab), n in ok.groupby(["key", "label"]).size().items():
            counts[k][lab] = int(n)
        self.label_counts_ = dict(counts)
        self.type_of_key_ = {k: _majority(c) for k, c in counts.items()}
        top = ok.groupby(["key", "surface"]).size().reset_index(name="n")
        top = top.sort_values(["key", "n", "surface"], ascending=[True, False, True]).drop_duplicates("key")
        self.surface_of_key_ = dict(zip(top["key"], top["surface"]))
        self._fit_groups(ok, texts)
        self._fit_names(ok)
        self._fit_persons(ok)
        self._fit_names(ok)  # person rules merged groups: name them again

    def _fit_groups(self, ok: pd.DataFrame, texts: dict[str, str]) -> None:
        group: dict[str, str] = {}
        rule: dict[str, str] = {}
        names: dict[str, str] = {}
        types: dict[str, str] = {}
        index = self.dictionary.index(name_key) if self.dictionary is not None else {}
        for k, e in index.items():
            gid = f"d:{e.actor}"
            group[k], rule[k], names[gid], types[gid] = gid, "dictionary", e.actor, e.type
        for canonical, (typ, variants) in lexicon.ABBREVIATIONS.items():
            keys = [name_key(v) for v in (canonical, *variants)]
            claimed = [group[k] for k in keys if k in group]
            gid = claimed[0] if claimed else f"a:{canonical}"
            if not claimed:
                names[gid], types[gid] = canonical, typ
            for k in keys:
                if k not in group:
                    group[k], rule[k] = gid, "abbreviation"
        present = sorted(set(ok["key"]))
        for k in present:
            if k in group:
                continue
            is_norp = self.type_of_key_.get(k) == "NORP"
            if self.norp == "country" and k in lexicon.DEMONYMS:
                country = lexicon.DEMONYMS[k]
                ck = name_key(country)
                if ck not in group:
                    group[ck], rule[ck] = f"a:{country}", "country"
                    names[f"a:{country}"], types[f"a:{country}"] = country, "GPE"
                group[k], rule[k] = group[ck], "nationality -> country"
            elif is_norp and self.norp == "country":
                # kept for now: the tagger also labels surnames NORP ("Fillon", "Mattis"); see _fit_persons
                group[k], rule[k] = f"k:{k}", "dropped: NORP that is not a nationality"
            elif is_norp and self.norp == "drop":
                group[k], rule[k] = "", "dropped: NORP"
        self.acronyms_ = self._find_acronyms(ok, texts)
        for acr, long_form in self.acronyms_.loc[self.acronyms_["merged"], ["acronym", "long_form"]].itertuples(index=False):
            ak, lk = name_key(acr), name_key(long_form)
            if ak not in group:
                group.setdefault(lk, f"k:{lk}")
                rule.setdefault(lk, "key")
                group[ak], rule[ak] = group[lk], "acronym defined in text"
        for k in present:
            if k not in group and self.type_of_key_.get(k) == "PERSON":
                loose = loose_person_key(k)
                if loose != k:
                    group[k], rule[k] = group.get(loose, f"k:{loose}"), "middle initial dropped"
        for k in present:
            if k not in group:
                group[k], rule[k] = f"k:{k}", "key"
        self.group_of_key_, self.rule_of_key_ = group, rule
        self.name_of_group_, self.type_of_group_ = names, types
        self.dictionary_index_ = index

    def _find_acronyms(self, ok: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
        cols = ["acronym", "long_form", "docs", "share", "merged"]
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        if texts:
            cand = ok[(ok["label"] != "PERSON") & ok["surface"].str.contains(" ", regex=False)]
            for doc_id, end, surface in zip(cand["doc_id"], cand["end"], cand["surface"]):
                hit = _ACRONYM_AFTER.match(texts.get(doc_id, "")[int(end):int(end) + 16])
                if hit and acronym_matches(hit.group(1), surface):
                    found[(hit.group(1).replace(".", ""), surface)].add(doc_id)
        if not found:
            return pd.DataFrame(columns=cols).astype({"merged": bool})
        rows = pd.DataFrame([{"acronym": a, "long_form": lf, "docs": len(d), "akey": name_key(a), "lkey": name_key(lf)}
                             for (a, lf), d in found.items()])
        per_long = rows.groupby(["akey", "lkey"])["docs"].transform("sum")
        per_acr = rows.groupby("akey")["docs"].transform("sum")
        rows["share"] = (per_long / per_acr).round(3)
        rows = rows.sort_values(["akey", "share", "docs", "long_form"], ascending=[True, False, False, True])
        rows["merged"] = (rows["share"] >= self.acronym_dominance) & ~rows.duplicated("akey")
        return rows[cols].sort_values(["docs", "acronym", "long_form"], ascending=[False, True, True]).reset_index(drop=True)

    def _fit_names(self, ok: pd.DataFrame) -> None:
        """Name automatic groups by their most frequent form (ties: the fuller); an all-capitals
        form (MOSCOW) gives way to a mixed-case one."""
        counts = ok.groupby(["key", "surface"]).size().reset_index(name="n")
        counts["group"] = counts["key"].map(self.group_of_key_).fillna("").astype(str)  # str also when empty
        counts = counts[counts["group"].str.startswith("k:")].groupby(["group", "surface"], as_index=False)["n"].sum()
        counts["shout"] = [s.isupper() and sum(c.isalpha() for c in s) > 4 for s in counts["surface"]]
        counts["words"] = counts["surface"].str.count(" ")
        counts = counts.sort_values(["group", "shout", "n", "words", "surface"], ascending=[True, True, False, False, True])
        self.name_of_group_ = {g: n for g, n in self.name_of_group_.items() if not g.startswith("k:")}
        taken = set(self.name_of_group_.values())
        for g, surface in counts.drop_duplicates("group")[["group", "surface"]].itertuples(index=False):
            name = surface if surface not in taken else f"{surface} [{g[2:]}]"
            self.name_of_group_[g] = name
            taken.add(name)

    def _fit_persons(self, ok: pd.DataFrame) -> None:
        """Find partial person names and the full names that fit them."""
        group = self.group_of_key_
        parsed: dict[str, PersonName] = {}
        for k, t in self.type_of_key_.items():
            if group.get(k, "").startswith(("k:", "d:")):
                parsed[k] = parse_person(k, self.surface_of_key_.get(k, k))
        for k, e in self.dictionary_index_.items():
            if e.type == "PERSON":
                parsed.setdefault(k, parse_person(k, e.actor))
        countries = {name_key(c) for c in lexicon.DEMONYMS.values()} | set(lexicon.DEMONYMS)

        def person(k: str) -> bool:
            """A person's full name: the dictionary says so, or enough PERSON labels and a name's shape."""
            fixed = self.type_of_group_.get(group.get(k, ""))
            if fixed is not None:
                return fixed == "PERSON"
            c = self.label_counts_.get(k, Counter())
            if c.get("PERSON", 0) < self.full_name_share * max(sum(c.values()), 1):
                return False
            surface = self.surface_of_key_.get(k, k)
            words = surface.split()
            lower = [w for w in words if w[:1].islower() and w.split("-")[0].lower() not in lexicon.SURNAME_PARTICLES]
            # "Trump-Russia", "Obama-Putin": a hyphenated compound with a country is not a name
            compound = any(name_key(part) in countries for w in words if "-" in w for part in w.split("-"))
            return not lower and not compound and not lexicon.NON_NAME_WORDS.intersection(k.split())

        full = {k: p for k, p in parsed.items() if person(k) and len(p.core) >= 2}
        suffixes = {q.core[-n:] for q in full.values() for n in range(1, len(q.core))}
        for k, p in list(full.items()):  # "le pen" is partial when a longer full name ends with it
            if p.particle_led and p.core in suffixes:
                del full[k]
        self.person_full_ = full
        by_last: dict[tuple[str, ...], set[str]] = defaultdict(set)
        by_first: dict[str, set[str]] = defaultdict(set)
        for k, p in full.items():
            for n in range(1, len(p.core)):
                by_last[p.core[-n:]].add(k)
            by_first[p.core[0]].add(k)
        candidates = {k: p for k, p in parsed.items()
                      if k not in full and group.get(k, "").startswith("k:") and (p.is_single or p.particle_led)}
        self.full_groups_ = {group.get(k, f"k:{k}") for k in full}
        fits = {k: self._fits(p, by_last, by_first) for k, p in candidates.items()}
        # articles per key (for co-presence) and per full-name group (for dominance)
        docs_of_key: dict[str, set[str]] = defaultdict(set)
        wanted = set(candidates) | set(full)
        for k, d in zip(ok["key"], ok["doc_id"]):
            if k in wanted:
                docs_of_key[k].add(d)
        self._merge_shortened(full, docs_of_key)
        gdocs: dict[str, set[str]] = defaultdict(set)
        for k in full:
            gdocs[group.get(k, f"k:{k}")] |= docs_of_key.get(k, set())
        self.full_docs_ = {g: len(d) for g, d in gdocs.items()}
        self.partial_fits_, self.partial_candidates_, self.partial_copresence_ = {}, {}, {}
        for k, p in candidates.items():
            c = self.label_counts_.get(k, Counter())
            person_share = c.get("PERSON", 0) / max(sum(c.values()), 1)
            mine = docs_of_key.get(k, set())
            with_full = set().union(*(docs_of_key.get(f, set()) for f in fits[k])) if fits[k] else set()
            co = len(mine & with_full) / len(mine) if mine else 0.0
            if person_share < 0.5 and (co < self.copresence or not fits[k]):
                continue
            if self.rule_of_key_.get(k, "").startswith("dropped"):
                self.rule_of_key_[k] = "key"  # a surname the tagger called NORP
            self.partial_fits_[k] = fits[k]
            self.partial_copresence_[k] = round(co, 3)
            gcount: dict[str, int] = {}
            for f in fits[k]:
                g = group.get(f, f"k:{f}")
                gcount[g] = self.full_docs_.get(g, 0)
            self.partial_candidates_[k] = sorted(gcount.items(), key=lambda kv: (-kv[1], kv[0]))
        for k, r in self.rule_of_key_.items():
            if r.startswith("dropped") and group.get(k):
                group[k] = ""

    def _merge_shortened(self, full: dict[str, PersonName], docs_of_key: dict[str, set[str]]) -> None:
        """Merge full names that are another full name plus or minus leading words.

        First, a longer form with one extra leading word, at least five times rarer than the name,
        joins the name: a stray word glued to it ("Dubs Donald Trump", "Pick Andrew Puzder").
        Then a full name that is the tail of exactly one longer full name, used in at least as
        many articles, joins it ("Tayyip Erdogan" -> "Recep Tayyip Erdogan").
        """
        group = self.group_of_key_
        tails: dict[tuple[tuple[str, ...], str | None], set[str]] = defaultdict(set)
        for k, q in full.items():
            for n in range(2, len(q.core)):
                tails[(q.core[-n:], q.suffix)].add(k)
        n_docs = {k: len(docs_of_key.get(k, set())) for k in full}
        for k, p in sorted(full.items()):
            for f in sorted(tails.get((p.core, p.suffix), set())):
                if len(full[f].core) == len(p.core) + 1 and group.get(f, "").startswith("k:") and n_docs[k] >= 5 * n_docs[f]:
                    group[f], self.rule_of_key_[f] = group.get(k, f"k:{k}"), "stray word before a full name dropped"
        for k, p in sorted(full.items()):
            if not group.get(k, "").startswith("k:"):
                continue
            longer_keys = sorted(tails.get((p.core, p.suffix), set()))
            longer = {group.get(f, f"k:{f}") for f in longer_keys} - {group.get(k)}
            if len(longer) != 1:
                continue
            target = next(iter(longer))
            n_long = len(set().union(*(docs_of_key.get(f, set()) for f in longer_keys if group.get(f, f"k:{f}") == target)))
            if n_long >= n_docs[k]:
                group[k], self.rule_of_key_[k] = target, "shortened full name -> longer full name"

    def _fits(self, p: PersonName, by_last: dict, by_first: dict) -> list[str]:
        out = {k for k in by_last.get(p.core, ()) if p.suffix is None or p.suffix == self.person_full_[k].suffix}
        if len(p.core) == 1 and p.suffix is None:
            out.update(by_first.get(p.core[0], ()))
        return sorted(out)

    def corpus_target(self, key: str, among: set[str] | None = None) -> tuple[str | None, float]:
        """Return the dominant full-name group of a partial key (None if none dominates) and its share.

        Full names seen in a single article count neither as rivals nor as targets (they are
        often NER noise such as headline fragments); among the full names of one article
        (``among``) they do count.
        """
        cands = [(g, n) for g, n in self.partial_candidates_.get(key, []) if among is None or g in among]
        credible = [(g, n) for g, n in cands if n >= 2]
        if among is not None and not credible:
            credible = cands
        total = sum(n for _, n in credible)
        if not credible or total == 0:
            return None, 0.0
        share = credible[0][1] / total
        return (credible[0][0] if share >= self.surname_dominance else None), share

    # ------------------------------------------------------------------ transform
    def _resolve(self, m: pd.DataFrame, sources: dict[str, str] | None = None) -> pd.DataFrame:
        keys = m["key"].tolist()
        gid = [self.group_of_key_.get(k, f"k:{k}") if k else "" for k in keys]
        rule = [self.rule_of_key_.get(k, "key") if k else "" for k in keys]
        drop = m["drop"].tolist()
        for i, k in enumerate(keys):
            if drop[i] is None and gid[i] == "":
                drop[i] = self.rule_of_key_.get(k, "dropped")
            elif drop[i] is None and self.type_of_group_.get(gid[i]) == "IGNORE":
                drop[i] = "ignored by the actor dictionary"
        cands = [""] * len(m)
        partial_rows = [i for i, k in enumerate(keys) if drop[i] is None and k in self.partial_fits_]
        docs = m["doc_id"].to_numpy()
        starts = m["start"].to_numpy()
        full_pos: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        need = {docs[i] for i in partial_rows}
        for i, k in enumerate(keys):
            if drop[i] is None and k in self.person_full_ and docs[i] in need:
                full_pos[docs[i]][gid[i]].append(int(starts[i]))
        for i in partial_rows:
            k = keys[i]
            fits = {self.group_of_key_.get(f, f"k:{f}") for f in self.partial_fits_[k]}
            present = full_pos.get(docs[i], {})
            here = sorted(fits & set(present))
            cands[i] = "; ".join(f"{self.name_of(g)} ({n})" for g, n in self.partial_candidates_.get(k, [])[:4])
            if len(here) == 1:
                gid[i], rule[i] = here[0], "partial name -> full name in article"
            elif here:
                target, _ = self.corpus_target(k, among=set(here))
                if target is not None:
                    gid[i], rule[i] = target, "partial name -> corpus-dominant full name in article"
                else:
                    s = int(starts[i])
                    before = max((max((p for p in present[g] if p < s), default=-1), g) for g in here)
                    best = before if before[0] >= 0 else min((min(present[g]), g) for g in here)
                    gid[i], rule[i] = best[1], "partial name -> nearest of several full names in article"
            else:
                target, _ = self.corpus_target(k)
                if target is not None:
                    gid[i], rule[i] = target, "partial name -> corpus-dominant full name"
                elif fits:
                    rule[i] = "partial name unresolved: ambiguous in corpus"
                else:
                    rule[i] = "partial name unresolved: no full name in corpus"
        out = m.copy()
        names = [self.name_of(g) if d is None else None for g, d in zip(gid, drop)]
        if sources:
            own = {s: outlet_keys(s) for s in set(sources.values()) if isinstance(s, str) and s.strip()}
            for i, (d, n) in enumerate(zip(docs, names)):
                keys_ = own.get(sources.get(d), ())
                if n is not None and keys_:
                    nk = name_key(n)
                    if any(nk == o or nk.startswith(o + " ") for o in keys_):
                        names[i], drop[i] = None, "self-reference of the article's outlet"
        out["actor"] = pd.Series(names, index=m.index, dtype=object)
        # explicit object dtype: string columns stay strings when there is no mention at all
        out["group"] = pd.Series([g if n is not None else "" for g, n in zip(gid, names)], index=m.index, dtype=object)
        out["rule"] = pd.Series(rule, index=m.index, dtype=object)
        out["drop"] = pd.Series(drop, index=m.index, dtype=object)
        out["candidates"] = pd.Series(cands, index=m.index, dtype=object)
        out["actor_type"] = self._types(out)
        return out

    def _types(self, out: pd.DataFrame) -> pd.Series:
        """Actor type: the dictionary's or the table's, else the majority of effective labels."""
        rule = out["rule"]
        label = out["label"].where(rule != "nationality -> country", "GPE")
        label = label.where(~rule.str.startswith("partial name ->"), "PERSON")
        kept = out["actor"].notna()
        c = pd.DataFrame({"group": out.loc[kept, "group"], "label": label[kept]}).value_counts().reset_index(name="n")
        c["prio"] = c["label"].map(_PRIORITY).fillna(99)
        c = c.sort_values(["group", "n", "prio", "label"], ascending=[True, False, True, True]).drop_duplicates("group")
        typ = dict(zip(c["group"], c["label"]))
        typ.update({g: "PERSON" for g in getattr(self, "full_groups_", ()) if g in typ})
        typ.update({g: t for g, t in self.type_of_group_.items() if t != "IGNORE"})
        return pd.Series([typ.get(g) if k else None for g, k in zip(out["group"], kept)], index=out.index, dtype=object)
