"""German time words over the table grammar (lang/table.py)."""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("de").extend(
    numbers={"ein": 1, "eine": 1, "einem": 1, "einer": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4,
             "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
             "fünfzehn": 15, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100,
             "einigen": None, "mehreren": None, "wenigen": None},
    ordinals={"ersten": 1, "erste": 1, "zweiten": 2, "dritten": 3},
    units={"tag": "day", "tage": "day", "tagen": "day", "woche": "week", "wochen": "week", "monat": "month",
           "monate": "month", "monaten": "month", "monats": "month", "jahr": "year", "jahre": "year",
           "jahren": "year", "stunde": "hour", "stunden": "hour", "minuten": "minute"},
    relative={"vergangene woche": ("week", -1), "vergangenen monat": ("month", -1),
              "vergangenes jahr": ("year", -1), "vergangenen jahres": ("year", -1), "voriges jahr": ("year", -1),
              "vorigen jahres": ("year", -1), "letzten jahres": ("year", -1), "dieses jahres": ("year", 0),
              "in diesem jahr": ("year", 0), "kommende woche": ("week", 1), "im vergangenen jahr": ("year", -1)},
    ago_before=["vor"],
    ahead_before=["in"],
    last=["letzten", "letzte", "letztes", "vergangenen", "vergangene", "vorigen"],
    next=["nächsten", "nächste", "kommenden", "kommende"],
    day_suffix=r"\.?",
    day_before=r"(?:am|vom|zum|bis\s+zum|seit\s+dem)\s+",
    month_before=r"(?:im|seit|bis|ab|Anfang|Ende|Mitte)\s+",
    year_before=r"(?:im\s+Jahr(?:e)?|seit|bis|ab)\s+",
    hedges={"mehr als": "MORE_THAN", "über": "MORE_THAN", "rund": "APPROX", "etwa": "APPROX", "fast": "LESS_THAN",
            "knapp": "LESS_THAN", "weniger als": "LESS_THAN", "mindestens": "EQUAL_OR_MORE", "gut": "MORE_THAN"},
    date_mods={"anfang": "START", "ende": "END", "mitte": "MID"},
    future=r"wird|werden|soll|sollen|morgen|nächste[nrs]?|geplant|plant",
    past=r"war|waren|wurde|wurden|hat|haben|hatte|hatten|gestern|letzte[nrs]?|vergangene[nrs]?|ge\w+t|ge\w+en",
    clock_before=r"(?:um|gegen)\s+",
    hour_word=r"Uhr",
)  # fmt: skip
GRAMMAR = build(WORDS)
