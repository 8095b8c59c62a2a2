"""Armenian quantities: "ավելի քան 300 մարդ", "մոտ 5 հազար զինվոր", "հազարավոր փախստականներ"."""

from storyline.read.quantities.grammar import QuantityGrammar, words
from storyline.read.quantities.lang.common import calendar_words

MONTHS, WEEKDAYS = calendar_words("hy")
GRAMMAR = QuantityGrammar(
    code="hy",
    small={"երկու": 2, "երեք": 3, "չորս": 4, "հինգ": 5, "վեց": 6, "յոթ": 7, "յոթը": 7, "ութ": 8, "ինը": 9,
           "տասը": 10, "տաս": 10, "քսան": 20},
    tens={"երեսուն": 30, "քառասուն": 40, "հիսուն": 50, "վաթսուն": 60, "յոթանասուն": 70, "ութսուն": 80,
          "իննսուն": 90},
    hundreds={"հարյուր": 100},
    hundred_alone=True,
    scales={"հազար": 1e3, "միլիոն": 1e6, "միլիարդ": 1e9, "մլն": 1e6, "մլրդ": 1e9},
    scale_alone={"հազար": 1e3},
    one_inside=words("մեկ մի"),
    vague={"տասնյակ": 10, "տասնյակներ": 10, "հարյուրավոր": 100, "հազարավոր": 1e3, "միլիոնավոր": 1e6},
    few={"մի քանի": 3},
    fractions={"կեսը": 50.0, "կեսից": 50.0},
    hedges={
        "over": ["ավելի քան", "ավելի", "շուրջ ավելի քան"],
        "at_least": ["առնվազն", "նվազագույնը"],
        "about": ["մոտ", "շուրջ", "մոտավորապես", "մոտ ավելի"],
        "nearly": ["գրեթե", "համարյա"],
        "under": ["պակաս քան", "ավելի քիչ"],
        "up_to": ["մինչև", "առավելագույնը"],
    },
    hedges_after={"-ից ավելի": "over", "ից ավելի": "over", "-ից պակաս": "under", "-ի չափ": "about"},
    units={"կմ": "km", "կիլոմետր": "km", "մետր": "m", "հեկտար": "ha", "տոննա": "t", "տոկոս": "%", "տարի": "year",
           "ամիս": "month", "շաբաթ": "week", "օր": "day", "ժամ": "hour", "րոպե": "minute", "դոլար": "USD",
           "եվրո": "EUR", "դրամ": "AMD"},
    months=MONTHS,
    weekdays=WEEKDAYS,
    year_before=words("թվականին թ"),
    id_nouns=words("համար"),
    stop=words("և եւ ու է էր են էին որ այս այդ այն մի իր նրա նրանց համար հետ մեջ վրա կողմից ոչ չի"),
    relative_after=words("առաջ անց"),
    adjective_endings=("ական", "ային", "յան", "ավոր"),
    counted_rule="endings",
    decimal_comma=True,
    space_groups=True,
).compile()
