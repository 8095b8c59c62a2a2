"""The benchmark scorers against values computed by hand.

Coreference: the worked example of Pradhan et al. (2014), "Scoring Coreference Partitions of
Predicted Mentions: A Reference Implementation" (key {a b c} {d e f g}, response {a b} {c d}
{f g h i}). TimeLine: small timelines whose reduced graphs and closures are worked out below.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.coref import align_tokens
from bench.coref_metrics import b_cubed, ceaf_e, conll, max_assignment, muc, partition
from bench.timeline_scorer import (
    Entry,
    Timeline,
    normal_date,
    read_timeline,
    score_timeline,
    timeline_graph,
    undated,
    verified,
)
from bench.timelines import detokenize
from storyline.facts.coref import EventMention, average_link, cluster_mentions, group_documents, lemma_groups
from storyline.models import Annotations, EntityMention, Timex

from .conftest import DATA, need

KEY = partition([{"a", "b", "c"}, {"d", "e", "f", "g"}])
RESPONSE = partition([{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}])


def test_muc_counts_links_across_pieces():
    # key: {a b c} is cut into {a b} {c}: 1 of 2 links; {d e f g} into {d} {e} {f g}: 1 of 3 links
    # response: {a b} 1 of 1; {c d} 0 of 1; {f g h i} cut into {f g} {h} {i}: 1 of 3
    p, r, f = muc(KEY, RESPONSE)
    assert r == pytest.approx(2 / 5)
    assert p == pytest.approx(2 / 5)
    assert f == pytest.approx(0.4)


def test_b_cubed_averages_over_mentions():
    # recall: (2*2/3 + 1/3 + 1/4 + 2*2/4 ... ) = (4/3 + 1/3 + 1/4 + 4/4) / 7 = 35/84
    # precision: ({a b}: 2*2/2) + ({c d}: 2*1/2) + ({f g h i}: 2*2/4) = 4 over 8 response mentions
    p, r, _ = b_cubed(KEY, RESPONSE)
    assert r == pytest.approx(35 / 84)
    assert p == pytest.approx(0.5)


def test_ceaf_e_takes_the_best_one_to_one_alignment():
    # phi4: K1-R1 = 4/5, K1-R2 = 2/5, K2-R2 = 2/6, K2-R3 = 4/8; best = 0.8 + 0.5
    p, r, _ = ceaf_e(KEY, RESPONSE)
    assert r == pytest.approx(1.3 / 2)
    assert p == pytest.approx(1.3 / 3)


def test_conll_is_the_mean_of_the_three():
    scores = conll(KEY, RESPONSE)
    assert scores["conll_f1"] == pytest.approx((0.4 + 2 * 0.5 * (35 / 84) / (0.5 + 35 / 84) + 0.52) / 3)
    perfect = conll(KEY, KEY)
    assert perfect["conll_f1"] == pytest.approx(1.0)


def test_singletons_score_in_b_cubed_and_ceaf_but_not_muc():
    key = partition([{"a", "b", "c", "d"}])
    response = partition([{"a"}, {"b"}, {"c"}, {"d"}])
    assert muc(key, response) == (0.0, 0.0, 0.0)
    p, r, _ = b_cubed(key, response)
    assert (p, r) == (pytest.approx(1.0), pytest.approx(0.25))
    p, r, _ = ceaf_e(key, response)  # one response cluster aligns: 2*1/(4+1) = 0.4
    assert (p, r) == (pytest.approx(0.4 / 4), pytest.approx(0.4))


def test_assignment_beats_greedy():
    # greedy takes 0.9 then is left with 0.1; the best matching is 0.8 + 0.8
    assert max_assignment([[0.9, 0.8], [0.8, 0.1]]) == pytest.approx(1.6)
    assert max_assignment([[0.2], [0.7], [0.5]]) == pytest.approx(0.7)


def test_a_mention_in_two_clusters_is_an_error():
    with pytest.raises(ValueError):
        partition([{"a", "b"}, {"b", "c"}])


def _timeline(*rows: tuple[int, str, str]) -> Timeline:
    return Timeline("x", [Entry(o, d, m.split()) for o, d, m in rows])


def test_timeline_identical_scores_one():
    gold = _timeline((0, "XXXX-XX-XX", "d-1-a"), (1, "2010-01-01", "d-2-b d-3-c"), (2, "2010-02", "d-4-e"))
    scores = score_timeline(gold, gold).scores()
    assert scores["f1"] == pytest.approx(1.0)
    assert scores["mention_f1"] == pytest.approx(1.0)


def test_timeline_wrong_order_and_wrong_date():
    # gold reduced graph: a BEFORE b, a IS_INCLUDED 2010-01-01, b IS_INCLUDED 2010-02-01
    gold = _timeline((1, "2010-01-01", "d-1-a"), (2, "2010-02-01", "d-2-b"))
    # system: b BEFORE a, b IS_INCLUDED 2010-02-01 (right), a IS_INCLUDED 2010-03-01 (no such date in gold)
    system = _timeline((1, "2010-02-01", "d-2-b"), (2, "2010-03-01", "d-1-a"))
    counts = score_timeline(system, gold)
    assert (counts.precision_hits, counts.system_relations) == (1, 3)
    assert (counts.recall_hits, counts.gold_relations) == (1, 3)
    assert (counts.mention_hits, counts.system_mentions, counts.gold_mentions) == (1, 2, 2)


def test_timeline_closure_verifies_a_skipped_step():
    # gold a < b < c; a system that leaves b out says a < c, which the gold closure entails
    gold = _timeline((1, "XXXX-XX-XX", "d-1-a"), (2, "XXXX-XX-XX", "d-1-b"), (3, "XXXX-XX-XX", "d-1-c"))
    system = _timeline((1, "XXXX-XX-XX", "d-1-a"), (2, "XXXX-XX-XX", "d-1-c"))
    counts = score_timeline(system, gold)
    assert (counts.precision_hits, counts.system_relations) == (1, 1)
    # gold a < b and b < c: b is missing from the system
    assert (counts.recall_hits, counts.gold_relations) == (0, 2)


def test_timeline_ordinal_zero_is_unordered():
    # lines at ordinal 0 relate only their own co-referring mentions
    gold = _timeline((0, "XXXX-XX-XX", "d-1-a d-2-a"), (0, "XXXX-XX-XX", "d-1-b"), (1, "2001", "d-1-c"))
    graph = timeline_graph(gold)
    assert graph.before == []
    assert verified(graph, _closure(gold)) == (2, 2)  # a = a', c IS_INCLUDED 2001
    system = _timeline((1, "XXXX-XX-XX", "d-1-a d-2-a d-1-b"))  # one line claims b is a
    counts = score_timeline(system, gold)
    assert (counts.precision_hits, counts.system_relations) == (1, 2)


def test_timeline_same_date_at_three_ordinals_implies_the_middle_inclusion():
    gold = _timeline((1, "2006-06-20", "d-1-a"), (2, "2006-06-20", "d-1-b"), (3, "2006-06-20", "d-1-c"))
    graph = timeline_graph(gold)
    assert len(graph.before) == 2
    assert len(graph.included) == 2  # b inside the day follows from a and c inside it


def _closure(timeline: Timeline):
    from bench.timeline_scorer import Closure

    return Closure(timeline_graph(timeline))


def test_dates_spelled_alike():
    assert normal_date("2007-09-XX") == "2007-09"
    assert normal_date("2010-XX-XX") == "2010"
    assert undated("XXX-XX-XX") and normal_date("XXX-XX-XX") == "XXXX-XX-XX"


def test_gold_timelines_score_one_against_themselves():
    folder = need(DATA / "timelines" / "trial" / "gold")
    for path in sorted(folder.glob("*.txt")):
        gold = read_timeline(path)
        assert gold.entries
        assert score_timeline(gold, gold).scores()["f1"] == pytest.approx(1.0)


def test_detokenized_offsets_point_at_the_tokens():
    text, tokens = detokenize(
        [(1, ["March", "28", ",", "2006"]), (2, ["The", "Beatles", "'", "Apple", "has", '"', "filed", '"', "."])]
    )
    assert text == 'March 28, 2006\n\nThe Beatles\' Apple has "filed".'
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.sentence for t in tokens if t.text == "filed"] == [2]


def test_conll_tokens_found_in_differently_spelled_text():
    text = "Title here.\n\nHe said: “Hello,” and left."
    sentences = [
        ["http", ":", "/", "/", "example", ".", "com"],  # a URL line the stored text leaves out
        ["Title", "here", "."],
        ["He", "said", ":", "``", "Hello", ",", "''", "and", "left", "."],
    ]
    spans = align_tokens(text, sentences)
    assert spans[0] == [None] * 7
    assert [text[s:e] for s, e in spans[1]] == ["Title", "here", "."]
    assert [text[s:e] for s, e in spans[2]] == ["He", "said", ":", "“", "Hello", ",", "”", "and", "left", "."]


def _mention(mid: str, lemma: str, article: str = "d1") -> EventMention:
    return EventMention(mid, article, 0, 0, lemma, "VERB", lemma, None, set(), set(), set(), set())


def test_average_link_stops_at_the_threshold():
    # 0-1 close, 2 apart: average link joins 0 and 1 (0.9), then {0 1}-2 averages 0.5 < 0.6
    sims = {(0, 1): 0.9, (0, 2): 0.7, (1, 2): 0.3}
    clusters = average_link(3, lambda i, j: sims[(i, j)], 0.6)
    assert sorted(sorted(c) for c in clusters) == [[0, 1], [2]]
    single = average_link(3, lambda i, j: sims[(i, j)], 0.5)
    assert sorted(sorted(c) for c in single) == [[0, 1, 2]]


def test_mentions_join_by_lemma_then_by_close_head_words():
    words = {
        "kill": np.array([1.0, 0.0]),
        "murder": np.array([0.8, 0.6]),  # cosine 0.8 with kill
        "arrest": np.array([0.0, 1.0]),  # cosine 0.6 with murder, 0 with kill
    }
    mentions = [_mention("a", "kill"), _mention("b", "kill", "d2"), _mention("c", "murder"), _mention("d", "arrest")]
    clusters = cluster_mentions(mentions, words)
    assert sorted(sorted(m.id for m in c) for c in clusters) == [["a", "b", "c"], ["d"]]
    assert sorted(sorted(m.id for m in g) for g in lemma_groups(mentions)) == [["a", "b"], ["c"], ["d"]]


def _annotations(doc: str, actors: list[str], years: list[str]) -> Annotations:
    return Annotations(
        article_id=doc,
        reader_version="test",
        text_hash="",
        entities=[EntityMention(0, 1, a, "PERSON", f"per:{a}", "test") for a in actors],
        timexes=[Timex(0, 4, y, "DATE", y, "year") for y in years],
    )


def test_reports_group_by_the_names_they_share():
    reports = [
        _annotations("a1", ["ana lind", "judge roe"], ["2008"]),
        _annotations("a2", ["ana lind"], ["2008"]),
        _annotations("b1", ["mia holt", "judge roe"], ["2013"]),
        _annotations("b2", ["mia holt"], ["2013"]),
    ]
    groups = group_documents(reports)
    assert sorted(sorted(g) for g in groups) == [[0, 1], [2, 3]]


def test_fivew1h_scorer_counts_token_overlap_and_the_same_day():
    from bench.fivew1h import correct, token_f1

    assert token_f1("the Chicago Cubs", "Chicago Cubs") == 0.8
    assert correct("who", "Chicago Cubs fans", [{"text": "Chicago Cubs"}])
    assert not correct("who", "the fans in Cleveland", [{"text": "Chicago Cubs"}])
    assert correct("when", "2016-11-02", [{"parsed": "2016-11-02 23:00:00", "text": "Wednesday night"}])
    assert not correct("when", "2016-11-03", [{"parsed": "2016-11-02", "text": "Wednesday"}, {"parsed": None}])


def test_the_main_event_of_a_report_is_its_headline_happening():
    from datetime import datetime

    from storyline.facts.lead import main_event
    from storyline.models import Article
    from storyline.read.reader import read_articles

    text = (
        "Dock workers strike at the port of Valparaiso\n\n"
        "Dock workers at the port of Valparaiso walked out on Monday over night-shift pay, the union said. "
        "Exporters said that more than 40 ships were waiting at anchor on Tuesday."
    )
    article = Article(id="a", text=text, language="en", published=datetime(2022, 6, 14), published_basis="metadata")
    ((annotations, places),) = list(read_articles([article]))
    event = main_event(article, annotations, {p.id: p.kind for p in places.values()})
    assert event.who == "Dock workers"
    assert event.what.startswith("walked out on 13 June 2022")
    assert event.when == "2022-06-13"
    assert event.where == "Valparaiso"


GEO = Path(__file__).parent / "data" / "geo"


@pytest.mark.parametrize("name", ["lgl.xml", "geovirus.xml", "geowebnews.xml"])
def test_geo_reads_each_layout_of_the_geoparsing_guide(name):
    from bench.geo import load

    (doc,) = load(GEO / name)
    assert len(doc.toponyms) == 2
    for toponym in doc.toponyms:
        assert toponym.type == "Literal"
        assert toponym.lat is not None and toponym.lon is not None
        # GeoVirus offsets a character off are moved onto the name
        assert doc.text[toponym.start : toponym.end] == toponym.text


def test_geo_benchmark_runs_on_a_folder_of_mixed_layouts(capsys):
    import json

    from bench.geo import main

    assert main(["--data", str(GEO)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["articles"] == 3
    assert result["acc_161km"] == 1.0
