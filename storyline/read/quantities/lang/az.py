"""Azerbaijani quantities: "300-dən çox nəfər", "təxminən 5 min əsgər", "minlərlə qaçqın"."""

from storyline.read.quantities.grammar import QuantityGrammar, words
from storyline.read.quantities.lang.common import calendar_words, glued_hedges

MONTHS, WEEKDAYS = calendar_words("az")


def _after(endings: str, word: str, kind: str) -> dict[str, str]:
    return glued_hedges(("-",), endings, word, kind)


GRAMMAR = QuantityGrammar(
    code="az",
    small={"iki": 2, "üç": 3, "dörd": 4, "beş": 5, "altı": 6, "yeddi": 7, "səkkiz": 8, "doqquz": 9, "on": 10},
    tens={"iyirmi": 20, "otuz": 30, "qırx": 40, "əlli": 50, "altmış": 60, "yetmiş": 70, "səksən": 80, "doxsan": 90},
    hundreds={"yüz": 100},
    scales={"min": 1e3, "milyon": 1e6, "milyard": 1e9, "mln": 1e6, "mlrd": 1e9},
    scale_alone={"min": 1e3},
    one_inside=words("bir"),
    vague={"onlarla": 10, "yüzlərlə": 100, "minlərlə": 1e3, "milyonlarla": 1e6},
    few={"bir neçə": 3},
    fractions={"yarısı": 50.0, "yarıdan": 50.0},
    hedges={
        "over": [],
        "at_least": ["ən azı", "azı", "ən az"],
        "about": ["təxminən", "təqribən", "təxmini"],
        "nearly": ["demək olar ki", "az qala"],
        "under": [],
        "up_to": ["ən çox", "maksimum"],
    },
    hedges_after={
        **_after("dən dan", "çox", "over"), **_after("dən dan", "artıq", "over"), **_after("ə a yə ya", "yaxın", "nearly"),
        **_after("dən dan", "az", "under"), "dən çox": "over", "nəfərdən çox": "over",
    },
    units={"kilometr": "km", "km": "km", "metr": "m", "hektar": "ha", "ton": "t", "faiz": "%", "il": "year",
           "ay": "month", "həftə": "week", "gün": "day", "saat": "hour", "dəqiqə": "minute", "dollar": "USD",
           "avro": "EUR", "manat": "AZN", "rubl": "RUB"},
    range_to=words(),
    months=MONTHS,
    weekdays=WEEKDAYS,
    year_before=words("ilin ildə ili"),
    id_nouns=words("nömrəli saylı"),
    stop=words("və ilə də da bu o bir üçün kimi olaraq olan oldu qədər daha ən çox az isə amma lakin"),
    relative_after=words("əvvəl sonra"),
    adjective_endings=("lı", "li", "lu", "lü", "sız", "siz", "dakı", "dəki"),
    demonym_endings=("lı", "li", "lu", "lü"),
    counted_rule="endings",
    decimal_comma=True,
    space_groups=True,
).compile()
