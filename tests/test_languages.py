"""Issue 9: reports in many languages read, grouped and fused by the whole pipeline.

Every report here was written for these tests (invented happenings at real
places, in English, French, Spanish, German, Italian, Portuguese, Russian,
Turkish, Arabic and Chinese); none is a translation of the seed reports and
none uses their names.
"""

from __future__ import annotations

import json

import pytest

import storyline

# One landslide told in nine languages, published the day after ("on Tuesday", "14 May", "yesterday").
LANDSLIDE_2024 = {
    "en": ("2024-05-15", "Landslide buries houses near Trabzon",
           "A landslide buried 12 houses in a village outside Trabzon on Tuesday, the governor's office said. "
           "Rescuers pulled seven people alive from the mud overnight."),
    "fr": ("2024-05-15", "Un glissement de terrain ensevelit des maisons près de Trabzon",
           "Un glissement de terrain a enseveli douze maisons dans un village près de Trabzon le 14 mai, selon le "
           "bureau du gouverneur. Les secouristes ont sorti sept personnes vivantes de la boue pendant la nuit."),
    "es": ("2024-05-15", "Un deslizamiento sepulta viviendas cerca de Trabzon",
           "Un deslizamiento de tierra sepultó doce viviendas en una aldea cerca de Trabzon el martes, informó la "
           "oficina del gobernador. Los rescatistas sacaron con vida a siete personas del barro durante la noche."),
    "de": ("2024-05-16", "Erdrutsch verschüttet Häuser bei Trabzon",
           "Ein Erdrutsch hat am Dienstag, dem 14. Mai, zwölf Häuser in einem Dorf bei Trabzon verschüttet. "
           "Rettungskräfte zogen in der Nacht sieben Menschen lebend aus dem Schlamm."),
    "it": ("2024-05-15", "Frana seppellisce case vicino a Trabzon",
           "Una frana ha sepolto dodici case in un villaggio vicino a Trabzon martedì 14 maggio. I soccorritori "
           "hanno estratto vive sette persone dal fango durante la notte."),
    "ru": ("2024-05-15", "Оползень засыпал дома под Трабзоном",
           "Во вторник оползень засыпал двенадцать домов в деревне под Трабзоном, сообщила канцелярия губернатора. "
           "Спасатели за ночь извлекли из грязи семь человек живыми."),
    "tr": ("2024-05-15", "Trabzon'da heyelan: 12 ev toprak altında kaldı",
           "Trabzon'da dün meydana gelen heyelanda bir köydeki 12 ev toprak altında kaldı. Kurtarma ekipleri "
           "gece boyunca yedi kişiyi çamurun altından sağ olarak çıkardı."),
    "zh": ("2024-05-15", "特拉布宗附近发生山体滑坡",
           "5月14日，特拉布宗附近一个村庄发生山体滑坡，12栋房屋被掩埋。救援人员连夜从泥浆中救出七人。"),
    "ar": ("2024-05-15", "انهيار أرضي يدفن منازل قرب طرابزون",
           "دفن انهيار أرضي 12 منزلا في قرية قرب طرابزون يوم الثلاثاء. وانتشل المنقذون سبعة أشخاص أحياء من الوحل "
           "خلال الليل."),
}
# Two years later, another landslide at the same place: a different story.
LANDSLIDE_2026 = {
    "pt": ("2026-04-10", "Deslizamento de terra bloqueia estrada perto de Trabzon",
           "Um deslizamento de terra bloqueou a estrada costeira perto de Trabzon na quinta-feira, 9 de abril. "
           "Nenhum ferido foi registado, segundo a polícia."),
    "it": ("2026-04-10", "Frana blocca la strada costiera vicino a Trabzon",
           "Giovedì 9 aprile una frana ha bloccato la strada costiera vicino a Trabzon. La polizia non ha "
           "segnalato feriti."),
}
# A Turkish and a French report one day apart on when a tanker caught fire.
TANKER_FIRE = {
    "tr": ("2024-03-05", "Mersin'de tanker yangını",
           "Mersin'de limana demirli bir tankerde 3 Mart'ta yangın çıktı. İtfaiye ekipleri yangını altı saatte "
           "söndürdü."),
    "fr": ("2024-03-05", "Incendie d'un pétrolier à Mersin",
           "Un incendie s'est déclaré le 4 mars à bord d'un pétrolier amarré dans le port de Mersin. Les pompiers "
           "ont mis six heures à maîtriser les flammes."),
}
# An English and a German report that disagree on how many people were evacuated.
WILDFIRE = {
    "en": ("2024-08-10", "Wildfire forces evacuations north of Marseille",
           "A wildfire forced the evacuation of more than 2,000 people from villages north of Marseille on Friday, "
           "the fire service said."),
    "de": ("2024-08-10", "Waldbrand nördlich von Marseille",
           "Ein Waldbrand hat am Freitag die Evakuierung von 1.500 Menschen aus Dörfern nördlich von Marseille "
           "erzwungen, teilte die Feuerwehr mit."),
}
STORIES = {"landslide-2024": LANDSLIDE_2024, "landslide-2026": LANDSLIDE_2026, "tanker": TANKER_FIRE, "wildfire": WILDFIRE}


def _write(folder, story: str, language: str, published: str, title: str, text: str) -> None:
    header = f"---\ntitle: {json.dumps(title)}\nsource: {story}-{language}\npublished: {published}\nlanguage: {language}\n---\n"
    (folder / f"{story}-{language}.md").write_text(header + text + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def analyzed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("languages")
    reports = folder / "reports"
    reports.mkdir()
    for story, tellings in STORIES.items():
        for language, (published, title, text) in tellings.items():
            _write(reports, story, language, published, title, text)
    with storyline.open(folder / "x.db") as db:
        db.analyze([reports])
        articles = {a.id: a for a in db.articles()}
        stories = db.stories()
    story_of = {}
    for story in stories:
        for article_id in story.article_ids:
            story_of[articles[article_id].source] = story
    return {"articles": articles, "stories": stories, "story_of": story_of}


def _story(analyzed, name: str):
    members = {analyzed["story_of"][f"{name}-{language}"].id for language in STORIES[name]}
    assert len(members) == 1, f"{name} split over {len(members)} stories"
    return analyzed["story_of"][f"{name}-{next(iter(STORIES[name]))}"]


def _languages(analyzed, fact) -> set[str]:
    return {analyzed["articles"][a].language for a in fact.sources}


def test_one_event_in_many_languages_is_one_story_corroborated_across_languages(analyzed):
    story = _story(analyzed, "landslide-2024")
    assert set(story.article_ids) == {
        a.id for a in analyzed["articles"].values() if a.source.startswith("landslide-2024")
    }
    on_the_day = [f for f in story.facts if f.when and f.when.value == "2024-05-14"]
    assert on_the_day, [(f.when, f.summary) for f in story.facts]
    main = max(on_the_day, key=lambda f: len(f.sources))
    assert main.status == "corroborated"
    assert len(_languages(analyzed, main)) >= 5, (_languages(analyzed, main), main.summary)
    # every supporting sentence, in every language, is cited
    cited = {(e.article, e.text) for e in main.evidence}
    assert {analyzed["articles"][a].language for a, _ in cited} == _languages(analyzed, main)
    # the summary is the English telling, marked as English
    assert main.summary_language == "en" and "landslide" in main.summary.lower()
    # no dated fact of the story disagrees on the day
    assert not [c for f in story.facts for c in f.conflicts if c.slot == "when"]


def test_a_date_one_day_apart_across_turkish_and_french_is_a_conflict(analyzed):
    story = _story(analyzed, "tanker")
    conflicting = [f for f in story.facts if any(c.slot == "when" for c in f.conflicts)]
    assert conflicting, [(f.when, f.summary, f.sources) for f in story.facts]
    fact = conflicting[0]
    assert _languages(analyzed, fact) == {"tr", "fr"} and fact.status == "conflicting"
    (conflict,) = [c for c in fact.conflicts if c.slot == "when"]
    assert {v.value for v in conflict.values} == {"2024-03-03", "2024-03-04"}
    assert "one day apart" in conflict.explanation
    # no English telling: the summary is in the first source's language, and says so
    assert fact.summary_language in {"tr", "fr"}
    first = min(fact.sources, key=lambda a: (analyzed["articles"][a].published, a))
    assert fact.summary_language == analyzed["articles"][first].language


def test_a_figure_that_differs_across_languages_is_a_conflict(analyzed):
    story = _story(analyzed, "wildfire")
    conflicts = [c for f in story.facts for c in f.conflicts if c.slot.startswith("quantity")]
    assert conflicts, [(f.summary, f.quantities) for f in story.facts]
    (conflict,) = conflicts
    assert len({a for v in conflict.values for a in v.articles}) == 2
    assert "beyond rounding" in conflict.explanation


def test_a_different_event_at_the_same_place_two_years_later_is_another_story(analyzed):
    earlier, later = _story(analyzed, "landslide-2024"), _story(analyzed, "landslide-2026")
    assert earlier.id != later.id
    assert not set(earlier.article_ids) & set(later.article_ids)
    dated = [f for f in later.facts if f.when and f.when.value == "2026-04-09"]
    assert dated and max(len(_languages(analyzed, f)) for f in dated) == 2
