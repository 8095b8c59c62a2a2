"""Italian quantities: "oltre 2.000 persone", "centinaia di profughi", "circa 300 soldati"."""

from storyline.read.quantities.grammar import QuantityGrammar, words
from storyline.read.quantities.lang.common import calendar_words

MONTHS, WEEKDAYS = calendar_words("it")
GRAMMAR = QuantityGrammar(
    code="it",
    small={"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
           "undici": 11, "dodici": 12, "tredici": 13, "quindici": 15, "venti": 20, "duecento": 200, "trecento": 300,
           "quattrocento": 400, "cinquecento": 500},
    tens={"trenta": 30, "quaranta": 40, "cinquanta": 50, "sessanta": 60, "settanta": 70, "ottanta": 80, "novanta": 90},
    hundreds={"cento": 100},
    hundred_alone=True,
    scales={"mila": 1e3, "mille": 1e3, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9, "mln": 1e6,
            "mld": 1e9},
    scale_alone={"mille": 1e3},
    one_inside=words("un uno una"),
    joiners=words("e"),
    dozen=words("dozzina"),
    vague={"decine": 10, "dozzine": 12, "centinaia": 100, "migliaia": 1e3, "milioni": 1e6},
    vague_tens=words("decine"),
    vague_scales={"migliaia": 1e3, "milioni": 1e6},
    few={"alcune": 2, "alcuni": 2, "diverse": 3, "diversi": 3, "qualche": 2},
    fractions={"la metà": 50.0, "metà": 50.0, "un terzo": 100 / 3, "due terzi": 200 / 3, "un quarto": 25.0,
               "tre quarti": 75.0},
    hedges={
        "over": ["oltre", "più di", "piu di", "ben oltre"],
        "at_least": ["almeno", "non meno di", "come minimo"],
        "about": ["circa", "intorno a", "attorno a", "all'incirca", "approssimativamente"],
        "nearly": ["quasi", "vicino a", "pressoché"],
        "under": ["meno di"],
        "up_to": ["fino a", "al massimo", "non più di"],
    },
    units={"chilometri": "km", "chilometro": "km", "metri": "m", "ettari": "ha", "tonnellate": "t",
           "per cento": "%", "percento": "%", "anni": "year", "anno": "year", "mesi": "month", "settimane": "week",
           "giorni": "day", "ore": "hour", "minuti": "minute", "dollari": "USD", "euro": "EUR", "rubli": "RUB"},
    of=words("di dei degli delle"),
    determiners=words("i gli le questi queste loro"),
    between=words("tra fra"),
    range_from=words("da"),
    range_to=words("a"),
    range_and=words("e"),
    months=MONTHS,
    weekdays=WEEKDAYS,
    year_before=words("nel dal del anno fino"),
    id_nouns=words("numero n. articolo risoluzione volo"),
    stop=words("di del della dei degli delle il lo la i gli le un una e o a al in per con su che si sono è hanno "
               "secondo tra fra"),
    relative_after=words("fa"),
    counted_rule="first",
    decimal_comma=True,
).compile()
