"""English time vocabulary: month, weekday and number words, and the patterns built from them."""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
}  # fmt: skip
ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI"}


def alt(words: list[str] | set[str] | dict) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def cased(words: list[str]) -> str:
    """Capitalised or upper-case only: month and weekday names are proper nouns ("may", "march")."""
    forms = [w.capitalize() for w in words] + [w.upper() for w in words]
    return "(?-i:" + alt(forms) + ")"


FULL_MONTHS = [w for w, n in MONTHS.items() if len(w) > 4 or w in {"may", "june", "july"}]
_ABBR_MONTHS = [w for w in MONTHS if w not in FULL_MONTHS]
MONTH = rf"(?:{cased(FULL_MONTHS)}|{cased(_ABBR_MONTHS)}(?:\.|(?=\s*\d)))"
MONTH_FULL = cased([w for w in FULL_MONTHS if w != "may"])
_FULL_DAYS = [w for w in WEEKDAYS if w.endswith("day")]
WEEKDAY = rf"(?:{cased(_FULL_DAYS)}|{cased([w for w in WEEKDAYS if w not in _FULL_DAYS and w != 'mon'])}\.)"
NUMWORD = alt(list(ONES) + list(TENS))
CARD = rf"(?:(?:{alt(TENS)})(?:[\s-](?:{alt(ONES)}))?|{alt(ONES)}|a\s+hundred|one\s+hundred|hundreds|thousands|a\s+thousand)(?:\s+(?:hundred|thousand))?"
NUM = (
    rf"(?:\d+(?:\.\d+)?(?:\s+\d/\d|\s*[½¼¾])?|{CARD}(?:\s+and\s+a\s+half)?|an?(?:\s+and\s+a\s+half)?"
    rf"|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|few|several|many|some|a\s+dozen|dozens\s+of"
    rf"|a\s+number\s+of|a\s+half|half\s+an?)"
)
UNIT_ORDS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
DAYORD_WORDS = rf"twenty[\s-](?:{UNIT_ORDS})|thirty[\s-]first|" + alt(
    [w for w in ORDINALS if ORDINALS[w] <= 30]
)
DAYNUM = rf"(?:(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)|(?:{DAYORD_WORDS})\b)"
YEAR4 = r"(?:1[0-9]{3}|20[0-9]{2})"
UNIT = r"(?:second|minute|hour|day|night|week(?:end)?|fortnight|month|quarter|year|decade|centur(?:y|ie)|millenni(?:um|a))"
TZ = r"(?:\s*\(?(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST|MSK|local(?:\s+time)?)\)?)"
FLAGS = re.IGNORECASE


def number_value(text: str) -> float | None:
    """Value of a number phrase; None for vague ones (a few, several) that TIMEX3 writes as X."""
    t = re.sub(r"[\s-]+", " ", text.strip().lower())
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t)
    m = re.fullmatch(r"(\d+) (\d)/(\d)", t)
    if m:
        return int(m.group(1)) + int(m.group(2)) / int(m.group(3))
    m = re.fullmatch(r"(\d+) ?([½¼¾])", t)
    if m:
        return int(m.group(1)) + {"½": 0.5, "¼": 0.25, "¾": 0.75}[m.group(2)]
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t in {"a", "an", "one"}:
        return 1 + half
    if t in {"a half", "half a", "half an"}:
        return 0.5
    if t in {"a couple", "a couple of", "couple of"}:
        return 2
    if t in {"a dozen"}:
        return 12
    if t in {"a hundred", "one hundred"}:
        return 100
    if t in {"a thousand"}:
        return 1000
    total = 0
    for word in t.split():
        if word in ONES:
            total += ONES[word]
        elif word in TENS:
            total += TENS[word]
        elif word in {"hundred", "thousand"} and total:
            total *= 100 if word == "hundred" else 1000
        else:
            return None
    return total + half


def ordinal_value(text: str) -> int | None:
    t = re.sub(r"[\s-]+", " ", text.strip().lower())
    m = re.match(r"(\d+)", t)
    if m:
        return int(m.group(1))
    if t in ORDINALS:
        return ORDINALS[t]
    parts = t.split()
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ORDINALS:
        return TENS[parts[0]] + ORDINALS[parts[1]]
    return None


def month_number(text: str) -> int:
    return MONTHS[text.strip(". ").lower()]


def prev_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z'$]+)[\s,]*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def next_word(text: str, end: int) -> str:
    m = re.match(r"[\s,]*([A-Za-z%$]+)", text[end : end + 30])
    return m.group(1) if m else ""


# modifier words before or after a duration or date, as TIMEX3 mods
MODS = {
    "about": "APPROX", "around": "APPROX", "roughly": "APPROX", "approximately": "APPROX", "some": "APPROX",
    "nearly": "APPROX", "almost": "LESS_THAN", "more than": "MORE_THAN", "over": "MORE_THAN",
    "upwards of": "MORE_THAN", "at least": "EQUAL_OR_MORE", "less than": "LESS_THAN", "under": "LESS_THAN",
    "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
    "within": "EQUAL_OR_LESS", "just over": "MORE_THAN", "just under": "LESS_THAN", "well over": "MORE_THAN",
    "fewer than": "LESS_THAN", "no less than": "EQUAL_OR_MORE", "or so": "APPROX", "or more": "EQUAL_OR_MORE",
    "or longer": "EQUAL_OR_MORE", "plus": "EQUAL_OR_MORE",
}  # fmt: skip


def prefix_mod(words: str) -> str | None:
    w = re.sub(r"\s+", " ", words.lower()).strip(" -")
    if w.startswith("the "):
        w = w[4:]
    w = w.removeprefix("very ")
    if re.match(r"first (?:few |several )?(?:minutes|hours) after", w):
        return "AFTER"
    if w.startswith(("early", "beginning", "start", "first half", "dawn", "first ")):
        return "START"
    if w.startswith(("late", "end", "close", "last half", "second half", "latter half", "turn", "last ")):
        return "END"
    if w.startswith(("mid", "middle")):
        return "MID"
    if w in {"around", "about", "roughly", "approximately", "circa"}:
        return "APPROX"
    return None
