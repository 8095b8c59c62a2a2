"""Turkish quantities: "300'den fazla kişi", "yaklaşık 5 bin asker", "binlerce mülteci".

Case suffixes follow an apostrophe on numerals ("300'ü aşkın"); the counted noun stays singular
after a number, with its adjectives (often a demonym in -li: "Suriyeli mülteci") before it.
"""

from storyline.read.quantities.grammar import QuantityGrammar, words
from storyline.read.quantities.lang.common import calendar_words, glued_hedges

MONTHS, WEEKDAYS = calendar_words("tr")
_APOSTROPHES = ("'", "’")


def _after(endings: str, word: str, kind: str) -> dict[str, str]:
    return glued_hedges(_APOSTROPHES, endings, word, kind)


GRAMMAR = QuantityGrammar(
    code="tr",
    small={"iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7, "sekiz": 8, "dokuz": 9, "on": 10},
    tens={"yirmi": 20, "otuz": 30, "kırk": 40, "elli": 50, "altmış": 60, "yetmiş": 70, "seksen": 80, "doksan": 90},
    hundreds={"yüz": 100},
    scales={"bin": 1e3, "milyon": 1e6, "milyar": 1e9, "mn": 1e6, "mlr": 1e9},
    scale_alone={"bin": 1e3},
    one_inside=words("bir"),
    vague={"onlarca": 10, "yüzlerce": 100, "binlerce": 1e3, "milyonlarca": 1e6, "düzinelerce": 12},
    vague_scales={},
    few={"birkaç": 3, "bir kaç": 3},
    fractions={"yarısı": 50.0, "yarısından": 50.0, "üçte biri": 100 / 3, "dörtte biri": 25.0},
    hedges={
        "over": ["fazla"],
        "at_least": ["en az", "en azından", "asgari"],
        "about": ["yaklaşık", "tahminen", "civarında", "takriben", "kadar"],
        "nearly": ["neredeyse", "yaklaşık olarak", "hemen hemen"],
        "under": [],
        "up_to": ["en fazla", "azami"],
    },
    hedges_after={
        **_after("den dan ten tan", "fazla", "over"), **_after("ü u i ı yü yu yi yı", "aşkın", "over"),
        **_after("e a ye ya", "yakın", "nearly"), **_after("den dan ten tan", "az", "under"),
        "civarında": "about", "kadar": "about", "dolayında": "about", "küsur": "over",
    },
    hedges_late={"civarında": "about", "kadar": "about"},
    units={"kilometre": "km", "metre": "m", "hektar": "ha", "ton": "t", "yüzde": "%", "yıl": "year", "yıldır": "year",
           "ay": "month", "hafta": "week", "gün": "day", "saat": "hour", "dakika": "minute", "dolar": "USD",
           "avro": "EUR", "euro": "EUR", "lira": "TRY", "tl": "TRY", "ruble": "RUB"},
    of=words(),
    between=words(),
    range_to=words("ile"),
    months=MONTHS,
    weekdays=WEEKDAYS,
    year_before=words("yılı yılında"),
    id_nouns=words("numaralı no madde karar"),
    stop=words("ve ile de da bu şu o bir için gibi olarak olan oldu kadar daha en çok az ise ama fakat"),
    relative_after=words("önce sonra evvel"),
    adjective_endings=("lı", "li", "lu", "lü", "sız", "siz", "suz", "süz", "ki"),
    demonym_endings=("lı", "li", "lu", "lü"),
    counted_rule="endings",
    decimal_comma=True,
    lemma=lambda w: w,
).compile()
