"""The backend-neutral part of writing a batch: which prepared articles are new, under which id, in which
near-duplicate group. A backend answers four questions about what it holds (`Lookups`, asked inside its
write transaction) and inserts the `Plan`; nothing here keeps state between batches.

Near-duplicates are found among the stored articles through the band-key table (`marsad.store.dedup`), and
among the batch's own earlier articles through the same keys held for the batch only: memory is bounded by
the batch, whatever the size of the store.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from marsad.errors import StoreError
from marsad.store import AddResult
from marsad.store.dedup import Layout, band_keys, best_first
from marsad.store.rows import Prepared, Preparer


class Lookups(Protocol):
    """What the planner asks the database (inside the write transaction)."""

    def stored_hashes(self, hashes: list[str]) -> dict[str, str]:
        """Of ``hashes``, those stored, with the id of the article holding each."""

    def stored_ids(self, ids: list[str]) -> set[str]:
        """Of ``ids``, those stored."""

    def similar_stored(self, keys: list[int]) -> list[tuple[str, bytes]]:
        """(id, signature) of the stored articles with any of these band keys."""

    def stored_group(self, article_id: str) -> str | None:
        """The near-duplicate group of a stored article."""


@dataclass
class Plan:
    """What to write: ``fresh`` new articles (final ids) with ``groups`` (id -> group or None), ``regroup``
    (group, id) of stored articles that now head a group, ``signatures`` (id, blob), ``bands`` (key, id)."""

    fresh: list[Prepared] = field(default_factory=list)
    groups: dict[str, str | None] = field(default_factory=dict)
    regroup: list[tuple[str, str]] = field(default_factory=list)
    signatures: list[tuple[str, bytes]] = field(default_factory=list)
    bands: list[tuple[int, str]] = field(default_factory=list)
    result: AddResult = field(default_factory=AddResult)

    def children(self) -> dict[str, list[tuple[Any, ...]]]:
        """The annotation rows of the fresh articles, by table."""
        out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for p in self.fresh:
            for table, rows in p.children.items():
                out[table].extend(rows)
        return out


def plan(batch: list[Prepared], db: Lookups, preparer: Preparer, lay: Layout, where: str) -> Plan:
    """Deduplicate ``batch`` against the store and itself; ``where`` names the store in errors."""
    out = Plan()
    hashes = db.stored_hashes([p.content_hash for p in batch])
    taken = db.stored_ids([p.id for p in batch])
    stored_groups: dict[str, str] = {}
    batch_bands: dict[int, list[str]] = defaultdict(list)
    batch_sigs: dict[str, bytes] = {}
    ids: list[str] = []
    duplicate = near = 0
    for p in batch:
        if p.content_hash in hashes:
            duplicate += 1
            ids.append(hashes[p.content_hash])
            continue
        aid = _free_id(p, taken, out.groups, db, where)
        if aid != p.id:
            p = preparer.renamed(p, aid)
        p = preparer.resigned(p)
        hashes[p.content_hash] = aid
        ids.append(aid)
        out.fresh.append(p)
        out.groups[aid] = None
        if p.signature is None:
            continue
        keys = band_keys(p.signature, lay)
        candidates = db.similar_stored(keys)
        candidates += [(k, batch_sigs[k]) for k in dict.fromkeys(x for key in keys for x in batch_bands.get(key, ()))]
        matches = best_first(p.signature, candidates, preparer.params)
        if matches:
            out.groups[aid] = _group_of(matches[0], out.groups, stored_groups, out.regroup, db)
            near += 1
        batch_sigs[aid] = p.signature
        for key in keys:
            batch_bands[key].append(aid)
        out.signatures.append((aid, p.signature))
        out.bands.extend((key, aid) for key in keys)
    out.result = AddResult(new=len(out.fresh), duplicate=duplicate, near_duplicate=near, ids=ids)
    return out


def _free_id(p: Prepared, taken: set[str], fresh: dict[str, Any], db: Lookups, where: str) -> str:
    """The article's own id, or ``id_<hash prefix>`` when other content already has it."""
    h = p.content_hash
    if p.id not in taken and p.id not in fresh:
        return p.id
    for cand in [f"{p.id}_{h[:n]}" for n in (8, 12, 16, 64)]:
        if cand not in fresh and not db.stored_ids([cand]):
            return cand
    raise StoreError(f"{where}: cannot find a free id for {p.id!r}")


def _group_of(key: str, groups: dict[str, str | None], stored: dict[str, str], regroup: list[tuple[str, str]],
              db: Lookups) -> str:
    """The group a near-duplicate of ``key`` joins: ``key``'s group, or a new one headed by ``key`` (a stored
    article that comes to head a group goes to ``regroup``, to be updated)."""
    if key in groups:  # an article of this batch
        if groups[key] is None:
            groups[key] = key
        return groups[key]  # type: ignore[return-value]
    if key not in stored:
        group = db.stored_group(key)
        if group is None:
            group = key
            regroup.append((key, key))
        stored[key] = group
    return stored[key]
