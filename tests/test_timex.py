"""Time expressions: what a reader of the news needs dated correctly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.read.timex import find_timexes, infer_anchor

D = dt.date
TEMPEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "tempeval3" / "train"


def one(text: str, anchor: D | None, phrase: str, language: str = "en"):
    """The timex whose text is `phrase` (fails if there is none)."""
    found = find_timexes(text, anchor, language)
    for t in found:
        if t.text == phrase:
            assert text[t.start : t.end] == t.text
            return t
    raise AssertionError(f"{phrase!r} not found in {[t.text for t in found]}")


def values(text: str, anchor: D | None, language: str = "en") -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in find_timexes(text, anchor, language)]


# ---- weekdays ----------------------------------------------------------------------------------------


def test_bare_weekday_is_the_latest_on_or_before_the_anchor():
    # anchor: Thursday 2021-03-11
    t = one("The minister resigned on Tuesday after weeks of protests.", D(2021, 3, 11), "Tuesday")
    assert (t.type, t.value, t.granularity) == ("DATE", "2021-03-09", "day")
    assert t.begin == t.finish == D(2021, 3, 9)
    assert t.anchored


def test_weekday_of_the_anchor_day_is_the_anchor():
    assert one("Talks collapsed on Thursday.", D(2021, 3, 11), "Thursday").value == "2021-03-11"


def test_future_tense_weekday_points_forward():
    t = one("The council will vote on Monday on the new budget.", D(2021, 3, 11), "Monday")
    assert t.value == "2021-03-15"


def test_last_and_next_weekday():
    text = "He arrived last Friday and will leave next Wednesday."
    assert one(text, D(2021, 3, 11), "last Friday").value == "2021-03-05"
    assert one(text, D(2021, 3, 11), "next Wednesday").value == "2021-03-17"


def test_weekday_with_date_takes_the_date():
    t = one("It opened on Wednesday, June 2, 2021, to crowds.", D(2021, 6, 5), "Wednesday, June 2, 2021")
    assert t.value == "2021-06-02"


# ---- days of month, ordinals, "as of", "since the end of" --------------------------------------------


def test_the_25th_of_it_is_the_last_month_mentioned():
    text = "Voting was moved to March. On the 25th of it, turnout was low."
    t = one(text, D(2021, 4, 2), "the 25th of it")
    assert t.value == "2021-03-25"


def test_spelled_out_ordinals():
    text = "The fair opened on the ninth of November and closed on October twenty-first."
    assert one(text, D(2015, 11, 20), "the ninth of November").value == "2015-11-09"
    assert one(text, D(2015, 11, 20), "October twenty-first").value == "2015-10-21"


def test_as_of_a_date():
    t = one("As of November 30, some 4,000 people had registered.", D(2020, 12, 2), "November 30")
    assert (t.value, t.type) == ("2020-11-30", "DATE")


def test_since_the_end_of_a_month_is_the_month_with_mod_end():
    t = one("Fighting has gone on since the end of September.", D(2020, 11, 10), "the end of September")
    assert (t.value, t.mod, t.granularity) == ("2020-09", "END", "month")
    assert t.begin > D(2020, 9, 15) and t.finish == D(2020, 9, 30)


def test_early_mid_late_narrow_the_interval():
    t = one("Prices rose in early 2019.", D(2020, 1, 1), "early 2019")
    assert (t.value, t.mod) == ("2019", "START")
    assert t.begin == D(2019, 1, 1) and t.finish < D(2019, 6, 1)


# ---- years, decades, centuries ------------------------------------------------------------------------


def test_years_and_decades():
    text = "The plant was built in 1994 and expanded through the 1990s and the '80s."
    assert one(text, D(2020, 1, 1), "1994").value == "1994"
    decade = one(text, D(2020, 1, 1), "the 1990s")
    assert (decade.value, decade.granularity) == ("199", "decade")
    assert (decade.begin, decade.finish) == (D(1990, 1, 1), D(1999, 12, 31))
    assert one(text, D(2020, 1, 1), "the '80s").value == "198"


def test_century():
    t = one("It was the deadliest war of the 20th century.", D(2020, 1, 1), "the 20th century")
    assert (t.value, t.granularity) == ("19", "century")


def test_absurd_numbers_are_not_years():
    assert find_timexes("The account number 2882015 was closed.", D(2020, 1, 1)) == []
    assert find_timexes("They paid $1995 for 2000 shares.", D(2020, 1, 1)) == []


# ---- durations and ranges -----------------------------------------------------------------------------


def test_durations():
    text = "The siege lasted six weeks; talks took about three years."
    six = one(text, D(2020, 1, 1), "six weeks")
    assert (six.type, six.value, six.granularity, six.begin) == ("DURATION", "P6W", "duration", None)
    about = one(text, D(2020, 1, 1), "about three years")
    assert (about.value, about.mod) == ("P3Y", "APPROX")


def test_range_of_durations_takes_the_lower_bound():
    t = one("The region could be rebuilt within the next 10-13 years.", D(2020, 1, 1), "the next 10-13 years")
    assert (t.type, t.value, t.mod) == ("DURATION", "P10Y", "EQUAL_OR_MORE")


def test_fractional_and_time_durations():
    text = "The talks lasted 2 1/2 years and the vote took five hours."
    assert one(text, D(2020, 1, 1), "2 1/2 years").value == "P2Y6M"
    assert one(text, D(2020, 1, 1), "five hours").value == "PT5H"


def test_ages_are_not_durations():
    assert find_timexes("A 6-year-old boy was rescued.", D(2020, 1, 1)) == []


# ---- relative expressions -----------------------------------------------------------------------------


def test_deictic_and_relative_units():
    anchor = D(2020, 12, 2)  # a Wednesday
    text = "Yesterday the army moved; last week it waited; next month it may leave; two days ago it rained; this year was hard."
    got = dict(values(text, anchor))
    assert got["Yesterday"] == "2020-12-01"
    assert got["last week"] == "2020-W48"
    assert got["next month"] == "2021-01"
    assert got["two days ago"] == "2020-11-30"
    assert got["this year"] == "2020"


def test_the_last_days_of_a_month():
    t = one("Refugees returned in the last days of November.", D(2020, 12, 2), "the last days of November")
    assert (t.value, t.mod) == ("2020-11", "END")


def test_vague_past_reference():
    t = one("A few days earlier, the army had left.", D(2020, 12, 2), "A few days earlier")
    assert (t.type, t.value) == ("DATE", "PAST_REF")
    assert one("Prices are rising now.", D(2020, 12, 2), "now").value == "PRESENT_REF"


def test_quarter_and_year_earlier_in_business_news():
    text = "Profit in the third quarter rose 5% from a year earlier."
    anchor = D(1989, 10, 26)
    assert one(text, anchor, "the third quarter").value == "1989-Q3"
    assert one(text, anchor, "a year earlier").value == "1988-Q3"


# ---- times and sets -----------------------------------------------------------------------------------


def test_times_of_day():
    anchor = D(2020, 12, 2)
    text = "The blast came at 10 a.m. Wednesday and the curfew starts at midnight."
    assert one(text, anchor, "10 a.m. Wednesday").value == "2020-12-02T10:00"
    assert one(text, anchor, "midnight").type == "TIME"


def test_midnight_on_a_date_begins_that_day():
    text = "In the first minutes after midnight on December 1, troops crossed the line."
    t = one(text, D(2020, 12, 2), "the first minutes after midnight on December 1")
    assert (t.type, t.value, t.mod) == ("TIME", "2020-12-01T00:00", "AFTER")


def test_sets():
    text = "Patrols run every week and the bulletin is published daily."
    assert one(text, D(2020, 1, 1), "every week").value == "P1W"
    daily = one(text, D(2020, 1, 1), "daily")
    assert (daily.type, daily.value, daily.granularity) == ("SET", "P1D", "set")


# ---- year-less dates near a year boundary ---------------------------------------------------------------


def test_yearless_date_from_last_december_in_a_january_report():
    t = one("The ceasefire was signed on December 28.", D(2021, 1, 4), "December 28")
    assert t.value == "2020-12-28"
    assert t.anchored and t.confidence < 1.0


def test_yearless_date_next_january_in_a_november_report():
    t = one("The dividend is payable Jan. 2 to holders of record.", D(1989, 11, 2), "Jan. 2")
    assert t.value == "1990-01-02"


def test_past_tense_date_far_after_the_anchor_moves_back_a_year():
    t = one("The talks collapsed on June 10 after a long standoff.", D(2021, 2, 1), "June 10")
    assert t.value == "2020-06-10"
    # the same date in the future tense stays ahead
    assert one("The talks will resume on June 10.", D(2021, 2, 1), "June 10").value == "2021-06-10"


# ---- no anchor, bad input -------------------------------------------------------------------------------


def test_without_anchor_relative_values_stay_underspecified():
    text = "On November 20 the region was handed over; on Tuesday the troops left; yesterday it rained."
    got = {t.text: t for t in find_timexes(text, None)}
    assert got["November 20"].value == "XXXX-11-20"
    assert got["Tuesday"].value == "XXXX-WXX-2"
    assert got["yesterday"].value == "XXXX-XX-XX"
    for t in got.values():
        assert not t.anchored and t.confidence <= 0.5 and t.begin is None
    # explicit dates need no anchor
    full = one("It ended on 1 December 2020.", None, "1 December 2020")
    assert (full.value, full.confidence, full.anchored) == ("2020-12-01", 1.0, False)


def test_empty_and_dateless_text():
    assert find_timexes("", D(2020, 1, 1)) == []
    assert find_timexes("   \n ", D(2020, 1, 1)) == []
    assert find_timexes("The committee met and discussed the report at length.", D(2020, 1, 1)) == []


def test_names_are_not_times():
    assert find_timexes('He said on ABC\'s "This Week" that the plan may work.', D(2020, 1, 1)) == []


# ---- Russian and other languages ------------------------------------------------------------------------------


def test_russian_dates():
    anchor = D(2020, 12, 2)
    text = (
        "1 декабря азербайджанские войска вошли в район. Во вторник президент заявил, что в 1994 году "
        "всё было иначе. С конца сентября шли бои. В 90-х годов ситуация была другой."
    )
    got = {t.text: t for t in find_timexes(text, anchor, "ru")}
    assert got["1 декабря"].value == "2020-12-01"
    assert got["вторник"].value == "2020-12-01"
    assert got["1994 году"].value == "1994"
    assert (got["конца сентября"].value, got["конца сентября"].mod) == ("2020-09", "END")
    assert (got["90-х годов"].value, got["90-х годов"].granularity) == ("199", "decade")


def test_russian_relative_and_durations():
    anchor = D(2020, 12, 2)
    got = dict(
        values("Вчера, два года назад, на прошлой неделе; около трёх лет; в течение 10-13 лет.", anchor, "ru")
    )
    assert got["Вчера"] == "2020-12-01"
    assert got["два года назад"] == "2018"
    assert got["прошлой неделе"] == "2020-W48"
    assert got["около трёх лет"] == "P3Y"
    assert got["10-13 лет"] == "P10Y"


def test_russian_night_before_a_date():
    t = one("В ночь на 1 декабря колонна пересекла границу.", D(2020, 12, 2), "ночь на 1 декабря", "ru")
    assert (t.type, t.value) == ("TIME", "2020-11-30TNI")


# ---- inferring an anchor ---------------------------------------------------------------------------------------


def test_infer_anchor_from_weekday_and_date_agreeing():
    # 14 March fell on a Thursday in 2019 (and 2013, 2024): the year the text mentions decides
    text = "Engineers reached the town on Thursday, March 14, after the floods of 2019."
    assert infer_anchor(text, today=D(2023, 11, 22)) == (D(2019, 3, 14), 0.9)
    # with no year in the text, the latest agreeing year not after today, less sure
    anchor, confidence = infer_anchor("Engineers reached the town on Thursday, March 14.", today=D(2018, 6, 1))
    assert anchor == D(2013, 3, 14) and confidence < 0.9


def test_infer_anchor_places_other_yearless_dates_in_that_year():
    text = "On Thursday, March 14, the engineers arrived. The accord of February 20 held until March 16."
    anchor, confidence = infer_anchor(text, today=D(2020, 1, 1))
    assert anchor == D(2019, 3, 16) and confidence >= 0.5


def test_infer_anchor_weekday_elsewhere_names_the_latest_date():
    text = "On Thursday, engineers reached the town. The accord of February 20 held. On March 14 they arrived."
    anchor, confidence = infer_anchor(text, today=D(2026, 11, 22))
    assert anchor == D(2024, 3, 14)  # the last year before today in which 14 March was a Thursday
    assert confidence < 0.6  # the weekday was not said of that date


def test_infer_anchor_russian_weekday():
    anchor, _ = infer_anchor("В четверг, 14 марта, инженеры прибыли в город.", "ru", today=D(2020, 1, 1))
    assert anchor == D(2019, 3, 14)


def test_infer_anchor_latest_explicit_date_and_nothing():
    text = "The report was published on March 3, 2019, and revised on March 5, 2019."
    assert infer_anchor(text) == (D(2019, 3, 5), 0.6)
    assert infer_anchor("No dates at all here.") == (None, 0.0)
    assert infer_anchor("") == (None, 0.0)


# ---- against TempEval-3 gold ---------------------------------------------------------------------------------


@pytest.mark.skipif(not TEMPEVAL.is_dir(), reason="TempEval-3 data not available")
def test_tempeval_sample_scores_well():
    """A slice of the gold data through the real scorer: guards against regressions across the rules."""
    from bench.tempeval import Tally, find_timeml_files, read_timeml, score_document

    total = Tally()
    for path in find_timeml_files(TEMPEVAL)[:40]:
        doc = read_timeml(path)
        found = find_timexes(doc.text, D.fromisoformat(doc.dct[:10]), "en")
        total.add(score_document(doc.text, doc.timexes, found).tally)
    scores = total.scores()
    assert scores["relaxed_f1"] > 0.85
    assert scores["value_f1"] > 0.7


def test_scorer_counts_strict_relaxed_and_values():
    from bench.tempeval import GoldTimex, score_document, strip_timeml

    text, gold = strip_timeml(
        'He left <TIMEX3 tid="t1" type="DATE" value="2020-12-01">on Tuesday</TIMEX3> &amp; came.'
    )
    assert text == "He left on Tuesday & came." and gold[0].text == "on Tuesday"
    system = [GoldTimex(11, 18, "Tuesday", "DATE", "2020-12-01")]
    scores = score_document(text, gold, system).tally.scores()
    assert scores["strict_f1"] == 0.0 and scores["relaxed_f1"] == 1.0 and scores["value_f1"] == 1.0
    wrong = [GoldTimex(11, 18, "Tuesday", "DATE", "2020-12-08")]
    assert score_document(text, gold, wrong).tally.scores()["value_f1"] == 0.0
