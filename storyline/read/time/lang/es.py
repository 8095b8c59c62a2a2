"""Spanish time words over the table grammar (lang/table.py)."""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("es").extend(
    numbers={"un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
             "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20,
             "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100, "varios": None, "varias": None,
             "unos": None, "unas": None},
    ordinals={"primero": 1, "1º": 1},
    relative={"el año pasado": ("year", -1), "el pasado año": ("year", -1), "este año": ("year", 0),
              "el próximo año": ("year", 1), "la semana pasada": ("week", -1), "el mes pasado": ("month", -1)},
    ago_before=["hace"],
    ahead_before=["dentro de"],
    last=["pasado", "pasada", "anterior"],
    next=["próximo", "próxima", "que viene"],
    joiner=r"\s+(?:de\s+|del\s+)?",
    day_before=r"(?:el|del|al)\s+(?:día\s+)?",
    month_before=r"(?:en|desde|hasta|de)\s+(?:(?:el\s+)?mes\s+de\s+)?",
    year_before=r"(?:en|desde|hasta|del?\s+año)\s+",
    hedges={"más de": "MORE_THAN", "cerca de": "APPROX", "alrededor de": "APPROX", "casi": "LESS_THAN",
            "menos de": "LESS_THAN", "al menos": "EQUAL_OR_MORE", "unos": "APPROX", "unas": "APPROX"},
    date_mods={"principios de": "START", "comienzos de": "START", "finales de": "END", "fines de": "END",
               "mediados de": "MID"},
    future=r"será|serán|va\s+a|van\s+a|prevé|previst[oa]s?|mañana|próxim[oa]s?|\w+ará|\w+arán|\w+erá|\w+irá",
    past=r"fue|fueron|ayer|pasad[oa]s?|ha|han|\w+ó|\w+aron|\w+ieron",
    clock_before=r"a\s+las?\s+",
    hour_word=r"horas?|h",
)  # fmt: skip
GRAMMAR = build(WORDS)
