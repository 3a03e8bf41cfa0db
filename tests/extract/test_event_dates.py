"""Dating an attack told again from the sentence that dated the attack on the same place."""
from __future__ import annotations

from tests.extract.test_events import events_of

SURUC = ("ORG", ["داعش", "تنظيم داعش"])
TOWN = ("LOC", ["بلدة سروج", "سوروتش", "سروج"])
DATED = ("ويأتي الحادث بعد يوم من مقتل 32 شخصا جراء تفجير وقع أول من أمس(الاثنين) في حديقة مركز ثقافي "
         "ببلدة سروج جنوب تركيا.")
RETOLD = "وأعلنت السلطات التركية أن شابا هو منفذ هجوم سوروتش الانتحاري الذي تبناه تنظيم داعش."


def _attack(text: str, published: str = "2015-07-22"):
    evs = [e for e in events_of(text, [SURUC, TOWN], published=published) if e.type == "ASSAULT"]
    assert len(evs) == 1, [(e.source, e.target, e.rule) for e in evs]
    return evs[0]


def test_an_attack_told_again_takes_the_day_the_article_gave_it():
    ev = _attack(DATED + " " + RETOLD)
    assert (ev.date, "date:same-attack" in ev.rule) == ("2015-07-20", True), ev.rule


def test_no_day_after_the_attack_word_leaves_it_undated():
    # the day belongs to a statement, not to the attack on the town
    text = "وقالت الحكومة أمس إن تفجيرا ضرب بلدة سروج جنوب تركيا. " + RETOLD
    assert _attack(text).date is None


def test_two_days_for_one_town_leave_it_undated():
    text = DATED + " وكان تفجير وقع أمس الأول(الاثنين) الماضي ثم تفجير وقع الأحد الماضي قرب بلدة سروج أيضا. " + RETOLD
    assert _attack(text).date is None


def test_an_old_attack_is_not_dated_from_a_retelling():
    text = "وكان 32 شخصا قتلوا جراء تفجير وقع في 20 يوليو 2015 في حديقة مركز ثقافي ببلدة سروج. " + RETOLD
    assert _attack(text, published="2015-07-22").date == "2015-07-20"
    assert _attack(text, published="2015-09-30").date is None   # background, ten weeks on
