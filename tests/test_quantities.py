"""Quantities: numbers with what they count, their unit and their hedge; and what is no quantity."""

from __future__ import annotations

import pytest

from storyline.read.nlp import english
from storyline.read.quantities import find_quantities


@pytest.fixture(scope="module")
def nlp():
    return english()


def only(text: str, language: str | None = "en", doc=None):
    found = find_quantities(text, language, doc)
    assert len(found) == 1, [q.text for q in found]
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q


def test_empty_and_number_free_text():
    assert find_quantities("") == []
    assert find_quantities("The talks resumed without any breakthrough.") == []
    assert find_quantities("", "ru") == []


def test_hedged_count_with_thousands_separator():
    q = only("Officials said over 18,000 evacuees reached the shelters.")
    assert (q.value, q.approx, q.counted, q.unit) == (18000, "over", "evacuees", None)
    assert q.text == "over 18,000 evacuees"


def test_spelled_number_keeps_head_noun_and_modifiers_in_span():
    q = only("By Friday three thousand Dutch engineers had arrived.")
    assert q.value == 3000
    assert q.counted == "engineers"
    assert q.text == "three thousand Dutch engineers"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ninety-nine boats were counted.", 99),
        ("They seized one hundred and twenty rifles.", 120),
        ("The ferry carried forty-two passengers.", 42),
        ("Eleven trucks were stopped.", 11),
    ],
)
def test_spelled_numbers(text, value):
    assert only(text).value == value


def test_length_units():
    q = only("The camp lies seven kilometres from the river.")
    assert (q.value, q.unit, q.counted) == (7, "km", None)
    q = only("Engineers finished a 62 km long pipeline across the desert.")
    assert (q.value, q.unit, q.counted) == (62, "km", "pipeline")
    q = only("They opened a 40-mile corridor for aid convoys.")
    assert (q.value, q.unit, q.counted) == (40, "mi", "corridor")


def test_unit_without_tied_noun_counts_nothing():
    q = only("The rocket fell about 900 km east of the coast.")
    assert (q.value, q.unit, q.approx, q.counted) == (900, "km", "about", None)


def test_about_and_nearly():
    assert only("Some 4,500 families were moved.").approx == "about"
    q = only("Turnout reached almost 35% in the capital.")
    assert (q.value, q.unit, q.approx) == (35, "%", "nearly")
    q = only("Roughly 61 percent of respondents agreed.")
    assert (q.value, q.unit, q.counted, q.approx) == (61, "%", "respondents", "about")


def test_range_with_time_unit():
    q = only("Pupils aged 8-11 years were sent home.")
    assert (q.value, q.value_high, q.unit) == (8, 11, "year")
    q = only("The war killed between 300 and 400 people.")
    assert (q.value, q.value_high, q.counted) == (300, 400, "people")
    assert q.text.startswith("between")


def test_year_like_numbers_with_a_unit_are_amounts():
    q = only("The missile flew 1500 km before it fell.")
    assert (q.value, q.unit) == (1500, "km")
    q = only("The fine was $1800 in the end.")
    assert (q.value, q.unit) == (1800, "USD")


def test_scale_of_a_range_applies_to_both_ends():
    q = only("Between 2 and 3 million tourists visit each year.")
    assert (q.value, q.value_high, q.counted) == (2e6, 3e6, "tourists")
    q = only("The repairs will cost $4-6 billion.")
    assert (q.value, q.value_high, q.unit) == (4e9, 6e9, "USD")


def test_money():
    q = only("The dam will cost $2.7 billion to build.")
    assert (q.value, q.unit) == (2.7e9, "USD")
    q = only("The club paid €40m for the striker.")
    assert (q.value, q.unit) == (40e6, "EUR")
    q = only("Donors pledged 12 million euros.")
    assert (q.value, q.unit) == (12e6, "EUR")


def test_scale_words_and_counted():
    q = only("The region has 3.4 million voters.")
    assert (q.value, q.counted) == (3.4e6, "voters")


def test_vague_plurals_are_lower_bounds():
    q = only("Dozens of shops were looted.")
    assert (q.value, q.approx, q.counted) == (24, "at_least", "shops")
    q = only("Hundreds of volunteers joined.")
    assert (q.value, q.approx, q.counted) == (200, "at_least", "volunteers")
    q = only("Tens of thousands of farmers marched.")
    assert (q.value, q.approx, q.counted) == (20000, "at_least", "farmers")
    q = only("The storm cost millions of dollars.")
    assert (q.value, q.unit) == (2e6, "USD")
    q = only("Several hundred were detained.")
    assert (q.value, q.approx) == (300, "at_least")


def test_explicit_hedge_beats_vague_default():
    q = only("About a dozen reporters waited outside.")
    assert (q.value, q.approx, q.counted) == (12, "about", "reporters")
    assert only("A dozen reporters waited outside.").approx is None


def test_casualty_participle_is_counted():
    found = find_quantities("At least 9 killed and 14 wounded in the blast.")
    assert [(q.value, q.approx, q.counted) for q in found] == [(9, "at_least", "killed"), (14, None, "wounded")]


def test_modifiers_before_the_counted_noun():
    q = only("Officials said 10 U.S. citizens were held.")
    assert (q.value, q.counted, q.text) == (10, "citizens", "10 U.S. citizens")
    q = only("A 5,000-strong force moved in.")
    assert (q.value, q.counted) == (5000, "force")
    q = only("Police said 8 current and former guards were charged.")
    assert q.counted is None  # the noun is out of reach of the rules; better none than "current"


def test_second_number_of_a_partitive_is_the_count():
    found = find_quantities("Two of the three bridges collapsed, and 29 of 30 lamps failed.")
    assert [(q.value, q.counted) for q in found] == [(3, "bridges"), (30, "lamps")]


def test_up_to_and_more_than_half():
    q = only("Up to 450 workers could lose their jobs.")
    assert (q.value, q.approx, q.counted) == (450, "up_to", "workers")
    q = only("More than half of the members voted against.")
    assert (q.value, q.unit, q.approx, q.counted) == (50, "%", "over", "members")
    q = only("Two-thirds of the wells ran dry.")
    assert q.value == pytest.approx(66.67, abs=0.01)


def test_hedges_after_the_number():
    assert only("They found 30-odd wrecks.").approx == "about"
    assert only("They counted 200-plus delegates.").approx == "at_least"
    q = only("The fund needs 500 donors or more.")
    assert (q.approx, q.counted, q.text) == ("at_least", "donors", "500 donors or more")
    q = only("The crossing takes 20 minutes or so.")
    assert (q.value, q.unit, q.approx) == (20, "minute", "about")


def test_comma_count_is_not_a_year_but_bare_year_is():
    q = only("Exactly 1,975 soldiers took part.")
    assert (q.value, q.counted) == (1975, "soldiers")
    q = only("The drive recruited 2000 volunteers.")
    assert (q.value, q.counted) == (2000, "volunteers")
    assert find_quantities("The treaty was signed in 1987.") == []
    assert find_quantities("Turnout in the 2016 protests was low.") == []
    assert find_quantities("He attended the 2012 Summer Games.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The summit opened on June 4, 2019 in the capital.",
        "The summit opened on 4 June in the capital.",
        "The vote was held on Nov. 7 after delays.",
        "The vote was held on 12.03.2018 after delays.",
        "The vote was held on 2019-05-12 after delays.",
        "The meeting started at 14:30 local time.",
        "The meeting started at 9 p.m. local time.",
        "She finished in the fourth place.",
        "It was his 21st birthday.",
        "Music of the 1990s was played.",
        "Call +44 20 7946 0958 for details.",
        "Call (312) 555-0199 for details.",
        "Call 0161 496 0732 for details.",
        "The council cited Resolution 1441 again.",
        "Two F-35 fighters? No: the F-35 jets and the G7 leaders.",
        "The hosts won with a 3-2 victory.",
        "The fire started three years ago.",
        "One of the guards escaped.",
    ],
)
def test_not_quantities(text):
    found = find_quantities(text)
    if text.startswith("Two F-35"):  # the spelled "Two" is a count, the rest is not
        assert [q.value for q in found] == [2]
    else:
        assert found == [], [q.text for q in found]


def test_russian_counts_and_hedges():
    q = only("По данным властей, более 14 тысяч переселенцев вернулись домой.", "ru")
    assert (q.value, q.approx, q.counted) == (14000, "over", "переселенцев")
    q = only("В город прибыли около трёх тысяч немецких инженеров.", "ru")
    assert (q.value, q.approx, q.counted) == (3000, "about", "инженеров")
    assert q.text == "около трёх тысяч немецких инженеров"
    q = only("На площадь вышли свыше 300 человек.", "ru")
    assert (q.value, q.approx, q.counted) == (300, "over", "человек")


def test_russian_numbers_units_and_vague():
    q = only("Проект стоит 1,5 млн рублей.", "ru")
    assert (q.value, q.unit) == (1.5e6, "RUB")
    q = only("В посёлке живут 25 000 жителей.", "ru")
    assert (q.value, q.counted) == (25000, "жителей")
    q = only("Десятки тысяч фермеров протестовали.", "ru")
    assert (q.value, q.approx) == (20000, "at_least")
    q = only("Трасса длиной 48 км открыта.", "ru")
    assert (q.value, q.unit) == (48, "km")


def test_russian_dates_and_years_are_not_quantities():
    assert find_quantities("Договор подписан в 2003 году.", "ru") == []
    assert find_quantities("Встреча пройдёт 5 мая в столице.", "ru") == []
    assert find_quantities("Он занял 3-е место.", "ru") == []


def test_language_none_detects_cyrillic():
    q = only("Погибли не менее 7 человек.", None)
    assert (q.value, q.approx, q.counted) == (7, "at_least", "человек")


def test_parse_finds_counted_noun_and_rejects_verbs(nlp):
    text = "Roughly 3,200 Chilean firefighters arrived. Thousands fled the coastal towns."
    found = find_quantities(text, "en", nlp(text))
    assert [(q.value, q.counted, q.approx) for q in found] == [
        (3200, "firefighters", "about"),
        (2000, None, "at_least"),
    ]
    assert found[0].text == "Roughly 3,200 Chilean firefighters"


def test_parse_keeps_proper_names_out_of_counted(nlp):
    text = "Mark Olsen, 52 of Riverside, was charged."
    found = find_quantities(text, "en", nlp(text))
    assert [(q.value, q.counted) for q in found] == [(52, None)]


def test_parse_and_fallback_agree_on_plain_sentences(nlp):
    text = "Up to 450 workers and two thousand Dutch engineers came; dozens of homes burned."
    with_doc = [(q.value, q.counted, q.approx, q.text) for q in find_quantities(text, "en", nlp(text))]
    without = [(q.value, q.counted, q.approx, q.text) for q in find_quantities(text, "en")]
    assert with_doc == without
    assert [v for v, *_ in with_doc] == [450, 2000, 24]
