"""News or narrative: a bare '19 June' takes the year the text is about (issue "Time")."""

from __future__ import annotations

from detente.api import timex
from detente.time import tag

REVIEW = ("2024 in review\nDecember 30, 2024\n\n"
          "At the start of this year the two capitals were close. On 28 March Russia vetoed a resolution. "
          "The panel, which had documented violations in 2009, ended its work at the end of April.\n\n"
          "On 19 June, Putin visited Pyongyang. Parliament ratified the treaty in the autumn, Putin signed "
          "the law on 9 November, and Kim approved it two days later.")

HISTORY = ("In 1950 the North attacked. On 25 June its tanks crossed the parallel. "
           "In 1953 an armistice was signed on 27 July.")


def value_of(expressions, text):
    return next(e.time.value for e in expressions if e.text == text)


def test_news_review_keeps_its_own_year_after_a_digression():
    expressions = tag(REVIEW, "2024-12-30", mode="auto")
    assert value_of(expressions, "19 June") == "2024-06-19"
    assert value_of(expressions, "the end of April") == "2024-04"
    assert value_of(expressions, "9 November") == "2024-11-09"
    # narrative-relative phrases still count from the story's last date
    assert value_of(expressions, "two days later") == "2024-11-11"


def test_plain_narrative_mode_follows_the_story():
    # what the old rule did everywhere: the digression's year wins
    assert value_of(tag(REVIEW, "2024-12-30", mode="narrative"), "19 June") == "2009-06-19"


def test_a_history_stays_a_narrative_in_auto_mode():
    expressions = tag(HISTORY, "2019-04-25", mode="auto")
    assert value_of(expressions, "25 June") == "1950-06-25"
    assert value_of(expressions, "27 July") == "1953-07-27"


def test_auto_needs_a_day_or_month_document_date():
    # a year-only (e.g. inferred) document date is too vague to call the text news
    assert value_of(tag(REVIEW.replace("in 2009", "in 2009 and 2010"), "2024", mode="auto"), "19 June") \
        == "2010-06-19"


def test_api_accepts_auto():
    rows = timex("On 19 June Putin came.", "2024-12-30", "auto")
    assert rows[0]["value"] == "2024-06-19"


def test_demo_year_in_review_dates_the_treaty_visit_in_2024(demo_ledger):
    import sqlite3

    db, _ = demo_ledger
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT e.date_value FROM events e JOIN event_mentions m ON m.event_id = e.id "
            "JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence "
            "JOIN documents d ON d.id = s.doc_id "
            "WHERE d.name LIKE '%17_year_in_review%' AND instr(s.text, 'On 19 June') > 0").fetchall()
    assert rows, "no event in the '19 June' sentence of the year in review"
    assert {value for (value,) in rows} == {"2024-06-19"}


def test_a_month_of_last_year_counts_from_the_document_date():
    text = "In 1972 it began. Hungary came first, in February of last year; the summit in June last year stalled."
    expressions = tag(text, "2001-08-05", mode="narrative")
    assert value_of(expressions, "February of last year") == "2000-02"
    assert value_of(expressions, "June last year") == "2000-06"
    assert value_of(tag("In June of that year.", "2001-08-05"), "June of that year") == "2001-06"
