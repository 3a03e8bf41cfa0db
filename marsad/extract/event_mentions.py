"""Short mentions of the article's entities, read as those entities in the sentences that use them: the head
word of an organisation's name ("الحملة" for "الحملة الوطنية السعودية لنصرة الأشقاء في سوريا", "الحزب" for
"حزب العدالة والتنمية"), and a person's title ("رئيس الجمهورية اليمنية", or "الرئيس اليمني" for هادي), when no
other entity of the article shares them. `marsad.extract.events` hands them to the slotting rules beside the
entities' own mentions.
"""
from __future__ import annotations

from itertools import compress, count

from marsad.arabic import Token, normalize
from marsad.extract.event_actors import clean_name, gap
from marsad.extract.event_owners import PREFIXES, readings
from marsad.model import Entity


def short_mentions(toks: list[Token], norms: list[str], entities: list[Entity], ent_at, inside
                   ) -> dict[int, tuple[Entity, int, str]]:
    """Short mentions of the article's entities: the head word of an organisation's name with ال ("الحملة" for
    "الحملة الوطنية السعودية ...", "الحزب" for "حزب العدالة والتنمية", when no other organisation shares it),
    and a person's title as the article gives it, or its head with the nisba of the role ("الرئيس اليمني" for
    هادي, "رئيس الجمهورية اليمنية"), when no other person shares it."""
    heads: dict[str, Entity | None] = {}
    roles: list[tuple[list[str], Entity]] = []
    nisba: dict[tuple[str, str], Entity | None] = {}
    added: dict[str, Entity] = {}
    owners: dict[str, set[str]] = {}   # the first word of any name of an organisation (without ال) -> who
    for e in entities:
        for name in {e.text, e.canonical or e.text, *e.aliases} if e.type == "ORG" else ():
            first = normalize(name).split()[:1]
            if first:
                owners.setdefault(first[0][2:] if first[0].startswith("ال") else first[0], set()).add(e.id)
    for e in entities:
        words = normalize(e.text).split()
        if e.type == "ORG" and len(words) >= 2 and words[0].startswith("ال") and len(words[0]) > 4:
            heads[words[0]] = None if words[0] in heads and heads[words[0]] is not e else e
        elif e.type == "ORG" and len(words) >= 2 and len(words[0]) > 2 and owners.get(words[0]) == {e.id}:
            added["ال" + words[0]] = e   # "الحزب" for "حزب العدالة والتنمية", no other name opening with حزب
        if e.type == "PER" and e.role:
            role = normalize(clean_name(e.role)).split()
            if 2 <= len(role) <= 4:
                roles.append((role, e))
            for short in _nisba_titles(role) + _titles_written_before(toks, ent_at, e, role[0]):
                nisba[short] = None if short in nisba and nisba[short] is not e else e
    roles += [(list(short), e) for short, e in nisba.items() if e is not None]
    heads.update((h, e) for h, e in added.items() if h not in heads)
    out: dict[int, tuple[Entity, int, str]] = {}
    if not heads and not roles:
        return out
    firsts = frozenset(heads) | {r[0] for r, _ in roles}
    # the written forms that can open a short mention: a first word with its clitics, and لل + the rest of a
    # word with ال (للحملة = ل + الحملة); any other word is passed over without reading its clitics
    opening = {p + f for f in firsts for p in PREFIXES}
    opening |= {p + "لل" + f[2:] for f in firsts if f.startswith("ال") for p in ("", "و", "ف")}
    for k in compress(count(), map(opening.__contains__, norms)):
        if k in inside:
            continue
        for clit, stem in readings(toks[k].norm):
            ent = heads.get(stem) or heads.get("ال" + stem[1:] if clit.endswith("ل") and stem.startswith("ل")
                                                else "")
            if ent is not None and (k + 1 >= len(toks) or not toks[k + 1].norm.startswith("ال")):
                out[k] = (ent, k + 1, clit[:-2] if clit.endswith("ال") else clit)
                break
            for role, e in roles:
                end = k + len(role)
                if stem == role[0] and end <= len(toks) and [t.norm for t in toks[k + 1:end]] == role[1:] \
                        and not any(m in inside for m in range(k, end)) and end not in ent_at \
                        and not (end < len(toks) and toks[end].norm.startswith("ال")):
                    out[k] = (e, end, clit)
                    break
            if k in out:
                break
    return out


def _nisba_titles(role: list[str]) -> list[tuple[str, str]]:
    """"رئيس الجمهورية اليمنية" -> ("الرييس", "اليمني"): the title's head with ال and a nisba adjective of the role."""
    head = role[0] if role[0].startswith("ال") else "ال" + role[0]
    out = []
    for w in role[1:]:
        if w.startswith("ال") and len(w) > 5 and w.endswith(("يه", "ي")):
            out.append((head, w[:-1] if w.endswith("يه") else w))
    return out


def _titles_written_before(toks: list[Token], ent_at, person: Entity, head: str) -> list[tuple[str, str]]:
    """The person's title head with a nisba adjective, as written right before one of the person's mentions:
    "الرئيس اليمني عبدربه منصور هادي" gives ("الرييس", "اليمني") when هادي's role is الرئيس."""
    head = head if head.startswith("ال") else "ال" + head
    out = []
    for k, (ent, _, clit) in ent_at.items():
        if ent is person and not clit and k >= 2 and toks[k - 2].norm == head and not gap(toks, k - 1) \
                and not gap(toks, k):
            adj = toks[k - 1].norm
            if adj.startswith("ال") and len(adj) > 5 and adj.endswith(("يه", "ي")):
                out.append((head, adj[:-1] if adj.endswith("يه") else adj))
    return out
