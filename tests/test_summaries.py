"""Fact summaries: the subject recovered through the parse, one invented report per construction."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.models import Article
from storyline.read.reader import read_articles
from storyline.read.summaries import HEADLINE_CHARS, UNCLEAR


def clauses(text: str, published: str = "2021-06-10", language: str = "en"):
    article = Article(
        id="t", text=text, language=language, published=datetime.fromisoformat(published), published_basis="metadata"
    )
    ((annotations, _),) = list(read_articles([article]))
    return annotations.clauses


def summary_of(text: str, predicate: str, published: str = "2021-06-10") -> str:
    found = [c for c in clauses(text, published) if c.predicate == predicate and c.timexes]
    assert found, [(c.predicate, c.summary) for c in clauses(text, published)]
    return found[-1].summary


def test_a_passive_keeps_what_underwent_it_as_subject():
    text = "The bridge over the Varna river was reopened by the city council on Thursday."
    assert summary_of(text, "reopen") == "The bridge over the Varna river was reopened by the city council on 10 June 2021"


def test_a_relative_clause_takes_the_noun_it_hangs_on():
    text = "Officials inspected the port of Kemsa, which was closed on 3 May after the storm."
    assert summary_of(text, "close") == "The port of Kemsa was closed on 3 May 2021 after the storm"


def test_a_reduced_relative_takes_the_noun_the_infinitive_completes():
    """"the agreement to end the fighting signed on ...": the agreement was signed, not the fighting."""
    text = "Both sides respect the agreement to end the fighting signed on 9 March in Geneva."
    assert summary_of(text, "sign") == "The agreement to end the fighting was signed on 9 March 2021 in Geneva"


def test_a_coordinated_verb_shares_the_subject_of_the_first():
    text = "The rebels seized the airport on Friday and closed the main road on Saturday."
    assert summary_of(text, "close") == "The rebels closed the main road on 5 June 2021"


def test_it_stands_for_the_nearest_compatible_subject():
    text = "The electricity company raised its prices in January. It cut them again on 2 March."
    assert summary_of(text, "cut") == "The electricity company cut them again on 2 March 2021"


def test_they_stands_for_a_plural_or_a_group_not_a_place():
    text = (
        "Until the last day the population of the valley hoped that the town and two villages would stay open. "
        "They left their homes on Sunday."
    )
    assert summary_of(text, "leave") == "The population of the valley left their homes on 6 June 2021"


def test_an_object_relative_puts_its_noun_back_after_the_verb():
    text = "The three villages that the army had promised to rebuild were finished on 1 June."
    (promise,) = [c for c in clauses(text) if c.predicate == "promise"]
    assert promise.summary == "The army had promised to rebuild the three villages"
    assert summary_of(text, "finish") == "The three villages were finished on 1 June 2021"


def test_a_date_fronted_before_the_subject_moves_to_the_end():
    text = "On Tuesday, the health ministry opened two new field hospitals in the north."
    assert summary_of(text, "open") == "The health ministry opened two new field hospitals in the north on 8 June 2021"


def test_a_subject_that_cannot_be_recovered_is_said_to_be_unclear():
    text = "It was signed on 9 November in a hurry."
    (signed,) = [c for c in clauses(text, "2021-11-20") if c.predicate == "sign"]
    assert signed.summary == f"{UNCLEAR} was signed on 9 November 2021 in a hurry"
    assert signed.subject is None


@pytest.mark.parametrize(
    "text",
    [
        "The coalition government, which had been formed by four parties after the elections of the previous "
        "spring in a long series of negotiations, collapsed on Wednesday over a dispute about the budget for the "
        "coming year and the cost of the new railway line between the two largest cities of the north.",
    ],
)
def test_a_headline_is_cut_at_phrase_boundaries(text):
    (collapsed,) = [c for c in clauses(text) if c.predicate == "collapse" and c.timexes]
    assert len(collapsed.headline) <= HEADLINE_CHARS
    assert collapsed.headline.startswith("The coalition government collapsed")
    assert not collapsed.headline.endswith(("over", "about", "the", "of", "and", ","))
    assert collapsed.summary.startswith(collapsed.headline.rsplit(" ", 1)[0].split(" on ")[0])


RELATIVE_STARTS = ("qui ", "que ", "qu'", "dont ", "où ", "lequel", "laquelle", "quien", "cuy", "donde ", "el que ")


def summaries(text: str, language: str) -> dict[str, str]:
    return {c.predicate: c.summary for c in clauses(text, language=language)}


def test_french_relative_clauses_take_their_noun_and_keep_their_auxiliaries():
    found = summaries("Les pompiers ont évacué le village de Montrel, qui avait été inondé le 3 mai. "
                      "Le pont que les ingénieurs ont réparé mardi a rouvert jeudi.", "fr")
    assert found["évacuer"] == "Les pompiers ont évacué le village de Montrel"
    assert found["inonder"] == "Le village de Montrel avait été inondé le 3 mai"
    assert found["réparer"] == "Les ingénieurs ont réparé le pont mardi"  # "que": the bridge, put back as object


def test_spanish_relative_pronouns_give_way_to_their_noun():
    found = summaries("Los bomberos evacuaron el pueblo de Valdera, que había quedado inundado el 3 de mayo. "
                      "El alcalde, quien llegó el lunes, anunció un plan. "
                      "El puente que los ingenieros repararon el martes reabrió el jueves. "
                      "Los vecinos cuyas casas fueron destruidas recibieron ayuda el miércoles.", "es")
    assert found["quedar"] == "El pueblo de Valdera había quedado inundado el 3 de mayo"
    assert found["llegar"] == "El alcalde llegó el lunes"
    assert found["reparar"] == "Los ingenieros repararon el puente el martes"
    assert found["destruir"] == "Las casas de los vecinos fueron destruidas"


@pytest.mark.parametrize(("language", "text"), [
    ("es", "La región donde llovió más fue evacuada el viernes. El camión en el que viajaban seis personas cayó al río."),
    ("fr", "Le camion dans lequel voyageaient six personnes est tombé samedi. La ville où il a plu a été évacuée."),
    ("es", "Los soldados, a quienes el gobierno envió el martes, repararon el puente que cruza el río."),
])
def test_no_summary_starts_with_a_relative_pronoun(language, text):
    found = clauses(text, language=language)
    assert found
    for clause in found:
        assert not clause.summary.lower().startswith(RELATIVE_STARTS), clause.summary
    # a relative clause whose pronoun is no subject does not make its noun the subject
    assert all(not (c.summary or "").startswith(("La región llovió", "Le camion voyageaient")) for c in found)
