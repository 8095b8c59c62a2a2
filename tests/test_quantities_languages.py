"""Quantities in every language read: the hedge, the value and a counted key shared across languages.

The sentences are invented for these tests: figures, places and events are made up.
"""

from __future__ import annotations

import pytest

from storyline.read.quantities import counted_key, find_quantities


def first(text: str, language: str):
    found = find_quantities(text, language)
    assert found, f"no quantity in {text!r}"
    q = found[0]
    assert text[q.start : q.end] == q.text
    return q


@pytest.mark.parametrize(
    ("language", "text", "value", "approx", "key"),
    [
        ("en", "Officials said more than 1,200 people left the valley.", 1200, "over", "people"),
        ("ru", "Власти сообщили, что более 1 200 человек покинули долину.", 1200, "over", "people"),
        ("uk", "Понад 1 200 людей залишили долину, повідомила влада.", 1200, "over", "people"),
        ("fr", "Selon la mairie, plus de 1 200 personnes ont quitté la vallée.", 1200, "over", "people"),
        ("es", "Según el alcalde, más de 1.200 personas abandonaron el valle.", 1200, "over", "people"),
        ("it", "Secondo il sindaco, oltre 1.200 persone hanno lasciato la valle.", 1200, "over", "people"),
        ("pt", "Segundo o prefeito, mais de 1.200 pessoas deixaram o vale.", 1200, "over", "people"),
        ("de", "Laut Bürgermeister haben mehr als 1.200 Menschen das Tal verlassen.", 1200, "over", "people"),
        ("tr", "Valiliğe göre 1.200'den fazla kişi vadiyi terk etti.", 1200, "over", "people"),
        ("az", "Rəsmilərin sözlərinə görə, 1200-dən çox nəfər vadini tərk edib.", 1200, "over", "people"),
        ("hy", "Պաշտոնյաների խոսքով՝ ավելի քան 1200 մարդ լքել է հովիտը։", 1200, "over", "people"),
        ("ar", "قال مسؤولون إن أكثر من ١٢٠٠ شخص غادروا الوادي.", 1200, "over", "people"),
        ("fa", "به گفته مقامات، بیش از ۱۲۰۰ نفر دره را ترک کردند.", 1200, "over", "people"),
        ("zh", "官员说，超过1200人离开了山谷。", 1200, "over", "people"),
    ],
)
def test_hedged_count_of_people_in_every_language(language, text, value, approx, key):
    q = first(text, language)
    assert (q.value, q.approx, q.counted_key) == (value, approx, key)


@pytest.mark.parametrize(
    ("language", "text", "value", "approx", "key"),
    [
        ("fr", "Environ 340 soldats ont rejoint la garnison.", 340, "about", "soldiers"),
        ("es", "Al menos 75 heridos fueron trasladados al hospital.", 75, "at_least", "injured"),
        ("de", "Rund 3.500 syrische Flüchtlinge warten an der Grenze.", 3500, "about", "refugees"),
        ("it", "Quasi 90 case sono state distrutte dalla frana.", 90, "nearly", "homes"),
        ("pt", "Pelo menos 14 mortos foram confirmados pela polícia.", 14, "at_least", "dead"),
        ("tr", "Yaklaşık 3 bin asker sınıra gönderildi.", 3000, "about", "soldiers"),
        ("tr", "Binlerce Suriyeli mülteci sınırda bekliyor.", 2000, "at_least", "refugees"),
        ("az", "Təxminən 450 ev su altında qalıb.", 450, "about", "homes"),
        ("uk", "Щонайменше 12 загиблих, повідомили рятувальники.", 12, "at_least", "dead"),
        ("ru", "Около трёх тысяч беженцев прибыли в лагерь.", 3000, "about", "refugees"),
        ("hy", "Մոտ 60 վիրավոր տեղափոխվել է հիվանդանոց։", 60, "about", "injured"),
        ("ar", "نزح نحو ثلاثة آلاف لاجئ من القرى الحدودية.", 3000, "about", "refugees"),
        ("ar", "قتل 30 من المدنيين في القصف.", 30, None, "civilians"),
        ("fa", "حدود سه هزار سرباز به مرز اعزام شدند.", 3000, "about", "soldiers"),
        ("zh", "地震造成至少58人死亡，数千名难民撤离。", 58, "at_least", "people"),
    ],
)
def test_hedges_and_counted_concepts(language, text, value, approx, key):
    q = first(text, language)
    assert (q.value, q.approx, q.counted_key) == (value, approx, key)


def test_locale_separators_and_native_digits():
    assert first("Die Stadt hat 25.000 Einwohner.", "de").value == 25000
    assert first("La ville compte 25 000 habitants.", "fr").value == 25000
    assert first("Le projet coûte 1,5 million d'euros.", "fr").value == 1.5e6
    assert first("The town has 25.5 thousand residents.", "en").value == 25500
    q = first("يعيش في المدينة ٢٥٬٠٠٠ نسمة.", "ar")
    assert (q.value, q.counted_key) == (25000, "people")
    assert first("در این شهر ۲۵۰۰۰ نفر زندگی می‌کنند.", "fa").value == 25000


def test_vague_plurals_and_chinese_numerals():
    q = first("Des milliers de manifestants ont défilé.", "fr")
    assert (q.value, q.approx, q.counted_key) == (2000, "at_least", "protesters")
    q = first("数千名难民撤离。", "zh")
    assert (q.value, q.approx, q.counted_key) == (2000, "at_least", "refugees")
    q = first("两百名警察赶到现场，5万人以上无家可归。", "zh")
    assert (q.value, q.counted_key) == (200, "police")
    later = find_quantities("两百名警察赶到现场，5万人以上无家可归。", "zh")[1]
    assert (later.value, later.approx) == (50000, "at_least")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "La réunion a eu lieu le 12 mars en 2019."),
        ("de", "Am 5. Mai trafen sich die Minister."),
        ("tr", "Bakanlar 12 Aralık'ta bir araya geldi."),
        ("tr", "2019 seçimlerinde katılım düşüktü."),
        ("es", "La presa se terminó hace tres años."),
        ("zh", "2023年12月5日，会议在首都举行。"),
        ("ru", "Встреча прошла 5 мая."),
    ],
)
def test_dates_years_and_relative_times_are_not_quantities(language, text):
    assert find_quantities(text, language) == [], [q.text for q in find_quantities(text, language)]


def test_counted_key_is_shared_across_languages_and_falls_back_to_the_lemma():
    words = {"en": "refugees", "fr": "réfugiés", "tr": "mülteciler", "ru": "беженцев", "ar": "اللاجئين", "zh": "难民"}
    assert {counted_key(w, lang) for lang, w in words.items()} == {"refugees"}
    assert counted_key("shops", "en") == counted_key("shop", "en") == "en:shop"
    assert counted_key("boutiques", "fr") == "fr:boutique"
    assert counted_key("boutiques", "fr") != counted_key("shops", "en")
