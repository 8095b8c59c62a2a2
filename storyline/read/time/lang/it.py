"""Italian time words over the table grammar (lang/table.py)."""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("it").extend(
    numbers={"un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7,
             "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "quindici": 15, "venti": 20,
             "trenta": 30, "quaranta": 40, "cinquanta": 50, "cento": 100, "alcuni": None, "alcune": None,
             "pochi": None, "diversi": None},
    ordinals={"primo": 1, "1º": 1},
    relative={"l'anno scorso": ("year", -1), "lo scorso anno": ("year", -1), "quest'anno": ("year", 0),
              "l'anno prossimo": ("year", 1), "la settimana scorsa": ("week", -1), "il mese scorso": ("month", -1)},
    ago_after=["fa"],
    ahead_before=["tra", "fra"],
    last=["scorso", "scorsa", "passato", "passata"],
    next=["prossimo", "prossima"],
    day_before=r"(?:il|dal|al|del|entro\s+il)\s+|(?:l|dall|all|dell)['’]",
    month_before=r"(?:a|in|nel\s+mese\s+di|da|fino\s+a|entro)\s+|(?:nell|dall)['’]",
    year_before=r"(?:nel|dal|entro\s+il|fino\s+al|nell'anno)\s+",
    hedges={"più di": "MORE_THAN", "oltre": "MORE_THAN", "circa": "APPROX", "quasi": "LESS_THAN",
            "meno di": "LESS_THAN", "almeno": "EQUAL_OR_MORE"},
    date_mods={"inizio": "START", "fine": "END", "metà": "MID"},
    future=r"sarà|saranno|domani|prossim[oaie]|\w+erà|\w+eranno|\w+irà",
    past=r"è\s+stat[oa]|sono\s+stat[ie]|ieri|scors[oa]|ha|hanno|\w+ato|\w+ata|\w+ati|\w+ito",
    clock_before=r"(?:alle|all['’]|verso\s+le)\s*",
)  # fmt: skip
GRAMMAR = build(WORDS)
