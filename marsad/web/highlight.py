"""Article text with its annotations wrapped in <span>s: escaped pieces, correctly nested, overlaps split.

Every piece of text and every attribute value goes through `markupsafe.escape`; the result is `Markup` built
only from escaped pieces and fixed tag text, so a template can print it without ``|safe`` on user text.

>>> str(render("a <b> c", [Mark(2, 5, ENTITY, "ent", "x")]))
'a <span class="ent" title="x">&lt;b&gt;</span> c'

Overlapping marks nest by layer (an event sentence outside a quote outside a name); a mark that crosses the
edge of another is cut in two:

>>> str(render("abcdef", [Mark(0, 4, QUOTE, "q", ""), Mark(2, 6, ENTITY, "e", "")]))
'<span class="q" title="">ab<span class="e" title="">cd</span></span><span class="e" title="">ef</span>'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from marsad.arabic import normalize

EVENT, QUOTE, TRIGGER, REFERENCE, ENTITY = range(5)  # layers, outermost first

TYPE_AR = {"PER": "شخص", "ORG": "منظمة", "LOC": "مكان"}
PLOVER_AR = {
    "AGREE": "اتفاق", "CONSULT": "تشاور ولقاء", "SUPPORT": "دعم وتأييد", "CONCEDE": "تنازل",
    "COOPERATE": "تعاون", "AID": "مساعدة", "RETREAT": "انسحاب", "REQUEST": "طلب", "ACCUSE": "اتهام",
    "REJECT": "رفض", "THREATEN": "تهديد", "PROTEST": "احتجاج", "SANCTION": "عقوبات", "MOBILIZE": "تعبئة",
    "COERCE": "إكراه", "ASSAULT": "هجوم",
}
REF_AR = {"UNSC_RESOLUTION": "قرار مجلس الأمن", "UNGA_RESOLUTION": "قرار الجمعية العامة", "LAW": "قانون",
          "AGREEMENT": "اتفاق"}


@dataclass
class Mark:
    start: int
    end: int
    layer: int
    cls: str
    title: str
    data: dict[str, str] = field(default_factory=dict)
    order: int = 0

    def open_tag(self) -> str:
        attrs = "".join(f' data-{k}="{escape(v)}"' for k, v in self.data.items())
        return f'<span class="{escape(self.cls)}" title="{escape(self.title)}"{attrs}>'


def render(text: str, marks: list[Mark]) -> Markup:
    """``text`` escaped, each mark's range wrapped in its span (see the module doc)."""
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    for i, m in enumerate(marks):
        m.order = i
    bounds = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: set[int] = set()
    by_order = {m.order: m for m in marks}
    out: list[str] = []
    stack: list[Mark] = []
    for a, b in zip(bounds, bounds[1:]):
        active = {o for o in active if by_order[o].end > a} | {m.order for m in starts.get(a, [])}
        want = sorted((by_order[o] for o in active), key=lambda m: (m.layer, m.start, -m.end, m.order))
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        out.extend("</span>" for _ in stack[keep:])
        del stack[keep:]
        for m in want[keep:]:
            out.append(m.open_tag())
            stack.append(m)
        out.append(str(escape(text[a:b])))
    out.extend("</span>" for _ in stack)
    return Markup("".join(out))


def actor_key(entity: dict[str, Any]) -> str:
    """The key `marsad.views.actor` takes for an entity of an article record."""
    if entity.get("kb_id"):
        return entity["kb_id"]
    name = " ".join(normalize(entity.get("canonical") or entity.get("text") or "").split())
    return f"{entity.get('type') or 'name'}:{name}"


def _entity_title(e: dict[str, Any]) -> str:
    parts = [f"{TYPE_AR.get(e.get('type'), e.get('type'))}: {e.get('canonical') or e.get('text')}"]
    if e.get("name_en"):
        parts.append(e["name_en"])
    if e.get("role"):
        parts.append(f"الصفة: {e['role']}")
    parts.append(f"القاعدة: {e.get('rule') or 'غير محددة'}")
    if e.get("kb_id"):
        parts.append(f"قاعدة المعرفة: {e['kb_id']}")
    return " · ".join(parts)


def event_title(ev: dict[str, Any]) -> str:
    def names(side: str) -> str:
        return "، ".join(a.get("name") or "؟" for a in ev.get(side) or []) or "—"

    parts = [f"حدث: {PLOVER_AR.get(ev.get('type'), '')} {ev.get('type')}"
             + (f" ({ev['mode']})" if ev.get("mode") else "") + (f" CAMEO {ev['cameo']}" if ev.get("cameo") else ""),
             f"الفاعل: {names('source')} · الهدف: {names('target')}",
             f"التاريخ: {ev.get('date') or 'غير معروف'}"]
    place = ev.get("place")
    if place:  # an article's event holds {"name", "entity"}; an event across articles, the name
        parts.append(f"المكان: {place.get('name') if isinstance(place, dict) else place}")
    if ev.get("negated"):
        parts.append("منفي")
    if ev.get("trigger"):
        parts.append(f"الكلمة الدالة: {ev['trigger']}")
    parts.append(f"القاعدة: {ev.get('rule') or 'غير محددة'}")
    if ev.get("confidence") is not None:
        parts.append(f"الثقة: {ev['confidence']:.2f}")
    return " · ".join(parts)


def article_marks(record: dict[str, Any]) -> list[Mark]:
    """The marks of an article record: entity mentions, references, quotes, events (one mark per sentence
    span, however many events it holds) and their trigger words."""
    marks: list[Mark] = []
    seen: set[tuple[int, int, int, str]] = set()

    def add(s: int, e: int, layer: int, cls: str, title: str, data: dict[str, str], ident: str) -> None:
        if (s, e, layer, ident) not in seen:
            seen.add((s, e, layer, ident))
            marks.append(Mark(s, e, layer, cls, title, data))

    for ent in record.get("entities") or []:
        title = _entity_title(ent)
        for s, e in ent.get("mentions") or []:
            add(s, e, ENTITY, f"ent ent-{ent.get('type')}", title, {"entity": ent.get("id") or ""}, ent.get("id", ""))
    for ref in record.get("references") or []:
        title = f"مرجع: {REF_AR.get(ref.get('kind'), ref.get('kind'))} {ref.get('id')} · القاعدة: " \
                f"{ref.get('rule') or 'غير محددة'}"
        for s, e in ref.get("mentions") or []:
            add(s, e, REFERENCE, "ref", title, {"ref": ref.get("id") or ""}, f"{ref.get('kind')}:{ref.get('id')}")
    for i, q in enumerate(record.get("quotes") or []):
        span = q.get("span") or (0, 0)
        speaker = (q.get("speaker") or {}).get("name") or "متحدث غير مسمى"
        add(span[0], span[1], QUOTE, "quote", f"اقتباس · المتحدث: {speaker} · القاعدة: {q.get('rule') or 'غير محددة'}",
            {"quote": str(i)}, str(i))
    by_span: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for ev in record.get("events") or []:
        span = ev.get("span") or (0, 0)
        by_span.setdefault((span[0], span[1]), []).append(ev)
    text = record.get("text") or ""
    for (s, e), evs in by_span.items():
        types = " ".join(f"ev-{ev.get('type')}" for ev in evs)
        add(s, e, EVENT, f"ev {types}", "\n".join(event_title(ev) for ev in evs),
            {"types": " ".join(ev.get("type") or "" for ev in evs)}, "")
        for ev in evs:
            trig = ev.get("trigger")
            at = text.find(trig, s, e) if trig else -1
            if at >= 0:
                add(at, at + len(trig), TRIGGER, f"trigger ev-{ev.get('type')}", event_title(ev),
                    {"type": ev.get("type") or ""}, ev.get("type") or "")
    return marks
