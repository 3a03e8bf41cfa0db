"""Golden quotes, references and events of the seeds (in full) and of the development pages (hashed: the dev
pages may not be committed). A change to any of them shows here; rewrite with --update-golden on purpose."""
from __future__ import annotations

import hashlib
import json

import pytest

FIELDS = {
    "quotes": lambda q: {"speaker": q["speaker"]["name"], "text": q["text"], "span": q.get("span"),
                         "rule": q.get("rule")},
    "references": lambda r: {k: r.get(k) for k in ("kind", "id", "text", "mentions")},
    "events": lambda e: {"type": e["type"], "source": [a.get("name") for a in e["source"]],
                         "target": [a.get("name") for a in e["target"]], "span": e["span"], "cameo": e["cameo"],
                         "date": e.get("date"), "place": (e.get("place") or {}).get("name"),
                         "negated": e["negated"], "trigger": e["trigger"]},
}


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_seed_golden(seed_records, golden, field):
    golden(f"seeds_{field}.json", {i: [FIELDS[field](x) for x in r[field]] for i, r in sorted(seed_records.items())})


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_dev_golden(dev_records, golden, field):
    golden(f"dev_{field}.json", {
        r["id"]: hashlib.sha1(json.dumps([FIELDS[field](x) for x in r[field]], ensure_ascii=False,
                                         sort_keys=True).encode()).hexdigest()
        for r in dev_records})
