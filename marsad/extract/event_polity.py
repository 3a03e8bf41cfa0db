"""Which country an event's actors stand for, read from the knowledge base.

A country stands for itself and its capital for it (طهران is Iran); a known person or organisation belongs to
its country (بوتين to Russia). Vetoes of what the slotting rules proposed:

- a meeting or an agreement has two sides: "الاتفاق النووي بين طهران والقوى الدولية ... يشمل إيران" or "ووقع
  [بوتين] اتفاقيات تعاون بين موسكو والرياض" is no event between Iran and Tehran, nor between Putin and Moscow;
- a town or a capital written as the genitive of a meeting noun is where it met, not who met: "قمة بيروت",
  "لقاءات الدوحة" (a country there is a side: "محادثات إيران");
- a town (the knowledge base's places that are neither states nor capitals) is no event's source at all;
- no state acts on itself: "ويتهم حلفاء تركيا أنقرة" does not have Turkey accuse Ankara;
- a country after a team's noun is the team: "يلتقي منتخبا الإمارات وقطر" is a football match (`team`);
- a news outlet is no side of a consultation: a call with Reuters or an interview with a radio is a statement.
"""
from __future__ import annotations

from collections.abc import Sequence

from marsad.arabic import Token, clitic_splits, normalize
from marsad.extract.event_lexicon import SYMMETRIC, Entry
from marsad.kb import Actor, KnowledgeBase
from marsad.model import Entity

PLACES_OF_STATE = ("country", "capital")
TEAM_NOUNS = frozenset(normalize(w) for w in "منتخب منتخبا منتخبي منتخبات فريق فريقا فريقي نادي".split())


def team(toks: Sequence[Token], i: int, entity: Entity | None) -> bool:
    """Whether a place whose name begins at toks[i] follows a team's noun, clitics allowed (لمنتخب, ومنتخبا):
    "منتخب الكويت" plays, the state of Kuwait does not (a person after الفريق is a general).

    >>> from marsad.arabic import tokens
    >>> kuwait = Entity("E1", "LOC", "الكويت", "الكويت")
    >>> team(tokens("امام منتخب الكويت"), 2, kuwait), team(tokens("امام وفد الكويت"), 2, kuwait)
    (True, False)
    """
    return entity is not None and entity.type == "LOC" and i > 0 and toks[i].start - toks[i - 1].end <= 1 and any(
        stem in TEAM_NOUNS for _, stem in clitic_splits(toks[i - 1].norm))


def _known(entity: Entity | None, kb: KnowledgeBase) -> Actor | None:
    """The knowledge base's record of an entity, if it is linked to one."""
    return kb.actors.get(entity.kb_id) if entity is not None and entity.kb_id else None


def _media(entity: Entity | None, kb: KnowledgeBase) -> bool:
    """A known news outlet (its CAMEO code's sector is MED)."""
    actor = _known(entity, kb)
    return actor is not None and (actor.cameo or "").endswith("MED")


def _place_kind(entity: Entity | None, kb: KnowledgeBase) -> str | None:
    """The kind of a known place (country, capital, town, region...), None for anything else."""
    actor = _known(entity, kb)
    return actor.kind if actor is not None and actor.type == "LOC" else None


def stands_for(entity: Entity | None, kb: KnowledgeBase) -> str | None:
    """The country id a country or a capital stands for, else None."""
    if _place_kind(entity, kb) not in PLACES_OF_STATE:
        return None
    actor = _known(entity, kb)
    return actor.country or actor.id


def belongs_to(entity: Entity | None, kb: KnowledgeBase) -> str | None:
    """The country of a known actor of any type (a place's, a person's, an organisation's), else None."""
    actor = _known(entity, kb)
    return actor.country if actor is not None else None


def one_side(sources: Sequence[Entity | None], targets: Sequence[Entity | None], kb: KnowledgeBase) -> bool:
    """Every target is the country (or its capital) of a source, or a source the country of every target."""
    def same(a: Entity | None, b: Entity | None) -> bool:
        state = stands_for(b, kb) or stands_for(a, kb)
        return state is not None and belongs_to(a, kb) == state == belongs_to(b, kb)
    return bool(targets) and all(any(same(s, t) for s in sources) for t in targets)


def plausible(entry: Entry, how: str, sources: Sequence[Entity | None], targets: Sequence[Entity | None],
              kb: KnowledgeBase) -> bool:
    """False when the knowledge base shows the proposed actors cannot be the sides of this event: a town acts in
    nothing ("وكانت كوباني مسرحا لأكبر المعارك": where, not who; a capital may stand for its state), and no
    state acts on itself ("ويتهم حلفاء تركيا أنقرة")."""
    kind = _place_kind(sources[0], kb) if sources else None
    if kind not in (None, *PLACES_OF_STATE):
        return False
    if all(stands_for(e, kb) for e in [*sources, *targets]) and one_side(sources, targets, kb):
        return False
    if entry.type == "CONSULT" and any(_media(e, kb) for e in [*sources, *targets]):
        return False   # "في اتصال هاتفي مع وكالة رويترز": a statement to the press, no consultation
    if entry.type not in SYMMETRIC:
        return True
    if one_side(sources, targets, kb):
        return False
    return not (how.startswith("genitive") and kind == "capital")   # "قمة بيروت": where they met
