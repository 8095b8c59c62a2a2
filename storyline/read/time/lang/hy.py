"""Armenian time words over the table grammar (lang/table.py).

Dates are written month first in the genitive, the day with a case suffix: "դեկտեմբերի 5-ին"
(on 5 December), years with "թ." or "թվականի": "2023 թ. մարտի 3-ին".
"""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("hy").extend(
    numbers={"մեկ": 1, "երկու": 2, "երեք": 3, "չորս": 4, "հինգ": 5, "վեց": 6, "յոթ": 7, "ութ": 8, "ինը": 9,
             "տասը": 10, "քսան": 20, "երեսուն": 30, "քառասուն": 40, "հիսուն": 50, "հարյուր": 100,
             "մի քանի": None},
    deictic={"երեկ": -1, "այսօր": 0, "վաղը": 1, "նախօրեին": -1},
    relative={"անցյալ տարի": ("year", -1), "նախորդ տարի": ("year", -1), "այս տարի": ("year", 0),
              "հաջորդ տարի": ("year", 1), "անցյալ շաբաթ": ("week", -1), "անցյալ ամիս": ("month", -1),
              "անցած շաբաթ": ("week", -1)},
    units={"օր": "day", "օրվա": "day", "օրեր": "day", "շաբաթ": "week", "ամիս": "month", "ամսվա": "month",
           "տարի": "year", "տարվա": "year", "ժամ": "hour", "րոպե": "minute"},
    ago_after=["առաջ", "առաջ է"],
    ahead_after=["հետո", "անց"],
    last=["անցյալ", "նախորդ", "անցած"],
    next=["հաջորդ", "գալիք", "առաջիկա"],
    month_day=True,
    month_suffix=r"(?:ի|ին|ից)?",
    day_suffix=r"(?:-?(?:ին|ից|ի|ը|ն))?",
    year_after=r"\s*(?:թ\.|թվականի|թվականին|թ)|-?ին",
    year_before=r"(?:մինչև)\s+",
    hedges={"մոտ": "APPROX", "ավելի քան": "MORE_THAN", "շուրջ": "APPROX", "առնվազն": "EQUAL_OR_MORE"},
    future=r"\w+(?:ելու|ալու)\s+է|կ\w+|վաղը|հաջորդ|առաջիկա",
    past=r"\w+(?:եց|աց|ել|ալ)\w*|երեկ|անցյալ|նախորդ",
    clock_before=r"ժամը\s+",
)  # fmt: skip
GRAMMAR = build(WORDS)
