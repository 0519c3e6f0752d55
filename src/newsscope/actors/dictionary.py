"""The user-editable actor dictionary (``data/actors.csv``).

One row per actor::

    actor,type,aliases,wikidata
    Donald Trump,PERSON,Donald J. Trump; President Trump,Q22686
    Donald Trump Jr.,PERSON,Trump Jr.; Don Jr.,
    Reuters,IGNORE,Thomson Reuters,

``actor`` is the canonical name; ``type`` one of :data:`ACTOR_TYPES` (``IGNORE`` drops every
mention of the listed names, e.g. news agencies named in credit lines); ``aliases`` are surface
forms separated by ``"; "`` (matched on name keys, so case, dots, hyphens and diacritics do not
matter); ``wikidata`` an optional Q-id. The dictionary overrides every automatic rule.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newsscope import cache, paths

__all__ = ["ACTOR_TYPES", "DictionaryEntry", "ActorDictionary", "read_dictionary", "default_dictionary_path"]

ACTOR_TYPES: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "NORP", "IGNORE")
_QID = re.compile(r"^Q[1-9]\d*$")


@dataclass(frozen=True)
class DictionaryEntry:
    """One actor of the dictionary."""

    actor: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None
    line: int


@dataclass
class ActorDictionary:
    """The actor dictionary: entries and the name-key -> actor index.

    Attributes
    ----------
    entries : list of DictionaryEntry
    source : str
        Where it was read from (for messages), ``""`` for an empty dictionary.
    fingerprint : str
        SHA-256 of the file content (part of cache keys).
    """

    entries: list[DictionaryEntry] = field(default_factory=list)
    source: str = ""
    fingerprint: str = "empty"

    def index(self, key: Callable[[str], str]) -> dict[str, DictionaryEntry]:
        """Return name key -> entry for every canonical name and alias (keys made by ``key``).

        Raises
        ------
        ValueError
            If two entries claim the same name key (both lines are named).
        """
        out: dict[str, DictionaryEntry] = {}
        for e in self.entries:
            for name in (e.actor, *e.aliases):
                k = key(name)
                if not k:
                    continue
                other = out.get(k)
                if other is not None and other.actor != e.actor:
                    raise ValueError(f"{self.source}: line {e.line}: alias {name!r} of {e.actor!r} is already "
                                     f"claimed by {other.actor!r} (line {other.line}); a name can belong to one actor only")
                out[k] = e
        return out

    def to_frame(self) -> pd.DataFrame:
        """Return the dictionary as a table (actor, type, aliases, wikidata)."""
        return pd.DataFrame([{"actor": e.actor, "type": e.type, "aliases": "; ".join(e.aliases), "wikidata": e.wikidata}
                             for e in self.entries], columns=["actor", "type", "aliases", "wikidata"])


def default_dictionary_path() -> Path:
    """Return ``data/actors.csv`` of the project."""
    return paths.data_dir() / "actors.csv"


def read_dictionary(path: str | Path | None = None) -> ActorDictionary:
    """Read and validate an actor dictionary CSV.

    Parameters
    ----------
    path : str or Path, optional
        Default :func:`default_dictionary_path`; a missing default file gives an empty dictionary,
        a missing explicit path is an error.

    Raises
    ------
    FileNotFoundError, ValueError
        Missing file, missing column, empty actor name, unknown type or malformed Wikidata id;
        the message names the file and line.
    """
    explicit = path is not None
    p = Path(path) if explicit else default_dictionary_path()
    if not p.is_file():
        if explicit:
            raise FileNotFoundError(f"actor dictionary {p} not found")
        return ActorDictionary()
    with open(p, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        cols = [c.strip().lower() for c in (reader.fieldnames or [])]
        for need in ("actor", "type"):
            if need not in cols:
                raise ValueError(f"{p}: line 1: the header needs columns actor,type[,aliases,wikidata] (found {', '.join(cols) or 'none'})")
        entries: list[DictionaryEntry] = []
        seen: dict[str, int] = {}
        for n, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
            if not any(row.values()) or row.get("actor", "").startswith("#"):
                continue
            actor, typ = row.get("actor", ""), row.get("type", "").upper()
            if not actor:
                raise ValueError(f"{p}: line {n}: field 'actor' is empty")
            if typ not in ACTOR_TYPES:
                raise ValueError(f"{p}: line {n}: field 'type' is {row.get('type')!r}; use one of {', '.join(ACTOR_TYPES)}")
            qid = row.get("wikidata") or None
            if qid is not None and not _QID.match(qid):
                raise ValueError(f"{p}: line {n}: field 'wikidata' is {qid!r}; expected an id like Q22686 or nothing")
            if actor in seen:
                raise ValueError(f"{p}: line {n}: actor {actor!r} is listed again (first on line {seen[actor]})")
            seen[actor] = n
            aliases = tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())
            entries.append(DictionaryEntry(actor, typ, aliases, qid, n))
    return ActorDictionary(entries, source=str(p), fingerprint=cache.hash_files([p], root=p.parent))
