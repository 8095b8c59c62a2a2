"""Time expressions in the languages with a grammar of their own, against a publication date.

The sentences are written for these tests (invented events); the anchor is Thursday 7 March 2024.
"""

from datetime import date as D

import pytest

from storyline.read.time import find_timexes, infer_anchor
from storyline.read.time.engine import grammar_for

ANCHOR = D(2024, 3, 7)  # a Thursday

CASES = [
    # language, text, phrase, value
    ("fr", "Le pont a rouvert le 5 mars 2024 après travaux.", "5 mars 2024", "2024-03-05"),
    ("fr", "Le 1er février, la mairie a voté le budget.", "1er février", "2024-02-01"),
    ("fr", "Le marché a brûlé hier soir.", "hier", "2024-03-06"),
    ("fr", "La grève a commencé lundi dernier.", "lundi dernier", "2024-03-04"),
    ("fr", "Il y a trois jours, la digue a cédé.", "Il y a trois jours", "2024-03-04"),
    ("fr", "Les pluies ont duré plus de deux semaines.", "plus de deux semaines", "P2W"),
    ("es", "El 12 de febrero de 2024 se inauguró el puerto.", "12 de febrero de 2024", "2024-02-12"),
    ("es", "Hace dos semanas cerraron la frontera.", "Hace dos semanas", "2024-W08"),
    ("es", "La reunión fue el martes pasado.", "martes pasado", "2024-03-05"),
    ("de", "Am 2. März 2024 trat der Fluss über die Ufer.", "2. März 2024", "2024-03-02"),
    ("de", "Vor drei Tagen wurde die Brücke gesperrt.", "Vor drei Tagen", "2024-03-04"),
    ("de", "Die Wahl findet am kommenden Sonntag statt.", "kommenden Sonntag", "2024-03-10"),
    ("it", "Il 4 marzo 2024 la nave è arrivata in porto.", "4 marzo 2024", "2024-03-04"),
    ("it", "Due giorni fa il sindaco si è dimesso.", "Due giorni fa", "2024-03-05"),
    ("pt", "Em 3 de março de 2024 a barragem rompeu.", "3 de março de 2024", "2024-03-03"),
    ("pt", "Há quatro dias, a ponte caiu.", "Há quatro dias", "2024-03-03"),
    ("tr", "Köprü 6 Mart 2024'te trafiğe açıldı.", "6 Mart 2024'te", "2024-03-06"),
    ("tr", "Fabrikadaki yangın dün çıktı.", "dün", "2024-03-06"),
    ("tr", "Seçim geçen pazar yapıldı.", "geçen pazar", "2024-03-03"),
    ("tr", "Baraj üç gün önce taştı.", "üç gün önce", "2024-03-04"),
    ("az", "Körpü 4 mart 2024-cü ildə açıldı.", "4 mart 2024-cü ildə", "2024-03-04"),
    ("az", "Yanğın dünən baş verdi.", "dünən", "2024-03-06"),
    ("hy", "Կամուրջը բացվել է 2024 թ. մարտի 2-ին։", "2024 թ. մարտի 2-ին", "2024-03-02"),
    ("hy", "Հրդեհը բռնկվել է երեկ։", "երեկ", "2024-03-06"),
    ("ar", "افتتح الجسر في ٥ مارس ٢٠٢٤.", "٥ مارس ٢٠٢٤", "2024-03-05"),
    ("ar", "وقع الانفجار في 2 آذار 2024.", "2 آذار 2024", "2024-03-02"),
    ("ar", "اندلع الحريق أمس في المصنع.", "أمس", "2024-03-06"),
    ("ar", "عقد الاجتماع يوم الاثنين الماضي.", "الاثنين الماضي", "2024-03-04"),
    ("fa", "پل در ۱۲ اسفند ۱۴۰۲ افتتاح شد.", "۱۲ اسفند ۱۴۰۲", "2024-03-02"),
    ("fa", "آتش‌سوزی دیروز رخ داد.", "دیروز", "2024-03-06"),
    ("fa", "سه روز پیش سیل آمد.", "سه روز پیش", "2024-03-04"),
    ("uk", "Міст відкрили 5 березня 2024 року.", "5 березня 2024 року", "2024-03-05"),
    ("uk", "Три дні тому прорвало дамбу.", "Три дні тому", "2024-03-04"),
    ("uk", "Пожежа сталася вчора.", "вчора", "2024-03-06"),
    ("zh", "大桥于2024年3月5日通车。", "2024年3月5日", "2024-03-05"),
    ("zh", "上周三发生了爆炸。", "上周三", "2024-02-28"),
    ("zh", "三天前河水决堤。", "三天前", "2024-03-04"),
    ("zh", "昨天工厂起火。", "昨天", "2024-03-06"),
]


@pytest.mark.parametrize(("language", "text", "phrase", "value"), CASES)
def test_time_expressions_in_other_languages(language, text, phrase, value):
    found = {t.text: t for t in find_timexes(text, ANCHOR, language)}
    assert phrase in found, f"{phrase!r} not in {list(found)}"
    t = found[phrase]
    assert text[t.start : t.end] == phrase
    assert t.value == value


def test_hedged_durations_carry_their_mod():
    for language, text, phrase in [
        ("fr", "Les combats ont duré plus de deux semaines.", "plus de deux semaines"),
        ("de", "Die Sperre dauerte mehr als zwei Wochen.", "mehr als zwei Wochen"),
        ("uk", "Блокада тривала понад два тижні.", "понад два тижні"),
    ]:
        t = {t.text: t for t in find_timexes(text, ANCHOR, language)}[phrase]
        assert (t.type, t.value, t.mod) == ("DURATION", "P2W", "MORE_THAN")


def test_native_digits_keep_offsets():
    text = "في ١٥ فبراير ٢٠٢٤ وصلت القافلة."
    (t,) = [t for t in find_timexes(text, ANCHOR, "ar") if t.value == "2024-02-15"]
    assert text[t.start : t.end] == "١٥ فبراير ٢٠٢٤"


def test_solar_hijri_year_less_date_takes_the_nearest_year():
    # 1 Esfand is 20 February in 2024 (1402 SH)
    t = {t.text: t for t in find_timexes("در ۱ اسفند جلسه برگزار شد.", ANCHOR, "fa")}["۱ اسفند"]
    assert t.value == "2024-02-20" and t.anchored


def test_a_language_without_a_module_gets_month_names_from_cldr():
    t = find_timexes("Most otwarto 5 marca 2024 roku.", None, "pl")
    assert [x.value for x in t] == ["2024-03-05"]


def test_each_listed_language_has_its_own_grammar():
    for code in ("en", "ru", "fr", "es", "de", "it", "pt", "tr", "ar", "uk", "fa", "az", "hy", "zh"):
        assert grammar_for(code).code == code


def test_infer_anchor_from_a_weekday_named_with_a_date_in_french():
    # 5 March fell on a Tuesday in 2024 (and 2019): the year the text names is the floor
    anchor, confidence = infer_anchor("Mardi 5 mars, le conseil de 2023 a siégé.", "fr", today=D(2025, 1, 1))
    assert anchor == D(2024, 3, 5) and confidence >= 0.6


def test_bench_scores_the_hand_annotated_timeml_per_language(capsys):
    """bench timex reads tests/data/timeml/<lang>/ in each folder's language and reports each language."""
    import json
    from pathlib import Path

    from bench.timex import main

    data = Path(__file__).parent / "data" / "timeml"
    assert main(["--data", str(data), "--language", "auto"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    languages = result["languages"]
    assert set(languages) >= {"fr", "es", "de", "it", "pt", "tr", "az", "hy", "ar", "fa", "uk", "ru", "zh"}
    assert all(v["documents"] >= 2 and v["gold_timexes"] >= 8 for v in languages.values())
    # every language finds most of its expressions (relaxed span match)
    assert all(v["relaxed_f1"] >= 0.7 for v in languages.values()), languages
