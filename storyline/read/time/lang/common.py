"""Rules every language shares: ISO dates, numeric dates in the language's order, native digits."""

from __future__ import annotations

import re

from storyline.read.time.calendar import safe_date
from storyline.read.time.grammar import Rules, Sem, sem

# Arabic-Indic, Persian (Extended Arabic-Indic), Devanagari and full-width digits, one character each,
# so that rewriting them keeps every offset.
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0966 + i): str(i) for i in range(10)},
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
        "،": ",",
    }
)


def ascii_digits(text: str) -> str:
    """Native digits as ASCII, character for character ("١٢" -> "12")."""
    return text.translate(_DIGITS)


def neutral_rules(order: str = "dmy") -> Rules:
    """ISO dates (2024-03-05, 2024/03/05) and numeric dates written in `order` ("dmy" or "mdy")."""
    rules = Rules()

    @rules.add(
        r"(?<![\d/.-])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?(?![\d-])"
    )
    def iso_date(m: re.Match, text: str) -> Sem | None:
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        if safe_date(y, mo, d) is None:
            return None
        hh = int(m.group("hh")) if m.group("hh") else None
        mi = int(m.group("mi")) if m.group("mi") else None
        return sem("ymd", m, y=y, m=mo, d=d, hh=hh, mi=mi)

    @rules.add(
        r"(?<![\d/.,-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)"
    )
    def numeric_date(m: re.Match, text: str) -> Sem | None:
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if len(m.group("y")) == 2:
            y += 1900 if y > 30 else 2000
        day, mon = (a, b) if order == "dmy" else (b, a)
        if mon > 12 and day <= 12:  # the other order is the only possible one
            day, mon = mon, day
        if safe_date(y, mon, day) is None or not 1000 <= y <= 2100:
            return None
        return sem("ymd", m, y=y, m=mon, d=day, numeric=True)

    return rules
