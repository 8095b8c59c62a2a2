"""German quantities: "mehr als 2.000 Menschen", "Tausende Flüchtlinge", "rund 300 Soldaten".

Nouns are capitalised, so the counted noun is the first capitalised word after the number.
"""

from storyline.read.quantities.grammar import QuantityGrammar, words
from storyline.read.quantities.lang.common import calendar_words

MONTHS, WEEKDAYS = calendar_words("de")
GRAMMAR = QuantityGrammar(
    code="de",
    small={"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
           "elf": 11, "zwölf": 12, "fünfzehn": 15, "zwanzig": 20, "zweihundert": 200, "dreihundert": 300,
           "fünfhundert": 500, "zweitausend": 2000, "dreitausend": 3000},
    tens={"dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90},
    hundreds={"hundert": 100},
    hundred_alone=True,
    scales={"tausend": 1e3, "million": 1e6, "millionen": 1e6, "milliarde": 1e9, "milliarden": 1e9, "mio": 1e6,
            "mrd": 1e9},
    scale_alone={"tausend": 1e3},
    one_inside=words("ein eine einer einem einen"),
    dozen=words("dutzend"),
    vague={"dutzende": 12, "hunderte": 100, "tausende": 1e3, "zehntausende": 1e4, "hunderttausende": 1e5,
           "millionen": 1e6},
    vague_scales={"tausende": 1e3},
    few={"mehrere": 3, "einige": 2, "ein paar": 2},
    fractions={"die hälfte": 50.0, "hälfte": 50.0, "ein drittel": 100 / 3, "zwei drittel": 200 / 3,
               "ein viertel": 25.0, "drei viertel": 75.0},
    hedges={
        "over": ["mehr als", "über", "weit über", "knapp über"],
        "at_least": ["mindestens", "wenigstens", "nicht weniger als"],
        "about": ["rund", "etwa", "ungefähr", "circa", "ca", "zirka", "gut"],
        "nearly": ["fast", "beinahe", "knapp", "nahezu", "annähernd"],
        "under": ["weniger als", "unter"],
        "up_to": ["bis zu", "höchstens", "maximal"],
    },
    units={"kilometer": "km", "meter": "m", "hektar": "ha", "tonnen": "t", "prozent": "%", "jahre": "year",
           "jahren": "year", "jahr": "year", "monate": "month", "monaten": "month", "wochen": "week", "tage": "day",
           "tagen": "day", "stunden": "hour", "minuten": "minute", "dollar": "USD", "euro": "EUR", "rubel": "RUB"},
    of=words("von der"),
    between=words("zwischen"),
    range_from=words("von"),
    range_to=words("bis"),
    range_and=words("und"),
    months=MONTHS,
    weekdays=WEEKDAYS,
    year_before=words("im seit bis jahr jahre von ab"),
    id_nouns=words("nummer nr artikel resolution flug"),
    stop=words("der die das den dem des ein eine und oder in im an am auf aus bei mit nach von vor zu zum zur für "
               "über unter ist sind war waren wurde wurden hat haben nicht sich laut"),
    relative_before=["vor"],
    counted_rule="capital",
    decimal_comma=True,
).compile()
