"""French time words over the table grammar (lang/table.py)."""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("fr").extend(
    numbers={"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
             "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
             "quarante": 40, "cinquante": 50, "cent": 100, "quelques": None, "plusieurs": None},
    ordinals={"premier": 1, "1er": 1, "1re": 1},
    relative={"l'an dernier": ("year", -1), "l'an passé": ("year", -1), "l'année passée": ("year", -1),
              "l'an prochain": ("year", 1), "la semaine passée": ("week", -1), "le mois passé": ("month", -1)},
    ago_before=["il y a"],
    ahead_before=["dans"],
    last=["dernier", "dernière", "passé", "passée"],
    next=["prochain", "prochaine"],
    day_before=r"(?:le|du|au|dès\s+le|depuis\s+le|jusqu'au)\s+",
    month_before=r"(?:en|depuis|dès|jusqu'en|d'ici)\s+|(?:début|fin|mi-|courant)\s*",
    year_before=r"(?:en|depuis|dès|jusqu'en|l'an|l'année)\s+",
    hedges={"plus de": "MORE_THAN", "près de": "APPROX", "environ": "APPROX", "moins de": "LESS_THAN",
            "au moins": "EQUAL_OR_MORE", "presque": "LESS_THAN", "quelque": "APPROX"},
    date_mods={"début": "START", "fin": "END", "mi-": "MID", "courant": "MID"},
    future=r"sera|seront|va|vont|prévue?s?|devrai(?:en)?t|demain|prochaine?s?|\w+eront|\w+era",
    past=r"a|ont|était|étaient|hier|dernière?|\w+ée?s?",
    clock_before=r"(?:à|vers)\s+",
    hour_word=r"h(?:eures?)?",
)  # fmt: skip
GRAMMAR = build(WORDS)
