"""Portuguese time words over the table grammar (lang/table.py)."""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("pt").extend(
    numbers={"um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
             "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "quinze": 15, "vinte": 20, "trinta": 30,
             "quarenta": 40, "cinquenta": 50, "cem": 100, "alguns": None, "algumas": None, "vários": None},
    ordinals={"primeiro": 1, "1º": 1},
    relative={"o ano passado": ("year", -1), "no ano passado": ("year", -1), "este ano": ("year", 0),
              "neste ano": ("year", 0), "no próximo ano": ("year", 1), "na semana passada": ("week", -1),
              "no mês passado": ("month", -1)},
    ago_before=["há", "faz"],
    ago_after=["atrás"],
    ahead_before=["daqui a", "dentro de"],
    last=["passado", "passada", "anterior"],
    next=["próximo", "próxima", "que vem"],
    joiner=r"\s+(?:de\s+)?",
    day_before=r"(?:no\s+dia|o\s+dia|dia|desde\s+o\s+dia)\s+",
    month_before=r"(?:em|desde|até)\s+",
    year_before=r"(?:em|desde|até|no\s+ano\s+de)\s+",
    hedges={"mais de": "MORE_THAN", "cerca de": "APPROX", "quase": "LESS_THAN", "menos de": "LESS_THAN",
            "pelo menos": "EQUAL_OR_MORE", "aproximadamente": "APPROX"},
    date_mods={"início de": "START", "começo de": "START", "final de": "END", "fim de": "END",
               "meados de": "MID"},
    future=r"será|serão|vai|vão|amanhã|próxim[oa]s?|\w+ará|\w+erá|\w+irá",
    past=r"foi|foram|ontem|passad[oa]s?|\w+ou|\w+aram|\w+eram|\w+iu",
    clock_before=r"(?:às|as)\s+",
    hour_word=r"horas?|h",
)  # fmt: skip
GRAMMAR = build(WORDS)
