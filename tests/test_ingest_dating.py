"""Dating a document from its own metadata or its content, never more precisely than stated."""

from __future__ import annotations

import re

import pytest

from conftest import shared_path
from detente.ingest.dating import body_end, find_metadata_line_date, infer_published, parse_date_string
from detente.model import SourceDocument, TimeExpression, TimeValue



def doc(text: str, metadata_date: str = "") -> SourceDocument:
    return SourceDocument(name="t.txt", text=text, metadata_date=metadata_date)


def year_expressions(text: str) -> list[TimeExpression]:
    """Hand-built stand-ins for detente.time.tag output: explicit years and month-years,
    plus an unresolved 'last year' (no document date to resolve it against)."""
    found = []
    for match in re.finditer(r"(?:(January|October|April) )?\b(\d{4})\b", text):
        year = match.group(2)
        if match.group(1):
            month = {"January": "01", "April": "04", "October": "10"}[match.group(1)]
            time = TimeValue(f"{year}-{month}", f"{year}-{month}-01", f"{year}-{month}-28", "month", None, "explicit")
        else:
            time = TimeValue(year, f"{year}-01-01", f"{year}-12-31", "year", None, "explicit")
        found.append(TimeExpression(match.start(), match.end(), match.group(0), time))
    for match in re.finditer(r"[Ll]ast year", text):
        found.append(TimeExpression(match.start(), match.end(), match.group(0), TimeValue()))
    return sorted(found, key=lambda e: e.start)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 12 March 2021", "2021-03-12"),
        ("Posted on April 3, 2019 by admin", "2019-04-03"),
        ("Monthly Archives: September 2019", "2019-09"),
        ("March 4, 2019 | 10:32 AM", "2019-03-04"),
        ("MOSCOW, April 25, 2019 — Russian President Vladimir Putin said", "2019-04-25"),
        ("By Tom Fowdy | April 24, 2019", "2019-04-24"),
        ("Thursday, 25 April 2019", "2019-04-25"),
    ],
)
def test_metadata_lines(line: str, expected: str):
    text = f"Title of the piece\n{line}\n\nThe body says Stalin acted in 1950."
    assert find_metadata_line_date(text)[0] == expected
    published = infer_published(doc(text))
    assert published.value == expected and published.basis == "metadata"
    assert published.precision == {10: "day", 7: "month"}[len(expected)]


def test_metadata_lines_deep_in_the_body_are_not_metadata():
    body = "\n".join(f"Paragraph {n} about the treaty." for n in range(20))
    text = f"Title\n{body}\nPublished: 12 March 2021\n" + "\n".join(f"Footer {n}" for n in range(6))
    assert find_metadata_line_date(text) is None


def test_source_metadata_wins_and_keeps_its_precision():
    assert infer_published(doc("Posted on April 3, 2019", metadata_date="2019-04-25")).value == "2019-04-25"
    month = infer_published(doc("No date here.", metadata_date="2019-04"))
    assert (month.value, month.start, month.end, month.precision) == ("2019-04", "2019-04-01", "2019-04-30", "month")


def test_last_year_anchored_in_the_same_sentence():
    text = "Last year, Kim attended the Sochi Olympics, held in 2014, with great fanfare."
    for expressions in (year_expressions(text), None):
        published = infer_published(doc(text), expressions)
        assert (published.value, published.precision, published.basis, published.modifier) == (
            "2015", "year", "content", None)


def test_last_year_anchored_by_a_quote_attribution():
    text = ("Our active policy in the region began long ago.\n\n– Vladimir Putin, Sochi, October 2014\n\n"
            "When Russia's leader made those comments last year, it was a useful reminder.")
    for expressions in (year_expressions(text), None):
        assert infer_published(doc(text), expressions).value == "2015"


def test_last_year_dated_by_the_sentences_that_follow_in_its_paragraph():
    told = "Last year, Kim went to Sochi. Throughout the year, they met often. More met than in 2014, capping the year."
    assert (infer_published(doc(told)).value, infer_published(doc(told)).modifier) == ("2015", None)
    # a new paragraph, or a sentence no longer about "the year", breaks the thread: lower bound only
    for text in ["Last year, Kim went to Sochi.\n\nThroughout the year, they met in 2014, capping the year.",
                 "Last year, Kim went to Sochi. Talks resumed in 2010 and went on."]:
        assert infer_published(doc(text)).modifier == "approx"


def test_attributive_year_does_not_anchor_last_year():
    text = ("Officials travelled in 2014. So far little was invested. "
            "Last year, the government confirmed a 2012 agreement on debt.")
    published = infer_published(doc(text), year_expressions(text))
    assert (published.value, published.modifier, published.basis) == ("2014", "approx", "content")


def test_latest_body_year_is_a_lower_bound_and_references_are_ignored():
    text = ("In 1950 the war began. Talks resumed in 2018.\n\n" + "More analysis.\n" * 10
            + "\nReferences\n\nSmith, J. (2021). A later book.\n")
    assert body_end(text) == text.index("References")
    published = infer_published(doc(text), year_expressions(text))
    assert (published.value, published.modifier, published.basis) == ("2018", "approx", "content")


def test_nothing_to_go_on_is_unknown():
    published = infer_published(doc("No dates at all in this text."), [])
    assert not published.known and published.basis == "unknown"


def test_parse_date_string_keeps_stated_precision():
    assert parse_date_string("2019-04-25T10:00:00+03:00") == ("2019-04-25", "day")
    assert parse_date_string("D:2019") == ("2019", "year")
    assert parse_date_string("2019-04") == ("2019-04", "month")
    assert parse_date_string("Sept. 3, 2019") == ("2019-09-03", "day")
    assert parse_date_string("2019-02-30") is None
    assert parse_date_string("soon") is None


@pytest.mark.parametrize(
    ("seed", "value", "basis", "modifier"),
    [
        ("001_", "2019-09", "metadata", None),  # "Monthly Archives: September 2019"
        ("004_", "2015", "content", None),  # "… October 2014" + "made those comments last year"
        ("003_", "2015", "content", None),  # "Last year, … Throughout the year, … in 2014, capping the year"
    ],
)
def test_seed_documents(seed: str, value: str, basis: str, modifier: str | None):
    path = next(shared_path("seeds").glob(seed + "*.txt"))
    published = infer_published(doc(path.read_text(encoding="utf-8")))
    assert (published.value, published.basis, published.modifier) == (value, basis, modifier)


def test_with_the_project_time_tagger():
    timex = pytest.importorskip("detente.time", reason="detente.time not available")
    examples = {
        "Last year, Kim attended the Sochi Olympics, held in 2014, with great fanfare.": "2015",
        "– Vladimir Putin, Sochi, October 2014\n\nWhen Russia's leader made those comments last year, "
        "it was a reminder.": "2015",
        "Kim ignored both capitals throughout 2012-2018.": "2018",
    }
    for text, expected in examples.items():
        assert infer_published(doc(text), timex.tag(text, dct=None, mode="narrative")).value == expected


def test_head_and_tail_never_overlap_and_skip_blank_lines():
    from detente.ingest.dating import _head_and_tail_lines

    text = "\n".join(f"line {n}" for n in range(30)) + "\n\n\n"
    head, tail = _head_and_tail_lines(text)
    assert head == [f"line {n}" for n in range(15)] and tail == [f"line {n}" for n in range(25, 30)]
    head, tail = _head_and_tail_lines("a\n\nb\nc")
    assert head == ["a", "b", "c"] and tail == []


def test_a_chronology_is_not_dated_by_its_headings():
    text = "Timeline\nJune 1950\nThe war began.\nJuly 1953\nAn armistice was signed."
    assert find_metadata_line_date(text) is None


def test_seed_document_dates_in_the_ledger_show_basis_and_lower_bounds(seeds_ledger):
    from conftest import cli_json

    db, _ = seeds_ledger
    published = {d["name"].rsplit("/", 1)[-1][:3]: d["published"] for d in cli_json("docs", "--db", str(db))}
    assert (published["003"]["value"], published["003"]["basis"], published["003"]["modifier"]) == ("2015", "content", None)
    assert (published["001"]["value"], published["001"]["basis"]) == ("2019-09", "metadata")
    # 000 names no date of its own: its latest year is only a lower bound, and says so
    assert published["000"]["modifier"] == "approx"
