"""Actors: organisation, group and person mentions with keys shared by mentions of one actor."""

from __future__ import annotations

import pytest

from storyline.read.actors import find_actors
from storyline.read.nlp import english
from storyline.text import fold_key


@pytest.fixture(scope="module")
def nlp():
    return english()


def span(text: str, part: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    """The (start, end, label) of the nth occurrence of part in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part), label


def keys_by_text(mentions) -> dict[str, str]:
    return {m.text: m.key for m in mentions}


def test_empty_input():
    assert find_actors("", "en", []) == []
    assert find_actors("Nothing was tagged here.", "en", []) == []


def test_ministry_word_order_country_adjective_and_spelling():
    text = (
        "The Peruvian Defence Ministry denied the report. "
        "Later the Ministry of Defense of Peru said the patrol had returned."
    )
    spans = [span(text, "The Peruvian Defence Ministry", "ORG"), span(text, "the Ministry of Defense of Peru", "ORG")]
    found = find_actors(text, "en", spans)
    assert [m.text for m in found] == ["Peruvian Defence Ministry", "Ministry of Defense of Peru"]
    assert found[0].key == found[1].key
    assert all(m.label == "ORG" and m.source == "spacy" for m in found)


def test_country_next_to_a_cut_short_span():
    text = "Kenya's Interior Ministry and the Ministry of Interior of Kenya agree; the Ministry of Interior of Chile does not."
    spans = [
        span(text, "Interior Ministry", "ORG"),
        span(text, "the Ministry of Interior", "ORG"),
        span(text, "the Ministry of Interior", "ORG", nth=1),
    ]
    found = find_actors(text, "en", spans)
    assert found[0].key == found[1].key
    assert found[2].key != found[0].key


def test_bare_name_joins_the_only_national_body_with_those_words():
    text = "The Chilean Foreign Ministry protested. The Foreign Ministry said talks would go on."
    spans = [span(text, "The Chilean Foreign Ministry", "ORG"), span(text, "The Foreign Ministry", "ORG")]
    found = find_actors(text, "en", spans)
    assert found[0].key == found[1].key


def test_bare_name_stays_apart_when_two_countries_have_one():
    text = "The Chilean Foreign Ministry and the Bolivian Foreign Ministry met. The Foreign Ministry in the capital hosted."
    spans = [
        span(text, "The Chilean Foreign Ministry", "ORG"),
        span(text, "the Bolivian Foreign Ministry", "ORG"),
        span(text, "The Foreign Ministry", "ORG"),
    ]
    keys = [m.key for m in find_actors(text, "en", spans)]
    assert len(set(keys)) == 3


def test_people_by_surname_after_a_full_name_with_titles_removed():
    text = "Prime Minister Ingrid Halvorsen arrived. Ms. Halvorsen spoke first, and Halvorsen left at noon."
    spans = [
        span(text, "Prime Minister Ingrid Halvorsen", "PERSON"),
        span(text, "Ms. Halvorsen", "PERSON"),
        span(text, "Halvorsen", "PERSON", nth=2),
    ]
    found = find_actors(text, "en", spans)
    assert [m.text for m in found] == ["Ingrid Halvorsen", "Halvorsen", "Halvorsen"]
    assert len({m.key for m in found}) == 1


def test_shared_surname_goes_to_the_nearest_full_name_before():
    text = "Marta Lind met Oskar Lind. Later Lind said the deal was done."
    spans = [
        span(text, "Marta Lind", "PERSON"),
        span(text, "Oskar Lind", "PERSON"),
        span(text, "Lind", "PERSON", nth=2),
    ]
    found = find_actors(text, "en", spans)
    assert found[0].key != found[1].key
    assert found[2].key == found[1].key


def test_acronym_in_parentheses_and_its_later_uses():
    text = (
        "The Kenya National Agency for Flood Relief (KNAFR) opened camps. "
        "KNAFR said more were needed, and officials at KNAFR agreed."
    )
    spans = [
        span(text, "The Kenya National Agency for Flood Relief", "ORG"),
        span(text, "KNAFR", "ORG", nth=1),  # the tagger found only one later use
    ]
    found = find_actors(text, "en", spans)
    assert len({m.key for m in found}) == 1
    assert [m.text for m in found] == ["Kenya National Agency for Flood Relief", "KNAFR", "KNAFR"]
    assert found[2].source == "acronym"


def test_acronym_spelled_by_initials():
    text = "The World Health Organization warned of shortages. The WHO asked for funds."
    spans = [span(text, "The World Health Organization", "ORG"), span(text, "WHO", "ORG")]
    found = find_actors(text, "en", spans)
    assert found[0].key == found[1].key


def test_place_names_tagged_as_org_or_person_are_dropped():
    text = "Lima said the Chileans would help, and Valparaiso agreed."
    spans = [span(text, "Lima", "ORG"), span(text, "Chileans", "NORP"), span(text, "Valparaiso", "PERSON")]
    found = find_actors(text, "en", spans, place_names={fold_key("Lima"), fold_key("Valparaíso")})
    assert [(m.text, m.label) for m in found] == [("Chileans", "NORP")]


def test_national_groups_share_the_country_key():
    text = "A Peruvian crew and two Peruvians were rescued; Chileans watched."
    spans = [span(text, "Peruvian", "NORP"), span(text, "Peruvians", "NORP"), span(text, "Chileans", "NORP")]
    found = find_actors(text, "en", spans)
    assert found[0].key == found[1].key != found[2].key
    assert all(m.label == "NORP" for m in found)


def test_plural_demonym_tagged_org_becomes_a_group():
    text = "The Kenyans and a Kenyan official spoke."
    spans = [span(text, "Kenyans", "ORG"), span(text, "Kenyan", "NORP", nth=1)]
    found = find_actors(text, "en", spans)
    assert [m.label for m in found] == ["NORP", "NORP"]
    assert found[0].key == found[1].key


def test_junk_spans_and_other_labels_are_dropped():
    text = "The 1998 rebels said Monday in Quito that the Red Cross helped."
    spans = [
        span(text, "The", "ORG"),
        span(text, "1998", "ORG"),
        span(text, "rebels", "NORP"),
        span(text, "Monday", "DATE"),
        span(text, "Quito", "GPE"),
        span(text, "the Red Cross", "ORG"),
    ]
    found = find_actors(text, "en", spans)
    assert [(m.text, m.label) for m in found] == [("Red Cross", "ORG")]


def test_russian_cases_join_people_and_genitive_country():
    text = (
        "Министерство финансов Казахстана сообщило о проверке. Аскар Бекетов встретился с министром. "
        "Бекетову передали отчёт, а Министерства финансов Казахстана это не касается."
    )
    spans = [
        span(text, "Министерство финансов", "ORG"),
        span(text, "Аскар Бекетов", "PER"),
        span(text, "Бекетову", "PER"),
        span(text, "Министерства финансов", "ORG"),
    ]
    found = find_actors(text, "ru", spans, place_names={fold_key("Казахстана")})
    orgs = [m for m in found if m.label == "ORG"]
    people = [m for m in found if m.label == "PERSON"]
    assert len(orgs) == 2 and orgs[0].key == orgs[1].key
    assert ":KZ:" in orgs[0].key
    assert len(people) == 2 and people[0].key == people[1].key
    assert all(m.source == "natasha" for m in found)


def test_with_spacy_entities(nlp):
    text = (
        "The Norwegian Defence Ministry said on Tuesday that Prime Minister Ingrid Halvorsen would visit "
        "the base. The Ministry of Defense of Norway later added that Ms. Halvorsen had approved the plan."
    )
    doc = nlp(text)
    spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    found = find_actors(text, "en", spans)
    orgs = {m.key for m in found if m.label == "ORG"}
    people = {m.key for m in found if m.label == "PERSON"}
    assert len(orgs) == 1 and len(people) == 1
    assert not any(m.text.lower().startswith("the ") for m in found)
    assert all(text[m.start : m.end] == m.text for m in found)


def test_surname_mistagged_as_group_or_org_joins_the_person():
    text = "Coach Tom Andrews resigned. Andrews said Andrews would stay and Andrews left."
    spans = [
        span(text, "Tom Andrews", "PERSON"),
        span(text, "Andrews", "NORP", nth=1),
        span(text, "Andrews", "ORG", nth=2),
        span(text, "Andrews", "PERSON", nth=3),
    ]
    found = find_actors(text, "en", spans)
    assert [m.label for m in found] == ["PERSON"] * 4
    assert len({m.key for m in found}) == 1


def test_organisation_named_mostly_as_org_is_not_made_a_person():
    text = "Photo Vela Kepler. Kepler released images; Kepler and Kepler archives too; Kepler staff."
    spans = [
        span(text, "Vela Kepler", "PERSON"),
        span(text, "Kepler", "ORG", nth=1),
        span(text, "Kepler", "ORG", nth=2),
        span(text, "Kepler", "PERSON", nth=3),
        span(text, "Kepler", "ORG", nth=4),
    ]
    found = find_actors(text, "en", spans)
    singles = [m for m in found if m.text == "Kepler"]
    assert [m.label for m in singles] == ["ORG"] * 4
    assert len({m.key for m in singles}) == 1


def test_surname_tagged_only_as_org_joins_the_full_name():
    # before: "Okafor" stayed org:okafor, since no one-word "Okafor" was tagged PERSON
    text = "Coach Rena Okafor was dismissed on Friday. Okafor had led the club since spring."
    spans = [span(text, "Rena Okafor", "PERSON"), span(text, "Okafor", "ORG", nth=1)]
    found = find_actors(text, "en", spans)
    assert [m.label for m in found] == ["PERSON"] * 2
    assert {m.key for m in found} == {"per:rena okafor"}


def test_full_name_tagged_as_org_is_the_person():
    text = "Pablo Ferreira scored twice. Later Pablo Ferreira thanked the fans."
    spans = [span(text, "Pablo Ferreira", "PERSON"), span(text, "Pablo Ferreira", "ORG", nth=1)]
    found = find_actors(text, "en", spans)
    assert [m.label for m in found] == ["PERSON", "PERSON"]
    assert found[0].key == found[1].key


def test_bare_surname_tagged_both_ways_gets_one_key():
    text = "Brandt was arrested on Sunday. Police said Brandt had been driving at night."
    spans = [span(text, "Brandt", "ORG"), span(text, "Brandt", "PERSON", nth=1)]
    found = find_actors(text, "en", spans)
    assert {m.key for m in found} == {"per:brandt"}


def test_acronym_is_not_taken_for_a_person_of_that_name():
    text = "Photo by Lena Rask. RASK said the probe was launched."
    spans = [span(text, "Lena Rask", "PERSON"), span(text, "RASK", "ORG")]
    found = find_actors(text, "en", spans)
    assert found[1].label == "ORG" and found[1].key != found[0].key
